/**
 * The lookup cache's packed form gives back exactly the facts it was given: random account facts
 * (any number of flags, admins, histories, signatures and badges; text in any script, empty or
 * long; timestamps anywhere a Date can be, or null where null is allowed) survive packFacts →
 * unpackFacts unchanged, with the account key stored once when it is the cache key. Text is
 * well-formed Unicode, as everything read from PostgreSQL is (the buffer holds it as UTF-8).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { AccountFacts } from '../../src/rules/facts.ts';
import { packFacts, unpackFacts } from '../../src/kernel/packed-facts.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const enumLike = fc.constantFrom('FACEBOOK', 'TIKTOK', 'ACTIVE', 'SUSPENDED', 'REVOKED', 'VERIFIED', 'KOL', 'Hà Nội', 'SCAM', 'KOL_TRUST');
const date = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true });
const timed = fc.record({ status: enumLike, at: date });
const badgeEvent = fc.record({
  status: fc.constantFrom('ACTIVE', 'SUSPENDED', 'REVOKED') as fc.Arbitrary<'ACTIVE' | 'SUSPENDED' | 'REVOKED'>,
  expiresAt: date,
  at: date,
  category: fc.option(enumLike, { nil: null }),
});
const admin = fc.record({
  member: fc.record({ id: text, displayName: text, kind: enumLike, province: fc.option(enumLike, { nil: null }) }),
  ownership: fc.array(timed, { maxLength: 3 }),
  memberEvents: fc.array(timed, { maxLength: 3 }),
  signatures: fc.array(fc.record({ version: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), signedAt: date, withdrawnAt: fc.option(date, { nil: null }) }), { maxLength: 3 }),
  badges: fc.array(fc.record({ id: text, program: enumLike, issuedAt: date, events: fc.array(badgeEvent, { maxLength: 3 }) }), { maxLength: 3 }),
});
const facts: fc.Arbitrary<AccountFacts> = fc.record({
  accountId: fc.option(text, { nil: null }),
  platform: fc.option(enumLike, { nil: null }),
  key: fc.option(fc.constantFrom('facebook:the.cache.key', 'facebook:another.key'), { nil: null }),
  url: fc.option(fc.oneof(text, fc.string({ minLength: 1_000, maxLength: 3_000 })), { nil: null }),
  flags: fc.array(fc.record({ category: enumLike, createdAt: date, liftedAt: fc.option(date, { nil: null }) }), { maxLength: 3 }),
  admins: fc.array(admin, { maxLength: 3 }),
});

describe('packed facts', () => {
  it('unpack(pack(facts)) equals the facts, whatever they hold', () => {
    fc.assert(
      fc.property(facts, (value) => {
        const packed = packFacts('facebook:the.cache.key', value);
        expect(unpackFacts('facebook:the.cache.key', packed)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('grows its write buffer at any value without losing a byte', async () => {
    // Each fresh module starts with its small write buffer; shifting the padding moves the
    // point where an entry outgrows it across every kind of value (text, count, time, enum).
    const admin = (i: number, pad: number) => ({
      member: { id: `m${i}`, displayName: 'x'.repeat(pad), kind: 'KOL', province: 'Hà Nội' },
      ownership: [{ status: 'VERIFIED', at: new Date(i) }],
      memberEvents: [{ status: 'ACTIVE', at: new Date(i + 1) }],
      signatures: [{ version: i, signedAt: new Date(i + 2), withdrawnAt: null }],
      badges: [{ id: `b${i}`, program: 'KOL_TRUST', issuedAt: new Date(i + 3), events: [{ status: 'ACTIVE' as const, expiresAt: new Date(i + 4), at: new Date(i + 5), category: null }] }],
    });
    for (let pad = 0; pad < 24; pad++) {
      vi.resetModules();
      const fresh = await import('../../src/kernel/packed-facts.ts');
      const value: AccountFacts = { accountId: 'a', platform: 'FACEBOOK', key: 'k', url: 'u', flags: [], admins: Array.from({ length: 200 }, (_, i) => admin(i, pad)) };
      expect(fresh.unpackFacts('k', fresh.packFacts('k', value))).toEqual(value);
    }
  });
});
