/**
 * The hot-lookup cache stays within both of its bounds (entries and ring bytes), dropping the
 * oldest first, keeps lookalike answers with their key, and gives back fresh facts on each hit.
 */
import { describe, expect, it } from 'vitest';
import { approximateBytes, DEFAULT_CACHE_MAX_BYTES, LookupCache } from '../../src/kernel/lookup-cache.ts';
import type { AccountFacts } from '../../src/rules/facts.ts';
import { packFacts, unpackFacts } from '../../src/kernel/packed-facts.ts';

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
  it('estimates more heap for more lookalikes, and counts non-Latin text twice', () => {
    const one = { platform: 'FACEBOOK', key: 'facebook:x', url: 'https://facebook.com/x', displayName: 'X', match: 'SPELLING' };
    expect(approximateBytes([one, one])).toBeGreaterThan(approximateBytes([one]));
    expect(approximateBytes('Hà Nội')).toBeGreaterThan(approximateBytes('Ha Noi'));
    expect(DEFAULT_CACHE_MAX_BYTES).toBe(32 * 1024 * 1024);
  });

  it('keeps its records within maxBytes, dropping the oldest; the ring is all the memory it writes', () => {
    const probe = new LookupCache();
    probe.set('k0000', facts('k0000'), probe.generation);
    const one = probe.bytes;
    expect(one % 8).toBe(0);
    const cache = new LookupCache({ maxEntries: 1_000, maxBytes: 10 * one + 100 });
    for (let i = 0; i < 50; i++) cache.set(`k${String(i).padStart(4, '0')}`, facts(`k${String(i).padStart(4, '0')}`), cache.generation);
    expect(cache.bytes).toBeLessThanOrEqual(10 * one + 100);
    expect(cache.size).toBe(10);
    expect(cache.get('k0049')).toEqual(facts('k0049'));
    expect(cache.get('k0040')).toEqual(facts('k0040'));
    expect(cache.get('k0039')).toBeUndefined();
    const memory = cache.memory();
    expect(memory.ringBytesTouched).toBeLessThanOrEqual(10 * one + 100);
    expect(memory.liveBytes).toBe(10 * one);
  });

  it('keeps facts packed: the same facts back on a hit, fresh objects each time', () => {
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
    const cache = new LookupCache();
    for (const [key, value] of [['k1', full], ['u', unknown], ['f', flaggedOnly], ['k2', otherKey]] as const) cache.set(key, value, cache.generation);
    for (const [key, value] of [['k1', full], ['u', unknown], ['f', flaggedOnly], ['k2', otherKey]] as const) {
      const back = cache.get(key)!;
      expect(back).toEqual(value);
      expect(cache.get(key)).not.toBe(back);
      back.admins[0]?.ownership.push({ status: 'REVOKED', at: new Date(1) });
      expect(cache.get(key)).toEqual(value);
    }
    expect(packFacts('u', unknown).length).toBe(0);
    expect(unpackFacts('u', packFacts('u', unknown))).toEqual(unknown);
  });

  it('keeps text of any length and script; a key or entry too big for the ring is not kept', () => {
    const long: AccountFacts = { ...facts('k3', 2), url: `https://www.facebook.com/${'x'.repeat(70_000)}` };
    long.admins[0]!.member.displayName = '🌟 Nguyễn Thị Thu Hà 🌟';
    const cache = new LookupCache();
    cache.set('k3', long, cache.generation);
    expect(cache.get('k3')).toEqual(long);
    const small = new LookupCache({ maxBytes: 4096 });
    small.set('k3', facts('k3'), small.generation);
    expect(small.get('k3')).toEqual(facts('k3'));
    small.set('k3', long, small.generation); // new facts too big to keep: the old ones go too, never answered again
    small.set('k4', facts('k4'), small.generation);
    expect(small.get('k3')).toBeUndefined();
    expect(small.get('k4')).toEqual(facts('k4'));
    const longKey = `facebook:${'y'.repeat(5_000)}`;
    cache.set(longKey, facts(longKey), cache.generation);
    expect(cache.get(longKey)).toBeUndefined();
    expect(cache.get('k3')).toEqual(long);
  });

  it('refuses packed bytes it cannot read instead of answering from shifted fields', () => {
    const packed = Buffer.from(packFacts('k5', facts('k5')));
    const shifted = Buffer.from(packed);
    shifted[0] = 0xff;
    expect(() => unpackFacts('k5', shifted)).toThrow(/packed facts/);
    // Read with the wrong end (as if the record's length were off): refused, not answered from the next bytes.
    const withMore = Buffer.concat([packed, packed]);
    expect(() => unpackFacts('k5', withMore, 0, packed.length + 3)).toThrow(/packed facts/);
    expect(unpackFacts('k5', withMore, packed.length, withMore.length)).toEqual(facts('k5'));
  });

  it('keeps lookalike answers with their key\'s facts: dropped with them and cleared together', () => {
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
    cache.set('d', facts('d'), cache.generation); // drops a, the oldest, and its lookalikes
    expect(cache.getLookalikes('a')).toBeUndefined();
    expect(cache.bytes).toBe(bytes);
    expect(cache.getLookalikes('b')).toEqual([]);
    cache.setLookalikes('c', lookalike, cache.generation);
    cache.set('c', facts('c'), cache.generation); // facts stored again: the lookalikes found before go
    expect(cache.getLookalikes('c')).toBeUndefined();
    expect(cache.bytes).toBe(bytes);
    const stale = cache.generation;
    cache.clear();
    cache.set('a', facts('a'), cache.generation);
    cache.setLookalikes('a', lookalike, stale); // raced a change: not kept
    expect(cache.getLookalikes('a')).toBeUndefined();
  });

  it('keeps heap-held lookalike answers within a quarter of maxBytes', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ platform: 'FACEBOOK', key: `facebook:x${i}`, url: `https://facebook.com/x${i}`, displayName: `X ${i}`, match: 'SPELLING' as const }));
    const maxBytes = 4 * approximateBytes(many) + 100;
    const cache = new LookupCache({ maxBytes });
    for (const key of ['a', 'b']) cache.set(key, facts(key), cache.generation);
    cache.setLookalikes('a', many, cache.generation);
    cache.setLookalikes('b', many, cache.generation); // over the quarter: not kept, searched again next time
    expect(cache.getLookalikes('a')).toEqual(many);
    expect(cache.getLookalikes('b')).toBeUndefined();
    expect(cache.memory().lookalikeBytes).toBeLessThanOrEqual(maxBytes / 4);
  });

  it('expires an entry maxAgeMs after it was stored, hits or not', () => {
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const cache = new LookupCache({ maxAgeMs: 100 });
      cache.set('a', facts('a'), cache.generation);
      now += 60;
      expect(cache.get('a')).toBeDefined();
      now += 60;
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(0);
    } finally {
      Date.now = realNow;
    }
  });

  it('keeps the entry bound, replaces a key without counting it twice, and forgets all bytes on clear', () => {
    const cache = new LookupCache({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, facts(key), cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    const bytes = cache.bytes;
    cache.set('d', facts('d'), cache.generation);
    expect(cache.bytes).toBe(bytes);
    expect(cache.size).toBe(3);
    cache.clear();
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
    expect(cache.get('d')).toBeUndefined();
  });

  it('holds nothing when turned off', () => {
    const cache = new LookupCache({ maxEntries: 0, maxAgeMs: 0 });
    cache.set('a', facts('a'), cache.generation);
    cache.setLookalikes('a', [], cache.generation);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(cache.memory().ringBytesTouched).toBe(0);
  });
});
