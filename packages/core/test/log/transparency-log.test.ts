/**
 * The transparency log as a platform checks it: a signed checkpoint, inclusion proofs of
 * entries in it, and consistency between an older and a newer checkpoint, all verified with
 * @trust-alliance/verifier alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint, verifyLogConsistency, verifyLogInclusion, type Checkpoint } from '@trust-alliance/verifier';
import type { Registry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, openTestRegistry, type TestRegistry } from '../../src/testing/index.ts';

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

describe('transparency log', () => {
  let test: TestRegistry;
  let registry: Registry;
  beforeAll(async () => {
    test = await openTestRegistry();
    registry = test.registry;
  });
  afterAll(() => test.close());

  async function checkpoint(): Promise<Checkpoint> {
    const { jwt } = await registry.log.checkpoint();
    const result = await verifyCheckpoint(jwt, { issuer: registry.issuer, jwks: await registry.keys.publicJwks() });
    if (!result.valid) throw new Error(JSON.stringify(result.errors));
    return result.claims;
  }

  it('proves inclusion of every entry and consistency of an older checkpoint with a newer one', async () => {
    for (let i = 0; i < 3; i++) await registry.registerMember({ kind: 'KOL', displayName: `Thành viên ${i}`, personal: { phone: `090123456${i}` }, bases: [...MEMBERSHIP_BASES] });
    const older = await checkpoint();
    expect(older.size).toBe(3);
    for (let i = 0; i < 4; i++) await registry.registerMember({ kind: 'PAGE_ADMIN', displayName: `Quản trị ${i}` });
    // A new checkpoint is signed when the log has grown, at most once a second (issue 14).
    test.clock.advance(1000);
    const newer = await checkpoint();
    expect(newer.size).toBe(7);

    const entries = await registry.log.entries({ from: 0, count: 100 });
    for (const entry of entries) {
      const proof = (await registry.log.inclusionProof(entry.idx, newer.size)).map(fromB64);
      await expect(verifyLogInclusion(fromB64(entry.leafHash), entry.idx, proof, newer)).resolves.toMatchObject({ valid: true });
      // The same proof does not prove another leaf.
      const other = entries[(entry.idx + 1) % entries.length]!;
      await expect(verifyLogInclusion(fromB64(other.leafHash), entry.idx, proof, newer)).resolves.toMatchObject({ valid: false });
    }
    const consistency = (await registry.log.consistencyProof(older.size, newer.size)).map(fromB64);
    await expect(verifyLogConsistency(older, newer, consistency)).resolves.toMatchObject({ valid: true });
    await expect(verifyLogConsistency({ ...older, root_hash: newer.root_hash }, newer, consistency)).resolves.toMatchObject({ valid: false });
  });

  it('keeps personal data out of the log', async () => {
    await registry.registerMember({ kind: 'KOL', displayName: 'Phạm Bí Mật', personal: { email: 'bimat@example.vn', legalName: 'Phạm Văn Bí Mật', phone: '0912345678' }, bases: [...MEMBERSHIP_BASES] });
    const entries = await registry.log.entries({ from: 0, count: 100 });
    const text = entries.map((e) => e.payload).join('\n');
    expect(text).toContain('member.registered');
    for (const secret of ['bimat@example.vn', 'Phạm Văn Bí Mật', '0912345678']) expect(text).not.toContain(secret);
  });
});
