import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { CERTIFICATION_STEPS, onboardMember } from '../../src/index.ts';
import { PASSING_SCORES, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const MINUTE = 60_000;

/** Moves the clock on a minute and returns a moment inside the quiet period. */
function pause(): Date {
  clock.advance(MINUTE);
  const moment = clock.now();
  clock.advance(MINUTE);
  return moment;
}

async function statusAt(url: string, at?: Date): Promise<string> {
  return (await registry.verify({ url }, at ? { at } : {})).status;
}

describe('verify(…, { at })', () => {
  it('answers what was true at each moment of a badge history', async () => {
    const url = uniqueFacebookUrl('history');
    const t0 = pause(); // before anything
    const member = await registry.registerMember({ kind: 'KOL', displayName: 'Người có lịch sử' });
    const { account } = await registry.addAccount({ memberId: member.id, account: url });
    const tAdded = pause();
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId: member.id });
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
    await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' });
    await registry.signPledge({ memberId: member.id, method: 'IN_PERSON' });
    await registry.recordAssessment({ memberId: member.id, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    const tProven = pause();
    const badge = await registry.issueBadge({ memberId: member.id, program: 'KOL_TRUST' });
    const t1 = pause();
    await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    const t2 = pause();
    await registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' });
    const t3 = pause();
    await registry.revokeBadge({ badgeId: badge.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });

    expect(await statusAt(url, t0)).toBe('NOT_FOUND');
    expect(await statusAt(url, tAdded)).toBe('PENDING');
    expect(await statusAt(url, tProven)).toBe('PENDING'); // proven and active, but no badge yet
    expect(await statusAt(url, t1)).toBe('VERIFIED');
    expect(await statusAt(url, t2)).toBe('SUSPENDED');
    expect(await statusAt(url, t3)).toBe('VERIFIED');
    expect(await statusAt(url)).toBe('REVOKED');

    const atT2 = await registry.verify({ url }, { at: t2 });
    expect(atT2.at).toEqual(t2);
    expect(atT2.checkedAt.getTime()).toBeGreaterThan(t2.getTime());
    expect(atT2.badges).toMatchObject([{ id: badge.id, status: 'SUSPENDED' }]);
    expect((await registry.verify({ url }, { at: t1 })).badges).toMatchObject([{ id: badge.id, status: 'ACTIVE' }]);

    // verifyMany answers each input as of the same moment.
    const many = await registry.verifyMany([{ url }, { url }], { at: t2 });
    expect(many.map((a) => a.status)).toEqual(['SUSPENDED', 'SUSPENDED']);
  });

  it("follows the member's own status history", async () => {
    const url = uniqueFacebookUrl('memberhistory');
    const { member } = await onboardMember(registry, { member: { kind: 'KOL', displayName: 'Thành viên bị đình chỉ' }, accounts: [url] });
    const active = pause();
    await registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    const suspended = pause();
    await registry.changeMemberStatus({ memberId: member.id, status: 'EXPELLED', reasonCategory: 'LEGAL_VIOLATION' });

    expect(await statusAt(url, active)).toBe('VERIFIED');
    expect(await statusAt(url, suspended)).toBe('SUSPENDED');
    expect(await statusAt(url)).toBe('REVOKED');
  });

  it('expiry by time: verified one millisecond before expiry, EXPIRED at it', async () => {
    const url = uniqueFacebookUrl('expiry');
    const { member } = await onboardMember(registry, { member: { kind: 'KOL', displayName: 'Hết hạn' }, accounts: [url], badge: false });
    const badge = await registry.issueBadge({ memberId: member.id, program: 'KOL_TRUST', validityMonths: 1 });
    // A moment is answered only once it has come (at most 5 minutes ahead): live past the expiry first.
    clock.advance(badge.expiresAt.getTime() + 30 * DAY_MS + MINUTE - clock.now().getTime());
    expect(await statusAt(url, new Date(badge.expiresAt.getTime() - 1))).toBe('VERIFIED');
    expect(await statusAt(url, badge.expiresAt)).toBe('EXPIRED');
    expect(await statusAt(url, new Date(badge.expiresAt.getTime() + 30 * DAY_MS))).toBe('EXPIRED');
    // A renewal does not rewrite the past: the answer as of before the renewal still shows the old expiry.
    const beforeRenewal = pause();
    const renewed = await registry.renewBadge({ badgeId: badge.id });
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(badge.expiresAt.getTime());
    expect(await statusAt(url)).toBe('VERIFIED');
    expect(await statusAt(url, new Date(badge.expiresAt.getTime() + DAY_MS))).toBe('EXPIRED');
    expect((await registry.verify({ url }, { at: beforeRenewal })).badges[0]?.expiresAt).toEqual(badge.expiresAt);
  });

  it('refuses a time that is not a time with INVALID_INPUT', async () => {
    await expect(registry.verify({ url: uniqueFacebookUrl('badtime') }, { at: new Date('not a date') })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'at' });
  });

  it('refuses a moment more than 5 minutes ahead, or before 1970, with INVALID_INPUT naming at (issue 9, case 7)', async () => {
    const url = uniqueFacebookUrl('futuretime');
    const now = clock.now();
    // Within the 5 minutes' allowance for clock skew: answered.
    expect(await statusAt(url, new Date(now.getTime() + 4 * MINUTE))).toBe('NOT_FOUND');
    for (const at of [new Date(now.getTime() + 6 * MINUTE), new Date(now.getTime() + 365 * DAY_MS), new Date('+010000-01-01T00:00:00Z'), new Date('0000-01-01T00:00:00Z'), new Date(-1)]) {
      await expect(registry.verify({ url }, { at })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'at', message: expect.stringMatching(/5 minutes in the future|before 1970/) });
      await expect(registry.verifyMany([{ url }, { url: 'https://www.facebook.com/login' }], { at })).rejects.toMatchObject({ field: 'at' });
    }
  });
});
