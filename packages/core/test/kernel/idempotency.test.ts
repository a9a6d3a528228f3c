/**
 * Idempotency keys: a retry returns the first result and changes nothing, other input with the
 * same key is a CONFLICT, a failed first attempt leaves the key free, and concurrent duplicates
 * apply once (with real concurrency on PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';

describe('idempotency keys', () => {
  let test: TestRegistry;
  let registry: Registry;
  const scope = 'registerMember:OFFICER:officer-1';
  beforeAll(async () => {
    test = await openTestRegistry();
    registry = test.registry;
  });
  afterAll(() => test.close());

  const register = (key: string, displayName: string) => {
    const input = { kind: 'KOL' as const, displayName };
    return registry.withIdempotency({ scope, key, input }, () => registry.registerMember(input));
  };
  const count = () => registryInternals(registry).db.prisma.member.count();
  const logSize = () => registryInternals(registry).db.prisma.logEntry.count();

  it('a retry returns the first result and changes nothing', async () => {
    const first = await register('retry-1', 'Võ Thị Lặp');
    const [members, entries] = [await count(), await logSize()];
    const second = await register('retry-1', 'Võ Thị Lặp');
    expect(second).toEqual(first);
    expect(second.createdAt).toBeInstanceOf(Date);
    expect(await count()).toBe(members);
    expect(await logSize()).toBe(entries);
  });

  it('stores a keyed fingerprint of the input, not a hash anyone can recompute from a guessed value', async () => {
    const { createHash } = await import('node:crypto');
    const { canonicalJson } = await import('@trust-alliance/verifier');
    const input = { kind: 'KOL' as const, displayName: 'Lâm Thị Số' };
    await register('fingerprint-1', input.displayName);
    const record = await registryInternals(registry).db.prisma.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope, key: 'fingerprint-1' } } });
    expect(record.requestHash).toMatch(/^[0-9a-f]{32}$/);
    expect(record.requestHash).not.toBe(createHash('sha256').update(canonicalJson(input)).digest('hex'));
    // Another registry (another data key) fingerprints the same input differently.
    const other = await openTestRegistry();
    try {
      await other.registry.withIdempotency({ scope, key: 'fingerprint-1', input }, () => other.registry.registerMember(input));
      const theirs = await registryInternals(other.registry).db.prisma.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope, key: 'fingerprint-1' } } });
      expect(theirs.requestHash).not.toBe(record.requestHash);
    } finally {
      await other.close();
    }
  });

  it('the same key with other input is a CONFLICT', async () => {
    await register('conflict-1', 'Đặng Văn Một');
    const members = await count();
    await expect(register('conflict-1', 'Đặng Văn Hai')).rejects.toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await count()).toBe(members);
  });

  it('keys are scoped: another actor may use the same key', async () => {
    const input = { kind: 'KOL' as const, displayName: 'Hồ Văn Phạm Vi' };
    const a = await registry.withIdempotency({ scope, key: 'scoped-1', input }, () => registry.registerMember(input));
    const b = await registry.withIdempotency({ scope: 'registerMember:OFFICER:officer-2', key: 'scoped-1', input }, () => registry.registerMember(input));
    expect(b.id).not.toBe(a.id);
  });

  it('a failed attempt leaves the key free for a corrected retry', async () => {
    const bad = { kind: 'KOL' as const, displayName: 'Ngô Thử Lại', personal: { email: 'not-an-email' } };
    await expect(registry.withIdempotency({ scope, key: 'fail-1', input: { x: 1 } }, () => registry.registerMember(bad))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const good = { kind: 'KOL' as const, displayName: 'Ngô Thử Lại' };
    await expect(registry.withIdempotency({ scope, key: 'fail-1', input: { x: 1 } }, () => registry.registerMember(good))).resolves.toMatchObject({ displayName: 'Ngô Thử Lại' });
  });

  it('rejects an empty or oversized key', async () => {
    await expect(register('', 'X')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'idempotencyKey' });
    await expect(register('k'.repeat(201), 'X')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'idempotencyKey' });
  });

  it('refuses text that is not valid Unicode (an unpaired surrogate) in the key or the input, changing nothing', async () => {
    const [members, entries] = [await count(), await logSize()];
    await expect(register('key-\ud800', 'X')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'idempotencyKey' });
    await expect(register('key-surrogate-input', 'Tên \udc00 lạ')).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'input' });
    // A well-formed pair (an emoji) is fine.
    await expect(register('key-emoji', 'Trang 😀')).resolves.toMatchObject({ displayName: 'Trang 😀' });
    expect([await count(), await logSize()]).toEqual([members + 1, entries + 1]);
  });

  it(`concurrent duplicates apply once (${process.env.DATABASE_URL ? 'PostgreSQL, real concurrency' : 'PGlite, serialized'})`, async () => {
    const members = await count();
    const results = await Promise.all(Array.from({ length: 6 }, () => register('race-1', 'Lý Đồng Thời')));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await count()).toBe(members + 1);
  });
});
