/**
 * The whole story of issue 3 item 9, through GraphQL only: register, add an account, prove
 * ownership, sign the pledge, pass the assessment, issue the badge, verify VERIFIED by another
 * spelling, suspend → SUSPENDED, reinstate, revoke → REVOKED, and `at` in the middle answers
 * for that time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './helpers.ts';
import { ADD_ACCOUNT, ADMIN_1, ADMIN_2, ALL_STEPS, APPROVE_PLEDGE, ASSESS, badgeChange, CHANGE_STATUS, CONFIRM, ISSUE, PASSING, PLEDGE_TEXTS, PROPOSE_PLEDGE, REGISTER, SIGN, START_CHALLENGE, VERIFY } from './documents.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t?.close());

describe('the whole story over GraphQL', () => {
  it('runs from registration to revocation, with answers as of any moment', async () => {
    const officer = 'OFFICER' as const;
    const before = new Date(t.clock.now().getTime() - 1000);
    // The first pledge version: one ADMIN proposes, another approves.
    const draft = (await t.gql(PROPOSE_PLEDGE, { input: PLEDGE_TEXTS }, ADMIN_1)).data!.proposePledgeVersion.pledgeVersion;
    expect((await t.gql(APPROVE_PLEDGE, { input: { version: draft.version } }, ADMIN_2)).data?.approvePledgeVersion.pledgeVersion.status).toBe('PUBLISHED');

    const reg = await t.gql(REGISTER, { input: { kind: 'KOL', displayName: 'Nguyễn Thị Kiều Trang', province: 'Cần Thơ' } }, officer);
    const member = reg.data!.registerMember.member;
    expect(member.status).toBe('PENDING');

    // The member adds its own account and starts the challenge with a MEMBER token.
    const self = { role: 'MEMBER' as const, subject: member.id };
    const added = await t.gql(ADD_ACCOUNT, { input: { memberId: member.id, url: 'https://www.facebook.com/kieutrang.review.cantho' } }, self);
    expect(added.data?.addAccount.__typename).toBe('AddAccountPayload');
    const account = added.data!.addAccount.account;
    expect(account.key).toBe('facebook:kieutrangreviewcantho');
    expect(added.data!.addAccount.link.ownership).toBe('UNVERIFIED');

    const started = await t.gql(START_CHALLENGE, { input: { accountId: account.id, memberId: member.id } }, self);
    const challenge = started.data!.startOwnershipChallenge.challenge;
    expect(challenge.code).toMatch(/^TINNHIEM-/);

    // Not verified yet: known account, PENDING.
    expect((await t.gql(VERIFY, { input: { url: account.url } })).data!.verify.status).toBe('PENDING');

    const wrong = await t.gql(CONFIRM, { input: { challengeId: challenge.id, observedCode: 'TINNHIEM-WRONG000' } }, officer);
    expect(wrong.data!.confirmOwnership).toMatchObject({ __typename: 'PreconditionError', code: 'CHALLENGE_FAILED', field: 'observedCode' });
    const confirmed = await t.gql(CONFIRM, { input: { challengeId: challenge.id, observedCode: challenge.code.toLowerCase() } }, officer);
    expect(confirmed.data!.confirmOwnership.link.ownership).toBe('VERIFIED');

    // Issuing now fails with a typed precondition error (member still PENDING).
    const early = await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' } }, officer);
    expect(early.data!.issueBadge).toMatchObject({ __typename: 'PreconditionError', code: 'MEMBER_NOT_ACTIVE' });

    expect((await t.gql(CHANGE_STATUS, { input: { memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' } }, officer)).data!.changeMemberStatus.member.status).toBe('ACTIVE');
    expect((await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' } }, officer)).data!.issueBadge.code).toBe('PLEDGE_NOT_SIGNED');

    const signed = await t.gql(SIGN, { input: { memberId: member.id, method: 'ONLINE' } }, self);
    expect(signed.data!.signPledge.signature.pledgeVersion.version).toBe(1);
    expect((await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' } }, officer)).data!.issueBadge.code).toBe('ASSESSMENT_FAILED');

    const failing = await t.gql(ASSESS, { input: { memberId: member.id, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...PASSING, LEGAL_COMPLIANCE: 5, CONTENT_QUALITY: 5 } } }, officer);
    expect(failing.data!.recordAssessment.assessment.decision).toBe('FAIL');
    const passing = await t.gql(ASSESS, { input: { memberId: member.id, program: 'KOL_TRUST', steps: ALL_STEPS, scores: PASSING } }, officer);
    expect(passing.data!.recordAssessment.assessment).toMatchObject({ decision: 'PASS', totalScore: 85 });

    const issued = await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' } }, officer);
    const badge = issued.data!.issueBadge.badge;
    expect(badge.status).toBe('ACTIVE');

    // VERIFIED, by another spelling of the URL.
    const verified = await t.gql(VERIFY, { input: { url: 'm.facebook.com/KieuTrang.Review.CanTho/?ref=share&mibextid=abc' } });
    expect(verified.data!.verify).toMatchObject({ status: 'VERIFIED', account: { key: 'facebook:kieutrangreviewcantho' }, member: { id: member.id, displayName: 'Nguyễn Thị Kiều Trang', province: 'Cần Thơ' } });
    expect(verified.data!.verify.badges).toEqual([expect.objectContaining({ id: badge.id, program: 'KOL_TRUST', status: 'ACTIVE' })]);
    t.clock.advance(60_000);
    const verifiedAt = new Date(t.clock.now().getTime());
    t.clock.advance(60_000);

    const suspended = await t.gql(badgeChange('suspendBadge'), { input: { badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'bí mật' } }, officer);
    expect(suspended.data!.suspendBadge.badge.status).toBe('SUSPENDED');
    expect((await t.gql(VERIFY, { input: { platform: 'FACEBOOK', handle: 'kieutrang.review.cantho' } })).data!.verify.status).toBe('SUSPENDED');
    t.clock.advance(60_000);
    const suspendedAt = new Date(t.clock.now().getTime());
    t.clock.advance(60_000);

    const reinstated = await t.gql(badgeChange('reinstateBadge'), { input: { badgeId: badge.id, reasonCategory: 'REINSTATED' } }, officer);
    expect(reinstated.data!.reinstateBadge.badge.status).toBe('ACTIVE');
    expect((await t.gql(VERIFY, { input: { url: 'fb.com/kieutrang.review.cantho' } })).data!.verify.status).toBe('VERIFIED');
    t.clock.advance(60_000);

    const revoked = await t.gql(badgeChange('revokeBadge'), { input: { badgeId: badge.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' } }, officer);
    expect(revoked.data!.revokeBadge.badge.status).toBe('REVOKED');
    expect(revoked.data!.revokeBadge.badge.history.map((e: { action: string }) => e.action)).toEqual(['ISSUE', 'SUSPEND', 'REINSTATE', 'REVOKE']);
    expect((await t.gql(VERIFY, { input: { url: 'https://www.facebook.com/kieutrang.review.cantho' } })).data!.verify.status).toBe('REVOKED');

    // A revoked badge cannot be reinstated: typed error, with from/to.
    const again = await t.gql(badgeChange('reinstateBadge'), { input: { badgeId: badge.id, reasonCategory: 'REINSTATED' } }, officer);
    expect(again.data!.reinstateBadge).toMatchObject({ __typename: 'InvalidTransitionError', code: 'INVALID_TRANSITION', from: 'REVOKED', to: 'ACTIVE' });

    // As of earlier moments, the answers of those moments.
    const url = { url: 'https://www.facebook.com/kieutrang.review.cantho' };
    const asVerified = await t.gql(VERIFY, { input: url, at: verifiedAt.toISOString() });
    expect(asVerified.data!.verify).toMatchObject({ status: 'VERIFIED', at: verifiedAt.toISOString() });
    expect((await t.gql(VERIFY, { input: url, at: suspendedAt.toISOString() })).data!.verify.status).toBe('SUSPENDED');
    expect((await t.gql(VERIFY, { input: url, at: before.toISOString() })).data!.verify.status).toBe('NOT_FOUND');
  });
});
