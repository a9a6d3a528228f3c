import { describe, expect, it } from 'vitest';
import { CERTIFICATION_STEPS, DEFAULT_VALIDITY_MONTHS, type Registry } from '../../src/index.ts';
import { createVerifiedMember, PASSING_SCORES, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, expectRefused, logCount, prepareMember, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

/** Calendar months in UTC, clamped to the month's last day: an oracle independent of the code under test. */
function plusMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
}

async function badgeOf(): Promise<{ badgeId: string; memberId: string; url: string }> {
  const url = uniqueFacebookUrl('badge');
  const { badge, member } = await createVerifiedMember(registry, { accounts: [url] });
  return { badgeId: badge.id, memberId: member.id, url };
}

async function events(badgeId: string) {
  return registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

/** Expects `op` refused with `code`, the badge, its events and the log untouched. */
async function expectBadgeRefused(badgeId: string, op: () => Promise<unknown>, code: string): Promise<void> {
  const before = await registry.getBadge(badgeId);
  const eventCount = (await events(badgeId)).length;
  await expectRefused(registry, op, { code });
  const after = await registry.getBadge(badgeId);
  expect(after?.status).toBe(before?.status);
  expect(after?.version).toBe(before?.version);
  expect(after?.expiresAt).toEqual(before?.expiresAt);
  expect((await events(badgeId)).length).toBe(eventCount);
}

describe('issueBadge preconditions, each in turn', () => {
  const cases = [
    ['MEMBER_NOT_ACTIVE (never activated)', { activate: false }, 'MEMBER_NOT_ACTIVE'],
    ['PLEDGE_NOT_SIGNED', { sign: false }, 'PLEDGE_NOT_SIGNED'],
    ['ACCOUNT_NOT_VERIFIED (account unproven)', { prove: false }, 'ACCOUNT_NOT_VERIFIED'],
    ['ACCOUNT_NOT_VERIFIED (no account)', { account: false }, 'ACCOUNT_NOT_VERIFIED'],
    ['ASSESSMENT_FAILED (no assessment)', { assessment: false }, 'ASSESSMENT_FAILED'],
    ['ASSESSMENT_FAILED (failed assessment)', { assessment: 'FAIL' }, 'ASSESSMENT_FAILED'],
  ] as const;

  it.each(cases)('%s', async (_name, steps, code) => {
    const { memberId } = await prepareMember(registry, steps);
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code, field: 'memberId' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(0);
    expect(await registryInternals(registry).db.prisma.attestation.count({ where: { badge: { memberId } } })).toBe(0);
  });

  it('MEMBER_NOT_ACTIVE for a suspended member', async () => {
    const { memberId } = await prepareMember(registry);
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'MEMBER_NOT_ACTIVE' });
  });

  it('NOT_FOUND for an unknown member; INVALID_INPUT for an unknown program or validity', async () => {
    await expectRefused(registry, () => registry.issueBadge({ memberId: crypto.randomUUID(), program: 'KOL_TRUST' }), { code: 'NOT_FOUND' });
    const { memberId } = await prepareMember(registry);
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'PLATINUM' as never }), { code: 'INVALID_INPUT', field: 'program' });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST', validityMonths: 0 }), { code: 'INVALID_INPUT', field: 'validityMonths' });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST', validityMonths: 37 }), { code: 'INVALID_INPUT', field: 'validityMonths' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(0);
  });
});

describe('issueBadge', () => {
  it('issues an ACTIVE badge valid 12 months, with its ISSUE event and one log entry', async () => {
    const { memberId, url } = await prepareMember(registry);
    const before = await logCount(registry);
    const badge = await registry.issueBadge({ memberId, program: 'KOL_TRUST' });
    expect(DEFAULT_VALIDITY_MONTHS).toBe(12);
    expect(badge).toMatchObject({ memberId, program: 'KOL_TRUST', status: 'ACTIVE' });
    expect(badge.expiresAt).toEqual(plusMonths(badge.issuedAt, 12));
    expect(await logCount(registry)).toBe(before + 1);
    expect((await events(badge.id)).map((e) => [e.action, e.status, e.reasonCategory])).toEqual([['ISSUE', 'ACTIVE', 'ISSUED']]);
    const answer = await registry.verify({ url: url! });
    expect(answer.status).toBe('VERIFIED');
    expect(answer.badges).toEqual([{ id: badge.id, program: 'KOL_TRUST', status: 'ACTIVE', issuedAt: badge.issuedAt, expiresAt: badge.expiresAt }]);
  });

  it('refuses a second open badge of the same program with CONFLICT; another program is fine', async () => {
    const { badgeId, memberId } = await badgeOf();
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'CONFLICT', field: 'program' });
    await registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'CONFLICT' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(1);
    await registry.recordAssessment({ memberId, program: 'OFFICIAL_CHANNEL', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    expect((await registry.issueBadge({ memberId, program: 'OFFICIAL_CHANNEL', validityMonths: 6 })).status).toBe('ACTIVE');
  });

  it('after a revocation, a new badge of the same program may be issued', async () => {
    const { badgeId, memberId } = await badgeOf();
    await registry.revokeBadge({ badgeId, reasonCategory: 'LEGAL_VIOLATION' });
    const again = await registry.issueBadge({ memberId, program: 'KOL_TRUST' });
    expect(again.id).not.toBe(badgeId);
  });
});

describe('suspend, reinstate, revoke', () => {
  it('ACTIVE → SUSPENDED → ACTIVE → REVOKED, each with an event, a version bump and one log entry', async () => {
    const { badgeId, url } = await badgeOf();
    const steps = [
      ['suspend', () => registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'Đang xác minh khiếu nại' }), 'SUSPENDED', 'SUSPENDED'],
      ['reinstate', () => registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' }), 'ACTIVE', 'VERIFIED'],
      ['revoke', () => registry.revokeBadge({ badgeId, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' }), 'REVOKED', 'REVOKED'],
    ] as const;
    let version = (await registry.getBadge(badgeId))!.version;
    for (const [, op, status, answer] of steps) {
      const before = await logCount(registry);
      const badge = await op();
      expect(badge.status).toBe(status);
      expect(badge.version).toBe(version + 1);
      version = badge.version;
      expect(await logCount(registry)).toBe(before + 1);
      expect((await registry.verify({ url })).status).toBe(answer);
    }
    const history = await events(badgeId);
    expect(history.map((e) => [e.action, e.status])).toEqual([
      ['ISSUE', 'ACTIVE'],
      ['SUSPEND', 'SUSPENDED'],
      ['REINSTATE', 'ACTIVE'],
      ['REVOKE', 'REVOKED'],
    ]);
    const suspension = history[1]!;
    expect(suspension.reasonCategory).toBe('UNDER_INVESTIGATION');
    expect(Buffer.from(suspension.reasonPrivate!).toString('utf8')).not.toContain('xác minh');
  });

  it('ACTIVE → REVOKED directly, and SUSPENDED → REVOKED', async () => {
    const a = await badgeOf();
    expect((await registry.revokeBadge({ badgeId: a.badgeId, reasonCategory: 'LEGAL_VIOLATION' })).status).toBe('REVOKED');
    const b = await badgeOf();
    await registry.suspendBadge({ badgeId: b.badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    expect((await registry.revokeBadge({ badgeId: b.badgeId, reasonCategory: 'LEGAL_VIOLATION' })).status).toBe('REVOKED');
  });

  it('refuses transitions the lifecycle does not allow with INVALID_TRANSITION, changing nothing', async () => {
    const { badgeId } = await badgeOf();
    const reason = { badgeId, reasonCategory: 'ADMINISTRATIVE' } as const;
    // ACTIVE: cannot be reinstated.
    await expectBadgeRefused(badgeId, () => registry.reinstateBadge(reason), 'INVALID_TRANSITION');
    // SUSPENDED: cannot be suspended again or renewed.
    await registry.suspendBadge(reason);
    await expectBadgeRefused(badgeId, () => registry.suspendBadge(reason), 'INVALID_TRANSITION');
    await expectBadgeRefused(badgeId, () => registry.renewBadge({ badgeId }), 'INVALID_TRANSITION');
    // REVOKED is terminal.
    await registry.revokeBadge(reason);
    await expectBadgeRefused(badgeId, () => registry.reinstateBadge(reason), 'INVALID_TRANSITION');
    await expectBadgeRefused(badgeId, () => registry.suspendBadge(reason), 'INVALID_TRANSITION');
    await expectBadgeRefused(badgeId, () => registry.revokeBadge(reason), 'INVALID_TRANSITION');
    await expectBadgeRefused(badgeId, () => registry.renewBadge({ badgeId }), 'INVALID_TRANSITION');
    expect((await registry.getBadge(badgeId))?.status).toBe('REVOKED');
  });

  it('the refusal names the states', async () => {
    const { badgeId } = await badgeOf();
    await registry.revokeBadge({ badgeId, reasonCategory: 'ADMINISTRATIVE' });
    await expect(registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      data: { entity: 'Badge', from: 'REVOKED', to: 'ACTIVE' },
    });
  });

  it('refuses an unknown badge with NOT_FOUND and an unknown reason with INVALID_INPUT', async () => {
    const ghost = crypto.randomUUID();
    for (const op of [registry.suspendBadge, registry.reinstateBadge, registry.revokeBadge]) {
      await expectRefused(registry, () => op({ badgeId: ghost, reasonCategory: 'ADMINISTRATIVE' }), { code: 'NOT_FOUND', field: 'badgeId' });
    }
    await expectRefused(registry, () => registry.renewBadge({ badgeId: ghost }), { code: 'NOT_FOUND', field: 'badgeId' });
    const { badgeId } = await badgeOf();
    await expectBadgeRefused(badgeId, () => registry.suspendBadge({ badgeId, reasonCategory: 'BAD_VIBES' as never }), 'INVALID_INPUT');
    await expectBadgeRefused(badgeId, () => registry.renewBadge({ badgeId, validityMonths: 40 }), 'INVALID_INPUT');
  });
});

describe('renewBadge', () => {
  it('extends an active badge by 12 months from its expiry', async () => {
    const { badgeId } = await badgeOf();
    const before = (await registry.getBadge(badgeId))!;
    const logs = await logCount(registry);
    const renewed = await registry.renewBadge({ badgeId });
    expect(renewed.expiresAt).toEqual(plusMonths(before.expiresAt, 12));
    expect(renewed.version).toBe(before.version + 1);
    expect(await logCount(registry)).toBe(logs + 1);
    expect((await events(badgeId)).map((e) => e.action)).toEqual(['ISSUE', 'RENEW']);
  });

  it('checks eligibility again: a suspended member cannot renew (MEMBER_NOT_ACTIVE)', async () => {
    const { badgeId, memberId } = await badgeOf();
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    await expectBadgeRefused(badgeId, () => registry.renewBadge({ badgeId }), 'MEMBER_NOT_ACTIVE');
  });
});

describe('expiry by time (moves the clock: last)', () => {
  it('13 months on, the badge is EXPIRED; a suspended one cannot be reinstated; renewal runs 12 months from now', async () => {
    const active = await badgeOf();
    const suspended = await badgeOf();
    await registry.suspendBadge({ badgeId: suspended.badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    const issued = (await registry.getBadge(active.badgeId))!;

    clock.advance(396 * DAY_MS);
    // Asked once that moment has passed (an `at` in the future is refused): one millisecond before expiry it was verified.
    expect((await registry.verify({ url: active.url }, { at: new Date(issued.expiresAt.getTime() - 1) })).status).toBe('VERIFIED');
    const answer = await registry.verify({ url: active.url });
    expect(answer.status).toBe('EXPIRED');
    expect(answer.badges).toMatchObject([{ id: active.badgeId, status: 'EXPIRED' }]);
    expect((await registry.getBadge(active.badgeId))?.status).toBe('ACTIVE'); // expiry is by time, not a stored change
    expect((await registry.verify({ url: suspended.url })).status).toBe('EXPIRED');
    await expectBadgeRefused(suspended.badgeId, () => registry.reinstateBadge({ badgeId: suspended.badgeId, reasonCategory: 'REINSTATED' }), 'INVALID_TRANSITION');

    // The assessment has expired too: renewal needs a new one.
    await expectBadgeRefused(active.badgeId, () => registry.renewBadge({ badgeId: active.badgeId }), 'ASSESSMENT_FAILED');
    await registry.recordAssessment({ memberId: active.memberId, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    const from = clock.now();
    const renewed = await registry.renewBadge({ badgeId: active.badgeId });
    const to = clock.now();
    expect(renewed.expiresAt.getTime()).toBeGreaterThanOrEqual(plusMonths(from, 12).getTime());
    expect(renewed.expiresAt.getTime()).toBeLessThanOrEqual(plusMonths(to, 12).getTime());
    expect((await registry.verify({ url: active.url })).status).toBe('VERIFIED');
  });

  it('an expired badge no longer blocks a new one of the same program', async () => {
    const { memberId, url } = await prepareMember(registry);
    const first = await registry.issueBadge({ memberId, program: 'KOL_TRUST', validityMonths: 1 });
    clock.advance(32 * DAY_MS);
    expect((await registry.verify({ url: url! })).status).toBe('EXPIRED');
    const second = await registry.issueBadge({ memberId, program: 'KOL_TRUST' });
    expect(second.id).not.toBe(first.id);
    expect((await registry.verify({ url: url! })).status).toBe('VERIFIED');
  });
});
