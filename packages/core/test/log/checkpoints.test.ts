/**
 * Witness-ready checkpoints (issue 14): signed with the log's own Ed25519 key as C2SP signed
 * notes, stored, and signed again only when the log has grown and a second has passed; a
 * rotation of the signing key leaves the log key alone; the log key rotates on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCheckpointNote } from '@trust-alliance/verifier';
import { openTestRegistry, registryInternals, type TestRegistry } from '../../src/testing/index.ts';

describe('stored checkpoints', () => {
  let test: TestRegistry;
  beforeAll(async () => {
    test = await openTestRegistry();
  });
  afterAll(() => test.close());

  const grow = () => test.registry.registerMember({ kind: 'KOL', displayName: `Thành viên ${Math.random()}` });
  const stored = () => registryInternals(test.registry).db.prisma.logCheckpoint.count();

  it('signs once per growth, at most once a second, never per read', async () => {
    await grow();
    const first = await test.registry.log.latestCheckpoint();
    expect(await test.registry.log.latestCheckpoint()).toEqual(first);
    const [key] = await test.registry.log.keys();
    expect((await verifyCheckpointNote(first.note, { verifierKeys: [key!.verifierKey] })).valid).toBe(true);
    await grow();
    // Within the second: the stored one.
    expect((await test.registry.log.latestCheckpoint()).size).toBe(first.size);
    test.clock.advance(1000);
    const second = await test.registry.log.latestCheckpoint();
    expect(second.size).toBe(first.size + 1);
    expect(await stored()).toBe(2);
    // No growth: no new checkpoint, however much time passes.
    test.clock.advance(60_000);
    expect(await test.registry.log.latestCheckpoint()).toEqual(second);
    expect(await stored()).toBe(2);
  });

  it('keeps its log key across a signing-key rotation; a log-key rotation signs anew', async () => {
    const before = (await test.registry.log.keys())[0]!.verifierKey;
    await test.registry.keys.rotate();
    const after = await test.registry.log.latestCheckpoint();
    expect(after.verifierKey).toBe(before);
    const rotated = await test.registry.log.rotateKey('scheduled');
    const next = await test.registry.log.latestCheckpoint();
    expect(next.verifierKey).toBe(rotated.verifierKey);
    expect(next.size).toBe(after.size);
    expect((await verifyCheckpointNote(next.note, { verifierKeys: [rotated.verifierKey] })).valid).toBe(true);
  });

  it('proves consistency from the empty tree', async () => {
    const size = await test.registry.log.size();
    expect(await test.registry.log.consistencyProof(0, size)).toEqual([]);
    await expect(test.registry.log.consistencyProof(-1, size)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
