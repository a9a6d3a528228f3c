/**
 * The hot-lookup cache stays within both of its bounds (entries and estimated bytes), dropping
 * the least recently used first, and its byte count follows what it holds.
 */
import { describe, expect, it } from 'vitest';
import { approximateBytes, DEFAULT_CACHE_MAX_BYTES, LookupCache } from '../../src/kernel/lookup-cache.ts';
import type { AccountFacts } from '../../src/rules/facts.ts';
import { packedBytes, packFacts, unpackFacts } from '../../src/kernel/packed-facts.ts';

function facts(key: string, admins = 1): AccountFacts {
  return {
    accountId: `acc-${key}`,
    platform: 'FACEBOOK',
    key,
    url: `https://www.facebook.com/${key}`,
    flags: [],
    admins: Array.from({ length: admins }, (_, i) => ({
      member: { id: `m-${key}-${i}`, displayName: 'Nguyễn Thị Thu Hà', kind: 'KOL', province: 'Hà Nội' },
      ownership: [{ status: 'VERIFIED', at: new Date(0) }],
      memberEvents: [{ status: 'ACTIVE', at: new Date(0) }],
      signatures: [{ version: 1, signedAt: new Date(0), withdrawnAt: null }],
      badges: [{ id: `b-${key}-${i}`, program: 'KOL_TRUST', issuedAt: new Date(0), events: [{ status: 'ACTIVE', expiresAt: new Date(1e12), at: new Date(0), category: null }] }],
    })),
  } as AccountFacts;
}

describe('lookup cache bounds', () => {
  it('estimates more bytes for more facts, and counts non-Latin text twice', () => {
    expect(approximateBytes(facts('a', 3))).toBeGreaterThan(approximateBytes(facts('a', 1)));
    expect(approximateBytes(facts('a', 1))).toBeGreaterThan(approximateBytes({ ...facts('a', 0) }));
    expect(approximateBytes('Hà Nội')).toBeGreaterThan(approximateBytes('Ha Noi'));
    expect(DEFAULT_CACHE_MAX_BYTES).toBe(128 * 1024 * 1024);
  });

  it('keeps the estimated bytes under maxBytes, dropping the least recently used', () => {
    const probe = new LookupCache();
    probe.set('k0000', facts('k0000'), probe.generation);
    const one = probe.bytes;
    const cache = new LookupCache({ maxEntries: 1_000, maxBytes: 10 * one + 100 });
    for (let i = 0; i < 50; i++) {
      cache.set(`k${String(i).padStart(4, '0')}`, facts(`k${String(i).padStart(4, '0')}`), cache.generation);
      if (i === 5) expect(cache.get('k0000')).toBeDefined(); // used again: now the most recent
    }
    expect(cache.bytes).toBeLessThanOrEqual(10 * one + 100);
    expect(cache.size).toBeGreaterThan(5);
    expect(cache.size).toBeLessThan(12);
    expect(cache.get('k0049')).toBeDefined();
    expect(cache.get('k0001')).toBeUndefined();
    // Lookalike answers count against the same budget.
    const before = cache.bytes;
    cache.setLookalikes('k0049', [{ platform: 'FACEBOOK', key: 'facebook:x', url: 'https://facebook.com/x', displayName: 'X', match: 'SPELLING' }], cache.generation);
    expect(cache.bytes).toBeLessThanOrEqual(10 * one + 100);
    expect(cache.bytes === before).toBe(false);
  });

  it('keeps facts packed: the same facts back on a hit, fresh objects each time, in far fewer bytes', () => {
    const full: AccountFacts = {
      ...facts('k1', 2),
      flags: [{ category: 'SCAM', createdAt: new Date(5), liftedAt: null }, { category: 'SCAM', createdAt: new Date(6), liftedAt: new Date(7) }],
    };
    full.admins[1]!.signatures.push({ version: 2, signedAt: new Date(8), withdrawnAt: new Date(9) });
    full.admins[1]!.badges[0]!.events.push({ status: 'REVOKED', expiresAt: new Date(1e12), at: new Date(10), category: 'LEGAL_VIOLATION' });
    full.admins[0]!.member.province = null;
    const unknown: AccountFacts = { accountId: null, platform: null, key: null, url: null, flags: [], admins: [] };
    const flaggedOnly: AccountFacts = { ...unknown, flags: [{ category: 'SCAM', createdAt: new Date(1), liftedAt: null }] };
    const otherKey: AccountFacts = { ...facts('k2'), key: 'k-other' };
    for (const [key, value] of [['k1', full], ['u', unknown], ['f', flaggedOnly], ['k2', otherKey]] as const) {
      const cache = new LookupCache();
      cache.set(key, value, cache.generation);
      const back = cache.get(key)!;
      expect(back).toEqual(value);
      expect(cache.get(key)).not.toBe(back);
      back.admins[0]?.ownership.push({ status: 'REVOKED', at: new Date(1) });
      expect(cache.get(key)).toEqual(value);
    }
    expect(packedBytes(packFacts('k1', full))).toBeLessThan(approximateBytes(full) / 2);
    expect(packedBytes(packFacts('u', unknown))).toBe(0);
    expect(unpackFacts('u', packFacts('u', unknown))).toEqual(unknown);
  });

  it('keeps each key in a buffer of its own bytes (no pinned shared pool), text of any length and script', () => {
    const long: AccountFacts = { ...facts('k3', 2), url: `https://www.facebook.com/${'x'.repeat(70_000)}` };
    long.admins[0]!.member.displayName = '🌟 Nguyễn Thị Thu Hà 🌟';
    const packed = packFacts('k3', long);
    expect(packed.buffer.byteLength).toBe(packed.length); // a slice of Node's pool would keep its whole slab alive
    expect(unpackFacts('k3', packed)).toEqual(long);
    expect(packedBytes(packed)).toBeGreaterThan(70_000);
    const small = packFacts('k4', facts('k4'));
    expect(small.length).toBeLessThan(packed.length);
    expect(unpackFacts('k4', small)).toEqual(facts('k4'));
  });

  it('refuses packed bytes it cannot read instead of answering from shifted fields', () => {
    const packed = Buffer.from(packFacts('k5', facts('k5')));
    packed[0] = 0xff;
    expect(() => unpackFacts('k5', packed)).toThrow(/packed facts/);
  });

  it('keeps lookalike answers with their key\'s facts: as recently used, dropped and cleared together', () => {
    const lookalike = [{ platform: 'FACEBOOK', key: 'facebook:x', url: 'https://facebook.com/x', displayName: 'X', match: 'SPELLING' as const }];
    const cache = new LookupCache({ maxEntries: 3 });
    cache.setLookalikes('a', lookalike, cache.generation); // no facts cached for it: nothing kept
    expect(cache.getLookalikes('a')).toBeUndefined();
    for (const key of ['a', 'b', 'c']) cache.set(key, facts(key), cache.generation);
    const bytes = cache.bytes;
    cache.setLookalikes('a', lookalike, cache.generation);
    cache.setLookalikes('b', [], cache.generation);
    expect(cache.bytes).toBe(bytes + approximateBytes(lookalike));
    expect(cache.getLookalikes('a')).toEqual(lookalike);
    expect(cache.getLookalikes('b')).toEqual([]);
    expect(cache.getLookalikes('c')).toBeUndefined(); // not searched yet
    cache.get('a'); // a hot key: its lookalikes stay with it
    cache.set('d', facts('d'), cache.generation); // drops b, the least recently used
    expect(cache.getLookalikes('a')).toEqual(lookalike);
    expect(cache.getLookalikes('b')).toBeUndefined();
    const stale = cache.generation;
    cache.clear();
    cache.set('a', facts('a'), cache.generation);
    cache.setLookalikes('a', lookalike, stale); // raced a change: not kept
    expect(cache.getLookalikes('a')).toBeUndefined();
  });

  it('keeps the entry bound, replaces a key without counting it twice, and forgets all bytes on clear', () => {
    const cache = new LookupCache({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, facts(key), cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    const bytes = cache.bytes;
    cache.set('d', facts('d'), cache.generation);
    expect(cache.bytes).toBe(bytes);
    cache.clear();
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('holds nothing when turned off', () => {
    const cache = new LookupCache({ maxEntries: 0, maxAgeMs: 0 });
    cache.set('a', facts('a'), cache.generation);
    cache.setLookalikes('a', [], cache.generation);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
