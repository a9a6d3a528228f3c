/**
 * The trust rules of `verify`, now and "as of" a moment, through the registry's public API:
 * a member who left, a verified account that was later flagged, the exact instants a flag
 * starts and ends, a pledge withdrawn or not re-signed after a new version's grace period,
 * and an account with several admins. Each was a place where a wrong answer passed the suite
 * unnoticed (mutation testing, see docs/MUTATION-TESTING.md).
 *
 * The rules are asserted as "is VERIFIED", "is not VERIFIED" and "is FLAGGED": which
 * non-verified status a case gets (PENDING, REVOKED, EXPIRED…) is pinned by other tests.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const officer = { id: 'officer-verify-rules', role: 'OFFICER' } as const;

async function statusAt(url: string, at?: Date): Promise<string> {
  return (await registry.verify({ url }, at ? { at } : {})).status;
}

/** Lets a second pass so that "before" and "after" are distinct moments; returns the moment in between. */
function tick(): Date {
  clock.advance(1000);
  const moment = clock.now();
  clock.advance(1000);
  return moment;
}

/** Reports `url` and confirms the report with a flag; returns the flag. */
async function flag(url: string) {
  const report = await registry.reportAccount({ account: url, category: 'SCAM', description: 'Lừa đảo chuyển khoản' });
  const { flag: created } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh', flagAccount: true }, officer);
  return created!;
}

const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

describe('a member who is no longer active', () => {
  it('a WITHDRAWN member whose badge is still active is not VERIFIED; it was before the withdrawal', async () => {
    const url = uniqueFacebookUrl('withdrawn');
    const { member, badge } = await createVerifiedMember(registry, { accounts: [url] });
    const before = tick();
    await registry.changeMemberStatus({ memberId: member.id, status: 'WITHDRAWN', reasonCategory: 'ADMINISTRATIVE' });
    const after = tick();

    expect((await registry.getBadge(badge.id))?.status).toBe('ACTIVE');
    expect(await statusAt(url)).not.toBe('VERIFIED');
    expect(await statusAt(url, after)).not.toBe('VERIFIED');
    expect(await statusAt(url, before)).toBe('VERIFIED');
  });
});

describe('a verified account that is later flagged', () => {
  it('answers FLAGGED from the flag on, now and as of any moment after it, and VERIFIED before it', async () => {
    const url = uniqueFacebookUrl('flaggedverified');
    await createVerifiedMember(registry, { accounts: [url] });
    const before = tick();
    expect(await statusAt(url)).toBe('VERIFIED');

    const created = await flag(url);
    const between = tick();
    clock.advance(DAY_MS);

    const now = await registry.verify({ url });
    expect(now.status).toBe('FLAGGED');
    expect(now.flags).toMatchObject([{ category: 'SCAM' }]);
    expect(await statusAt(url, between)).toBe('FLAGGED');
    expect(await statusAt(url, before)).toBe('VERIFIED');

    // The exact instant: flagged at createdAt, not one millisecond before it.
    expect(await statusAt(url, created.createdAt)).toBe('FLAGGED');
    const justBefore = await registry.verify({ url }, { at: ms(created.createdAt, -1) });
    expect(justBefore.status).toBe('VERIFIED');
    expect(justBefore.flags).toEqual([]);
  });

  it('after a lift: not FLAGGED now or from the lift on, still FLAGGED as of a moment inside the flag\'s life', async () => {
    const url = uniqueFacebookUrl('liftedverified');
    await createVerifiedMember(registry, { accounts: [url] });
    const created = await flag(url);
    const during = tick();
    const lifted = await registry.liftFlag({ flagId: created.id, reason: 'Báo cáo nhầm' }, officer);
    const after = tick();

    expect(await statusAt(url)).toBe('VERIFIED');
    expect(await statusAt(url, after)).toBe('VERIFIED');
    expect(await statusAt(url, lifted.liftedAt!)).toBe('VERIFIED');
    expect(await statusAt(url, ms(lifted.liftedAt!, -1))).toBe('FLAGGED');
    expect(await statusAt(url, during)).toBe('FLAGGED');
    expect(await statusAt(url, created.createdAt)).toBe('FLAGGED');
    expect(await statusAt(url, ms(created.createdAt, -1))).toBe('VERIFIED');
  });

  it('an unknown account is FLAGGED only from its flag on', async () => {
    const url = uniqueFacebookUrl('flaggedunknown');
    const created = await flag(url);
    clock.advance(1000);
    expect(await statusAt(url, created.createdAt)).toBe('FLAGGED');
    expect(await statusAt(url, ms(created.createdAt, -1))).not.toBe('FLAGGED');
  });
});

describe('the pledge, as of a moment', () => {
  it('VERIFIED as of before the pledge was withdrawn, not VERIFIED from the withdrawal on', async () => {
    const url = uniqueFacebookUrl('pledgewithdrawn');
    const { member } = await createVerifiedMember(registry, { accounts: [url] });
    const before = tick();
    const signature = await registry.withdrawPledge({ memberId: member.id, reason: 'Rút khỏi liên minh' });
    const after = tick();

    expect(await statusAt(url, before)).toBe('VERIFIED');
    expect(await statusAt(url, ms(signature.withdrawnAt!, -1))).toBe('VERIFIED');
    expect(await statusAt(url, signature.withdrawnAt!)).not.toBe('VERIFIED');
    expect(await statusAt(url, after)).not.toBe('VERIFIED');
    expect(await statusAt(url)).not.toBe('VERIFIED');
  });

  it('an admin who has not proven ownership does not make the account VERIFIED, whatever their badge', async () => {
    const shared = uniqueFacebookUrl('unproven');
    const { member } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('ownpage')] });
    await registry.addAccount({ memberId: member.id, account: shared });
    expect(await statusAt(shared)).not.toBe('VERIFIED');
  });
});

describe('an account with several admins', () => {
  it('answers VERIFIED when one admin is VERIFIED and another SUSPENDED, whichever joined first', async () => {
    for (const verifiedFirst of [true, false]) {
      const url = uniqueFacebookUrl(verifiedFirst ? 'sharedvf' : 'sharedsf');
      const first = await createVerifiedMember(registry, { accounts: [url], displayName: 'Quản trị thứ nhất' });
      const second = await createVerifiedMember(registry, { accounts: [url], displayName: 'Quản trị thứ hai' });
      const suspended = verifiedFirst ? second : first;
      const verified = verifiedFirst ? first : second;
      await registry.suspendBadge({ badgeId: suspended.badge.id, reasonCategory: 'UNDER_INVESTIGATION' });

      const answer = await registry.verify({ url });
      expect(answer.status, `verified admin first: ${verifiedFirst}`).toBe('VERIFIED');
      expect(answer.member?.displayName).toBe(verified.member.displayName);
      expect(answer.badges.map((b) => b.id)).toEqual([verified.badge.id]);
    }
  });

  it('answers VERIFIED when one admin is VERIFIED and another has left', async () => {
    const url = uniqueFacebookUrl('sharedleft');
    const leaving = await createVerifiedMember(registry, { accounts: [url], displayName: 'Quản trị đã rời' });
    const staying = await createVerifiedMember(registry, { accounts: [url], displayName: 'Quản trị ở lại' });
    await registry.changeMemberStatus({ memberId: leaving.member.id, status: 'EXPELLED', reasonCategory: 'LEGAL_VIOLATION' });
    const answer = await registry.verify({ url });
    expect(answer.status).toBe('VERIFIED');
    expect(answer.member?.displayName).toBe(staying.member.displayName);
  });
});

// Publishes a new pledge version: every member of this file must re-sign after it, so it runs last.
describe('a new pledge version and a late signature (moves the clock: last)', () => {
  it('VERIFIED during the grace period, not VERIFIED from its end until the late signature, VERIFIED from the signature on', async () => {
    const url = uniqueFacebookUrl('latesigner');
    const { member } = await createVerifiedMember(registry, { accounts: [url] });
    clock.advance(1000);
    const v2 = await registry.publishPledgeVersion({
      titleVi: 'Bộ quy tắc ứng xử, bản 2',
      titleEn: 'Code of conduct, version 2',
      textVi: 'Tôi cam kết tuân thủ pháp luật và công khai mọi hợp đồng quảng cáo.',
      textEn: 'I pledge to obey the law and disclose every advertising contract.',
      graceDays: 30,
    });
    const graceEndsAt = v2.graceEndsAt!;
    clock.advance(5 * DAY_MS);
    const duringGrace = clock.now();
    clock.advance(27 * DAY_MS);
    const afterGrace = clock.now();
    clock.advance(DAY_MS);
    const signature = await registry.signPledge({ memberId: member.id, method: 'ONLINE' });
    clock.advance(1000);

    expect(signature.version).toBe(v2.version);
    expect(await statusAt(url, duringGrace)).toBe('VERIFIED');
    expect(await statusAt(url, ms(graceEndsAt, -1))).toBe('VERIFIED');
    expect(await statusAt(url, graceEndsAt)).not.toBe('VERIFIED');
    expect(await statusAt(url, afterGrace)).not.toBe('VERIFIED');
    expect(await statusAt(url, ms(signature.signedAt, -1))).not.toBe('VERIFIED');
    expect(await statusAt(url, signature.signedAt)).toBe('VERIFIED');
    expect(await statusAt(url)).toBe('VERIFIED');
  });
});
