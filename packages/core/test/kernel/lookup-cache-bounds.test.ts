/**
 * The hot-lookup cache stays within both of its bounds (entries and estimated bytes), dropping
 * the least recently used first, and its byte count follows what it holds.
 */
import { describe, expect, it } from 'vitest';
import { approximateBytes, DEFAULT_CACHE_MAX_BYTES, LookupCache } from '../../src/kernel/lookup-cache.ts';
import type { AccountFacts } from '../../src/rules/facts.ts';

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
    const one = approximateBytes(facts('k0000'));
    const cache = new LookupCache({ maxEntries: 1_000, maxBytes: 10 * (one + 200) });
    for (let i = 0; i < 50; i++) {
      cache.set(`k${String(i).padStart(4, '0')}`, facts(`k${String(i).padStart(4, '0')}`), cache.generation);
      if (i === 5) expect(cache.get('k0000')).toBeDefined(); // used again: now the most recent
    }
    expect(cache.bytes).toBeLessThanOrEqual(10 * (one + 200));
    expect(cache.size).toBeGreaterThan(5);
    expect(cache.size).toBeLessThan(12);
    expect(cache.get('k0049')).toBeDefined();
    expect(cache.get('k0001')).toBeUndefined();
    // Lookalike answers count against the same budget.
    const before = cache.bytes;
    cache.setLookalikes('k0049', [{ platform: 'FACEBOOK', key: 'facebook:x', url: 'https://facebook.com/x', displayName: 'X', match: 'SPELLING' }], cache.generation);
    expect(cache.bytes).toBeLessThanOrEqual(10 * (one + 200));
    expect(cache.bytes === before).toBe(false);
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
