import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BATCH, ValidationError, type Registry, type VerifyInput } from '../../src/index.ts';
import { createVerifiedMember, ensurePledge, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, facebookKey, prepareMember, uniqueFacebookUrl } from '../helpers.ts';
import { SPLIT_LOOKUP_MIN_KEYS } from '../../src/verification/verify.ts';
import { MAX_KEYS_PER_LOOKUP, MAX_KEYS_SEARCHED_WITH_LOOKUP } from '../../src/verification/coalesced-lookups.ts';
import { LOOKUP_NOW_SQL } from '../../src/verification/lookup-sql.ts';
import { LOOKUP_NOW_WITH_SEARCH_SQL } from '../../src/verification/lookup-with-search.ts';

let t: TestRegistry;
let registry: Registry;
/** One account per answer status, set up once. */
const urls = {} as Record<'verified' | 'pendingUnproven' | 'pendingNoBadge' | 'suspendedBadge' | 'suspendedMember' | 'revokedBadge' | 'expelledMember' | 'expiredPledge' | 'flagged' | 'unknown', string>;
let verifiedMemberId: string;
let verifiedBadgeId: string;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
  await ensurePledge(registry);

  urls.verified = uniqueFacebookUrl('verified.page');
  const verified = await createVerifiedMember(registry, { accounts: [urls.verified], displayName: 'Trang Tin Cậy', province: 'Đà Nẵng', kind: 'PAGE_ADMIN' });
  verifiedMemberId = verified.member.id;
  verifiedBadgeId = verified.badge.id;

  urls.pendingUnproven = (await prepareMember(registry, { prove: false }))!.url!;
  urls.pendingNoBadge = (await prepareMember(registry))!.url!;

  urls.suspendedBadge = uniqueFacebookUrl('suspended.badge');
  const sb = await createVerifiedMember(registry, { accounts: [urls.suspendedBadge] });
  await registry.suspendBadge({ badgeId: sb.badge.id, reasonCategory: 'UNDER_INVESTIGATION' });

  urls.suspendedMember = uniqueFacebookUrl('suspended.member');
  const sm = await createVerifiedMember(registry, { accounts: [urls.suspendedMember] });
  await registry.changeMemberStatus({ memberId: sm.member.id, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });

  urls.revokedBadge = uniqueFacebookUrl('revoked.badge');
  const rb = await createVerifiedMember(registry, { accounts: [urls.revokedBadge] });
  await registry.revokeBadge({ badgeId: rb.badge.id, reasonCategory: 'LEGAL_VIOLATION' });

  urls.expelledMember = uniqueFacebookUrl('expelled.member');
  const em = await createVerifiedMember(registry, { accounts: [urls.expelledMember] });
  await registry.changeMemberStatus({ memberId: em.member.id, status: 'EXPELLED', reasonCategory: 'LEGAL_VIOLATION' });

  urls.expiredPledge = uniqueFacebookUrl('expired.pledge');
  const ep = await createVerifiedMember(registry, { accounts: [urls.expiredPledge] });
  await registry.withdrawPledge({ memberId: ep.member.id });

  urls.flagged = uniqueFacebookUrl('flagged.scam');
  const report = await registry.reportAccount({ account: urls.flagged, category: 'SCAM', description: 'Lừa đảo' });
  await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true });

  urls.unknown = uniqueFacebookUrl('nobody');
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

describe('verify: one answer per status', () => {
  it.each([
    ['verified', 'VERIFIED'],
    ['unknown', 'NOT_FOUND'],
    ['pendingUnproven', 'PENDING'],
    ['pendingNoBadge', 'PENDING'],
    ['suspendedBadge', 'SUSPENDED'],
    ['suspendedMember', 'SUSPENDED'],
    ['revokedBadge', 'REVOKED'],
    ['expelledMember', 'REVOKED'],
    ['expiredPledge', 'SUSPENDED'],
    ['flagged', 'FLAGGED'],
  ] as const)('%s → %s', async (which, status) => {
    const answer = await registry.verify({ url: urls[which] });
    expect(answer.status).toBe(status);
    expect(answer.error).toBeNull();
    expect(answer.account?.key).toBe(facebookKey(urls[which]));
  });

  it('EXPIRED by time: once the badge has run out', async () => {
    // Only a moment that has come can be asked about: live 400 days on, then come back.
    t.clock.advance(400 * DAY_MS);
    try {
      const answer = await registry.verify({ url: urls.verified }, { lang: 'en' });
      expect(answer.status).toBe('EXPIRED');
      expect(answer.badges.map((b) => b.status)).toEqual(['EXPIRED']);
      expect(answer.reason).toEqual({ code: 'BADGE_EXPIRED', category: null, message: 'The trust badge has expired and was not renewed.' });
    } finally {
      t.clock.advance(-400 * DAY_MS);
    }
  });

  it('INVALID_INPUT carries the error code and message instead of failing', async () => {
    const answer = await registry.verify({ url: 'https://www.facebook.com/login' });
    expect(answer.status).toBe('INVALID_INPUT');
    expect(answer.error).toMatchObject({ code: 'INVALID_ACCOUNT', message: expect.stringMatching(/.{10,}/) });
    expect(answer.account).toBeNull();
    expect(answer.badges).toEqual([]);
  });

  it('a verified answer carries the canonical account, the public profile and the badges', async () => {
    const answer = await registry.verify({ url: urls.verified });
    const badge = (await registry.getBadge(verifiedBadgeId))!;
    expect(answer.account).toEqual({ platform: 'FACEBOOK', key: facebookKey(urls.verified), url: urls.verified });
    expect(answer.member).toEqual({ id: verifiedMemberId, displayName: 'Trang Tin Cậy', kind: 'PAGE_ADMIN', province: 'Đà Nẵng' });
    expect(answer.badges).toEqual([{ id: badge.id, program: 'KOL_TRUST', status: 'ACTIVE', issuedAt: badge.issuedAt, expiresAt: badge.expiresAt }]);
    expect(answer.flags).toEqual([]);
    expect(answer.input).toEqual({ url: urls.verified });
    expect(answer.at).toEqual(answer.checkedAt);
  });

  it('the same account by three spellings of its URL, and by platform and handle', async () => {
    const path = new URL(urls.verified).pathname.slice(1);
    const spellings: VerifyInput[] = [
      { url: `https://m.facebook.com/${path.toUpperCase()}/?ref=share&mibextid=ZbWKwL` },
      { url: `fb.com/${path}/` },
      { url: `http://www.facebook.com/${path}/posts/123456789#comments` },
      { platform: 'FACEBOOK', handle: path },
    ];
    for (const input of spellings) {
      const answer = await registry.verify(input);
      expect(answer.status, JSON.stringify(input)).toBe('VERIFIED');
      expect(answer.member?.id).toBe(verifiedMemberId);
    }
  });

  it('an unknown account is NOT_FOUND with its canonical identity', async () => {
    const answer = await registry.verify({ url: urls.unknown.replace('www.', 'mbasic.') });
    expect(answer).toMatchObject({ status: 'NOT_FOUND', member: null, badges: [], account: { key: facebookKey(urls.unknown), url: urls.unknown } });
  });
});

describe('verifyMany', () => {
  it('answers a mixed batch in order; one bad entry does not fail the batch', async () => {
    const inputs: VerifyInput[] = [
      { url: urls.flagged },
      { url: 'definitely not an account' },
      { url: urls.verified },
      { platform: 'MYSPACE', handle: 'tom' },
      { url: urls.unknown },
      { url: urls.revokedBadge },
      { url: urls.verified },
    ];
    const answers = await registry.verifyMany(inputs);
    expect(answers.map((a) => a.status)).toEqual(['FLAGGED', 'INVALID_INPUT', 'VERIFIED', 'INVALID_INPUT', 'NOT_FOUND', 'REVOKED', 'VERIFIED']);
    expect(answers.map((a) => a.input)).toEqual(inputs);
    expect(answers[1]!.error?.code).toBe('INVALID_ACCOUNT');
    expect(answers[3]!.error?.code).toMatch(/^INVALID_/);
    expect(answers[2]!.member?.id).toBe(verifiedMemberId);
  });

  it('an input with both forms, or half of the second, is an INVALID_INPUT answer, not a guess', async () => {
    const inputs = [
      { url: urls.verified, platform: 'FACEBOOK', handle: 'someone.else' },
      { url: urls.verified, handle: 'someone.else' },
      { platform: 'FACEBOOK' },
      { handle: 'someone.else' },
      { url: urls.verified, platform: null, handle: null },
    ] as unknown as VerifyInput[];
    const answers = await registry.verifyMany(inputs);
    expect(answers.map((a) => a.status)).toEqual(['INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT', 'VERIFIED']);
    expect(answers[0]!.error).toEqual({ code: 'INVALID_ACCOUNT', message: 'Give url, or platform and handle (not both)' });
  });

  it('an empty batch answers nothing', async () => {
    expect(await registry.verifyMany([])).toEqual([]);
  });

  it('more than 1000 inputs is refused with an INVALID_INPUT ValidationError; 1000 is fine', async () => {
    expect(MAX_BATCH).toBe(1000);
    const tooMany = Array.from({ length: 1001 }, () => ({ url: urls.verified }));
    const error = await registry.verifyMany(tooMany).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'inputs' });
    const answers = await registry.verifyMany(tooMany.slice(0, 1000));
    expect(answers).toHaveLength(1000);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set(['VERIFIED']));
  });

  it('issues a small, fixed number of SQL queries whatever the batch size: one lookup per batch of keys, and one lookalike search unless the lookup ran it', async () => {
    const spy = vi.spyOn(registryInternals(registry).db.sql, 'query');
    try {
      const measure = async (inputs: VerifyInput[], options?: { at: Date }) => {
        spy.mockClear();
        const answers = await registry.verifyMany(inputs, options);
        expect(answers).toHaveLength(inputs.length);
        const texts = spy.mock.calls.map((call) => String(call[0]));
        return { answers, queries: texts.length, lookups: texts.filter((q) => q === LOOKUP_NOW_WITH_SEARCH_SQL || q === LOOKUP_NOW_SQL).length };
      };
      // Accounts nobody asked about yet, so no answer can come from a cache of hot lookups.
      const fresh = (n: number, tag: string): VerifyInput[] => Array.from({ length: n }, (_, i) => (i % 3 === 1 ? { url: urls.verified } : { url: uniqueFacebookUrl(`${tag}${i}`) }));
      await registry.verifyMany(fresh(1, 'warm'));
      const one = await measure(fresh(1, 'one'));
      // One lookup, which also searched for lookalikes (the account is unknown).
      expect(one).toMatchObject({ queries: 1, lookups: 1 });
      const many = await measure(fresh(1000, 'many'));
      // Positionally right, across the batches of the lookup.
      expect(many.answers.map((a) => a.status)).toEqual(many.answers.map((_, i) => (i % 3 === 1 ? 'VERIFIED' : 'NOT_FOUND')));
      // 1,000 inputs, 667 distinct keys (the verified one repeats): lookups of at most MAX_KEYS_PER_LOOKUP keys, run at once, too large to search in the lookup; one lookalike search for the 666 unknown; at most three queries in all.
      expect(many.lookups).toBe(Math.ceil(667 / MAX_KEYS_PER_LOOKUP));
      expect(667 - MAX_KEYS_PER_LOOKUP).toBeGreaterThan(MAX_KEYS_SEARCHED_WITH_LOOKUP);
      expect(many.queries).toBe(many.lookups + 1);
      expect(many.queries).toBeLessThanOrEqual(3);
      // The same about a past moment: one query, two halves at once on PostgreSQL (SPLIT_LOOKUP_MIN_KEYS), plus one lookalike search.
      const split = registryInternals(registry).db.kind === 'postgres' ? 1 : 0;
      const at = new Date(Date.now() - 1000);
      const onePast = await measure(fresh(1, 'onepast'), { at });
      const manyPast = await measure(fresh(500, 'past'), { at });
      expect(onePast.queries).toBe(2);
      const thenStatus = (await registry.verify({ url: urls.verified }, { at })).status;
      expect(manyPast.answers.map((a) => a.status)).toEqual(manyPast.answers.map((_, i) => (i % 3 === 1 ? thenStatus : 'NOT_FOUND')));
      expect(500).toBeGreaterThanOrEqual(SPLIT_LOOKUP_MIN_KEYS);
      expect(manyPast.queries).toBe(onePast.queries + split);
    } finally {
      spy.mockRestore();
    }
  });
});
