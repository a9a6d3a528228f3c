/**
 * Signing keys: EdDSA by default and ES256 on request, rotation that keeps retired keys
 * published while their statements live, and compromise that withdraws a key at once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAttestation } from '@trust-alliance/verifier';
import { decodeProtectedHeader } from 'jose';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';

async function check(registry: Registry, jws: string) {
  return verifyAttestation(jws, { issuer: registry.issuer, jwks: await registry.keys.publicJwks(), statusList: 'skip' });
}

describe.each(['EdDSA', 'ES256'] as const)('signing keys (%s)', (algorithm) => {
  let test: TestRegistry;
  let registry: Registry;
  beforeAll(async () => {
    test = await openTestRegistry({ signingAlgorithm: algorithm });
    registry = test.registry;
  });
  afterAll(() => test.close());

  it('signs attestations with the configured algorithm', async () => {
    const { badge } = await createVerifiedMember(registry, { accounts: [`https://www.youtube.com/@keys.${algorithm.toLowerCase()}`] });
    const jws = (await registry.currentAttestation(badge.id))!.jws;
    expect(decodeProtectedHeader(jws)).toMatchObject({ alg: algorithm, typ: 'trust-mark+jwt' });
    await expect(check(registry, jws)).resolves.toMatchObject({ valid: true });
  });

  it('callers asking for the current key at once share one load', async () => {
    const before = await registry.keys.current();
    await registry.keys.rotate(algorithm, 'test: shared load');
    const spy = vi.spyOn(registryInternals(registry).context.prisma.signingKey, 'findFirst');
    try {
      const keys = await Promise.all(Array.from({ length: 50 }, () => registry.keys.current()));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
      expect(keys[0]!.kid).not.toBe(before.kid);
    } finally {
      spy.mockRestore();
    }
  });

  it('a load of the current key that a rotation overtakes does not put the replaced key back in the cache', async () => {
    await registry.keys.rotate(algorithm, 'test: empty the cache');
    const delegate = registryInternals(registry).context.prisma.signingKey;
    const findFirst = delegate.findFirst.bind(delegate);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = vi.spyOn(delegate, 'findFirst').mockImplementationOnce((async (args: never) => {
      const row = await findFirst(args);
      await gate; // the old key is read; the rotation below commits before this load ends
      return row;
    }) as never);
    try {
      const inFlight = registry.keys.current();
      const rotated = await registry.keys.rotate(algorithm, 'test: rotate while loading');
      release();
      expect((await inFlight).kid).not.toBe(rotated.kid);
      expect((await registry.keys.current()).kid).toBe(rotated.kid);
    } finally {
      held.mockRestore();
    }
  });

  it('rotation keeps the retired key published until what it signed expires', async () => {
    const { badge } = await createVerifiedMember(registry, { accounts: [`https://www.tiktok.com/@rotate.${algorithm.toLowerCase()}`] });
    const before = (await registry.currentAttestation(badge.id))!;
    const rotated = await registry.keys.rotate(algorithm);
    expect(rotated.kid).not.toBe(before.kid);
    const history = await registry.keys.history();
    const retired = history.find((k) => k.kid === before.kid)!;
    expect(retired.status).toBe('RETIRED');
    expect(retired.publishUntil!.getTime()).toBeGreaterThanOrEqual(before.expiresAt.getTime());
    const kids = (await registry.keys.publicJwks()).keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before.kid, rotated.kid]));
    await expect(check(registry, before.jws)).resolves.toMatchObject({ valid: true });
    // New statements are signed with the new key.
    const renewed = await registry.renewBadge({ badgeId: badge.id });
    expect((await registry.currentAttestation(renewed.id))!.kid).toBe(rotated.kid);
  });

  it('a compromised key leaves the key set at once, is replaced, and its statements fail', async () => {
    const { badge } = await createVerifiedMember(registry, { accounts: [`https://www.instagram.com/compromise.${algorithm.toLowerCase()}`] });
    const signed = (await registry.currentAttestation(badge.id))!;
    await registry.keys.markCompromised(signed.kid, 'private key found on a leaked laptop');
    const kids = (await registry.keys.publicJwks()).keys.map((k) => k.kid);
    expect(kids).not.toContain(signed.kid);
    expect(kids.length).toBeGreaterThan(0);
    const result = await check(registry, signed.jws);
    expect(result).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'UNKNOWN_KEY' })] });
    const entry = (await registry.keys.history()).find((k) => k.kid === signed.kid)!;
    expect(entry).toMatchObject({ status: 'COMPROMISED', reason: 'private key found on a leaked laptop' });
    await expect(registry.keys.markCompromised(signed.kid, 'again')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    // The badge it had attested was re-signed with the replacement key at once.
    const fresh = (await registry.currentAttestation(badge.id))!;
    expect(fresh.id).not.toBe(signed.id);
    expect(fresh.kid).not.toBe(signed.kid);
    await expect(check(registry, fresh.jws)).resolves.toMatchObject({ valid: true });
    const log = await registry.log.entries({ from: 0, count: 100 });
    expect(log.some((e) => e.kind === 'key.compromised' && e.payload.includes(signed.kid))).toBe(true);
  });
});

describe.runIf(process.env.DATABASE_URL)('key changes reach other replicas (PostgreSQL)', () => {
  it('a token accepted by replica B is refused there as soon as replica A marks its key compromised', async () => {
    const { createTestDatabase } = await import('../../src/testing/index.ts');
    const { openRegistry } = await import('../../src/index.ts');
    const database = await createTestDatabase();
    const dataKey = 'r'.repeat(43);
    const a = await openRegistry({ databaseUrl: database.databaseUrl, dataKey, issuer: 'https://replicas.test' });
    const b = await openRegistry({ databaseUrl: database.databaseUrl, dataKey, issuer: 'https://replicas.test' });
    try {
      const token = await a.keys.issueAccessToken({ role: 'PLATFORM', subject: 'platform-1' });
      await expect(b.keys.verifyAccessToken(token)).resolves.toMatchObject({ role: 'PLATFORM' }); // b now caches the key set
      const { kid } = (await a.keys.history())[0]!;
      await a.keys.markCompromised(kid, 'leaked in a public repository');
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused = await b.keys.verifyAccessToken(token).then(() => false, (e: { code?: string }) => e.code === 'UNAUTHENTICATED');
        if (!refused) await new Promise((r) => setTimeout(r, 20));
      }
      expect(refused).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
