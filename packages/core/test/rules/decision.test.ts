/**
 * Rows of the rule table (packages/core/README.md) that the property test
 * (decision.property.test.ts) does not reach: an account the registry does not know, flagged or
 * not, asked about with or without a program; and a flagged badge, which answers FLAGGED while
 * the badge is shown as it stands.
 */
import { describe, expect, it } from 'vitest';
import { decideAccount, decideBadge } from '../../src/rules/decision.ts';
import type { AccountFacts } from '../../src/rules/facts.ts';

const at = new Date(Date.UTC(2026, 5, 1));
const before = new Date(Date.UTC(2026, 0, 1));
const unknown = (flags: AccountFacts['flags']): AccountFacts => ({ accountId: null, platform: null, key: null, url: null, flags, admins: [] });

describe('an account the registry does not know', () => {
  it('is NOT_FOUND, with the program asked about listed as NOT_FOUND, and no program listed when none is asked', () => {
    const asked = decideAccount(unknown([]), [], at, 'KOL_TRUST');
    expect(asked).toMatchObject({ status: 'NOT_FOUND', reason: { code: 'ACCOUNT_UNKNOWN', category: null }, member: null, badges: [], attestedBadgeId: null });
    expect(asked.programs).toEqual([{ program: 'KOL_TRUST', status: 'NOT_FOUND', reason: { code: 'ACCOUNT_UNKNOWN', category: null } }]);
    expect(decideAccount(unknown([]), [], at).programs).toEqual([]);
  });

  it('is FLAGGED when a flag stands on it, for the program asked about too, with the flag listed', () => {
    const flags = [{ category: 'SCAM', createdAt: before, liftedAt: null }];
    const asked = decideAccount(unknown(flags), [], at, 'KOL_TRUST');
    expect(asked).toMatchObject({ status: 'FLAGGED', reason: { code: 'ACCOUNT_FLAGGED', category: 'SCAM' }, attestedBadgeId: null });
    expect(asked.programs).toEqual([{ program: 'KOL_TRUST', status: 'FLAGGED', reason: { code: 'ACCOUNT_FLAGGED', category: 'SCAM' } }]);
    expect(asked.flags).toEqual([{ category: 'SCAM', since: before }]);
    expect(decideAccount(unknown(flags), [], at).programs).toEqual([]);
  });
});

describe('a flagged badge', () => {
  it('answers FLAGGED with the flag\'s category, and is shown as the badge stands', () => {
    const badge = { status: 'SUSPENDED' as const, expiresAt: new Date(Date.UTC(2027, 0, 1)), at: before, category: 'UNDER_INVESTIGATION' };
    expect(decideBadge({ memberStatus: 'ACTIVE', badge, pledge: 'GOOD', flagCategory: 'SCAM' }, at)).toEqual({
      status: 'FLAGGED',
      reason: { code: 'ACCOUNT_FLAGGED', category: 'SCAM' },
      shown: 'SUSPENDED',
    });
    expect(decideBadge({ memberStatus: 'ACTIVE', badge: { ...badge, status: 'ACTIVE' }, pledge: 'GOOD', flagCategory: 'IMPERSONATION' }, at).shown).toBe('ACTIVE');
  });
});
