/**
 * Issue 9's reproductions of channels that disagreed, each through the real registry: verify,
 * the shown badge, the served status list and an offline verifier must say one thing.
 * (1) a flagged verified account; (2) a revoked KOL_TRUST badge beside an active
 * ALLIANCE_MEMBER one; (3) lapsed and withdrawn pledges, suspended and withdrawn members.
 */
import { describe, expect, it } from 'vitest';
import { readStatus, StatusListCache, StatusValue, verifyAttestation, verifySignedAnswer, verifyStatusListToken } from '@trust-alliance/verifier';
import type { Attestation } from '../src/generated/prisma/client.ts';
import { CERTIFICATION_STEPS, statusListUri, type Registry } from '../src/index.ts';
import { createVerifiedMember, PASSING_SCORES, SAMPLE_PLEDGE, type TestClock } from '../src/testing/index.ts';
import { DAY_MS, facebookKey, statusListFetch, uniqueFacebookUrl, useFileRegistry } from './helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t), { registry: { issuer: 'https://tinnhiem.example.vn' } });

/** The attestation's value in the served list, and what an offline verifier concludes. */
async function offline(attestation: Attestation): Promise<{ value: number | undefined; verdict: string }> {
  const { jwt } = await registry.getStatusListToken(attestation.statusListId);
  const jwks = await registry.keys.publicJwks();
  const list = await verifyStatusListToken(jwt, { issuer: registry.issuer, uri: statusListUri(registry.issuer, attestation.statusListId), jwks, now: clock.now() });
  const result = await verifyAttestation(attestation.jws, { issuer: registry.issuer, jwks, fetch: statusListFetch(registry), statusList: new StatusListCache(), now: clock.now() });
  return { value: list.valid ? readStatus(list.statuses, attestation.statusIdx) : undefined, verdict: result.valid ? result.status : result.errors[0]?.code ?? 'UNKNOWN' };
}

const attestedKeys = (jws: string): string[] =>
  (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { accounts: Array<{ key: string }> }).accounts.map((a) => a.key);

async function flag(url: string) {
  const report = await registry.reportAccount({ account: url, category: 'SCAM', description: 'Trang lừa đảo, đã xác minh' });
  return (await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận lừa đảo', flagAccount: true })).flag!;
}

describe('(1) a flagged account reaches every channel', () => {
  it('answers FLAGGED with no attestation; its old attestation turns INVALID, the re-signed one leaves it out; lifting restores', async () => {
    const scam = uniqueFacebookUrl('flagged.main');
    const clean = uniqueFacebookUrl('flagged.other');
    const { badge } = await createVerifiedMember(registry, { accounts: [scam, clean], displayName: 'Trang bị chiếm' });
    const old = (await registry.currentAttestation(badge.id))!;
    expect(attestedKeys(old.jws)).toEqual([facebookKey(scam), facebookKey(clean)]);
    expect(await offline(old)).toEqual({ value: StatusValue.VALID, verdict: 'VALID' });

    const theFlag = await flag(scam);
    const answer = await registry.verify({ url: scam }, { lang: 'en' });
    expect(answer.status).toBe('FLAGGED');
    expect(answer.reason).toEqual({ code: 'ACCOUNT_FLAGGED', category: 'SCAM', message: 'The account is on the flag list: confirmed as a scam or impersonator (scam).' });
    expect(answer.programs).toEqual([{ program: 'KOL_TRUST', status: 'FLAGGED', reason: answer.reason }]);
    expect(answer.attestedBadgeId).toBeNull();
    // The attestation that named the account no longer verifies VALID offline.
    const was = await offline(old);
    expect(was.value).toBe(StatusValue.INVALID);
    expect(was.verdict).not.toBe('VALID');
    // The re-signed attestation names only the account that is not flagged.
    const resigned = (await registry.currentAttestation(badge.id))!;
    expect(resigned.id).not.toBe(old.id);
    expect(attestedKeys(resigned.jws)).toEqual([facebookKey(clean)]);
    expect(await offline(resigned)).toEqual({ value: StatusValue.VALID, verdict: 'VALID' });
    expect((await registry.verify({ url: clean })).status).toBe('VERIFIED');

    clock.advance(1000);
    await registry.liftFlag({ flagId: theFlag.id, reason: 'Chủ trang đã lấy lại tài khoản' });
    const back = await registry.verify({ url: scam });
    expect(back.status).toBe('VERIFIED');
    expect(back.attestedBadgeId).toBe(badge.id);
    const restored = (await registry.currentAttestation(badge.id))!;
    expect(attestedKeys(restored.jws)).toEqual([facebookKey(scam), facebookKey(clean)]);
    expect(await offline(restored)).toEqual({ value: StatusValue.VALID, verdict: 'VALID' });
    expect((await offline(resigned)).value).toBe(StatusValue.INVALID);
  });

  it('a member whose only account is flagged keeps no current attestation', async () => {
    const url = uniqueFacebookUrl('flagged.only');
    const { badge } = await createVerifiedMember(registry, { accounts: [url] });
    const old = (await registry.currentAttestation(badge.id))!;
    await flag(url);
    expect(await registry.currentAttestation(badge.id)).toBeNull();
    expect((await offline(old)).value).toBe(StatusValue.INVALID);
  });
});

describe('(2) per-program answers', () => {
  it('KOL_TRUST revoked while ALLIANCE_MEMBER is active: listed per program, and asked about alone', async () => {
    const url = uniqueFacebookUrl('two.programs');
    const { member, badge: kol } = await createVerifiedMember(registry, { accounts: [url], program: 'KOL_TRUST' });
    await registry.recordAssessment({ memberId: member.id, program: 'ALLIANCE_MEMBER', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    const alliance = await registry.issueBadge({ memberId: member.id, program: 'ALLIANCE_MEMBER' });
    await registry.revokeBadge({ badgeId: kol.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });

    const overall = await registry.verify({ url });
    expect(overall.status).toBe('VERIFIED');
    expect(overall.reason).toBeNull();
    const revoked = { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION', message: 'Huy hiệu tín nhiệm đã bị thu hồi (vi phạm bộ quy tắc ứng xử).' };
    expect(overall.programs).toEqual([
      { program: 'KOL_TRUST', status: 'REVOKED', reason: revoked },
      { program: 'ALLIANCE_MEMBER', status: 'VERIFIED', reason: null },
    ]);
    expect(overall.attestedBadgeId).toBe(alliance.id);

    const kolOnly = await registry.verify({ url }, { program: 'KOL_TRUST' });
    expect(kolOnly).toMatchObject({ status: 'REVOKED', reason: revoked, program: 'KOL_TRUST', programs: [{ program: 'KOL_TRUST', status: 'REVOKED' }], attestedBadgeId: null });
    expect(kolOnly.badges.map((b) => [b.program, b.status])).toEqual([['KOL_TRUST', 'REVOKED']]);
    const [many] = await registry.verifyMany([{ url }], { program: 'KOL_TRUST', lang: 'en' });
    expect(many!.reason?.message).toBe('The trust badge was revoked (code of conduct violation).');
    const none = await registry.verify({ url }, { program: 'OFFICIAL_CHANNEL' });
    expect(none).toMatchObject({ status: 'PENDING', reason: { code: 'NO_BADGE' } });
    await expect(registry.verify({ url }, { program: 'NOT_A_PROGRAM' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'program' });

    // The signed answer says the same, with codes.
    const jwt = await registry.signAnswer(kolOnly);
    const checked = await verifySignedAnswer(jwt, { issuer: registry.issuer, jwks: await registry.keys.publicJwks(), now: clock.now() });
    expect(checked.valid && checked.claims).toMatchObject({
      status: 'REVOKED', program: 'KOL_TRUST',
      reason: { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' },
      programs: [{ program: 'KOL_TRUST', status: 'REVOKED', reason: { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' } }],
    });
  });
});

describe('(3) verify, the shown badge and the list value agree', () => {
  async function expectAgreement(url: string, badgeId: string, expected: { status: string; code: string; badge: string; value: number; vi: RegExp; en: RegExp }) {
    const vi = await registry.verify({ url });
    const en = await registry.verify({ url }, { lang: 'en' });
    expect(vi.status).toBe(expected.status);
    expect(vi.reason?.code).toBe(expected.code);
    expect(vi.reason?.message).toMatch(expected.vi);
    expect(en.reason?.message).toMatch(expected.en);
    expect(vi.badges.find((b) => b.id === badgeId)?.status).toBe(expected.badge);
    expect((await offline((await registry.currentAttestation(badgeId))!)).value).toBe(expected.value);
  }

  it('withdrawn pledge: SUSPENDED everywhere (never EXPIRED while the badge runs)', async () => {
    const url = uniqueFacebookUrl('pledge.withdrawn');
    const { member, badge } = await createVerifiedMember(registry, { accounts: [url] });
    await registry.withdrawPledge({ memberId: member.id, reason: 'Không đồng ý' });
    await expectAgreement(url, badge.id, { status: 'SUSPENDED', code: 'PLEDGE_WITHDRAWN', badge: 'SUSPENDED', value: StatusValue.SUSPENDED, vi: /rút lại chữ ký/, en: /withdrew their pledge/ });
  });

  it('suspended member: SUSPENDED everywhere, the badge shown SUSPENDED', async () => {
    const url = uniqueFacebookUrl('member.suspended');
    const { member, badge } = await createVerifiedMember(registry, { accounts: [url] });
    await registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    await expectAgreement(url, badge.id, { status: 'SUSPENDED', code: 'MEMBER_SUSPENDED', badge: 'SUSPENDED', value: StatusValue.SUSPENDED, vi: /tạm đình chỉ/, en: /membership is suspended/ });
  });

  it('withdrawn member: REVOKED everywhere, the badge shown REVOKED, the entry INVALID', async () => {
    const url = uniqueFacebookUrl('member.withdrawn');
    const { member, badge } = await createVerifiedMember(registry, { accounts: [url] });
    await registry.changeMemberStatus({ memberId: member.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' });
    await expectAgreement(url, badge.id, { status: 'REVOKED', code: 'MEMBER_WITHDRAWN', badge: 'REVOKED', value: StatusValue.INVALID, vi: /rút khỏi Liên minh/, en: /withdrawn from the alliance/ });
  });

  it('lapsed pledge (a new version, its grace over): SUSPENDED everywhere', async () => {
    const url = uniqueFacebookUrl('pledge.lapsed');
    const { badge } = await createVerifiedMember(registry, { accounts: [url] });
    clock.advance(1000);
    await registry.publishPledgeVersion({ ...SAMPLE_PLEDGE, textEn: `${SAMPLE_PLEDGE.textEn} (lapse test)`, graceDays: 30 });
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    clock.advance(31 * DAY_MS);
    await expectAgreement(url, badge.id, { status: 'SUSPENDED', code: 'PLEDGE_LAPSED', badge: 'SUSPENDED', value: StatusValue.SUSPENDED, vi: /cam kết hiện hành/, en: /pledge version in force/ });
  });
});
