import { describe, expect, it } from 'vitest';
import { CERTIFICATION_STEPS, type Registry } from '../../src/index.ts';
import { PASSING_SCORES, publishPledgeByAdmins, SAMPLE_PLEDGE, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, expectRefused, logCount, prepareMember, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t), { pledge: false });

const V2 = {
  titleVi: 'Bộ quy tắc ứng xử (sửa đổi 2)',
  titleEn: 'Code of conduct (amendment 2)',
  textVi: 'Tôi cam kết ghi rõ nội dung quảng cáo và không chia sẻ thông tin chưa kiểm chứng.',
  textEn: 'I pledge to label advertising and not share unverified information.',
};

async function signatures(memberId: string) {
  return registryInternals(registry).db.prisma.pledgeSignature.findMany({ where: { memberId }, orderBy: { signedAt: 'asc' } });
}

describe('before any version is published', () => {
  it('there is no current version and signing is refused with NOT_FOUND', async () => {
    expect(await registry.currentPledgeVersion()).toBeNull();
    const member = await registry.registerMember({ kind: 'KOL', displayName: 'Người ký sớm' });
    await expectRefused(registry, () => registry.signPledge({ memberId: member.id, method: 'ONLINE' }), { code: 'NOT_FOUND', field: 'version' });
  });
});

describe('publishPledgeVersion', () => {
  it.each([
    [{ ...SAMPLE_PLEDGE, titleVi: ' ' }, 'titleVi'],
    [{ ...SAMPLE_PLEDGE, textEn: '' }, 'textEn'],
    [{ ...SAMPLE_PLEDGE, graceDays: 366 }, 'graceDays'],
    [{ ...SAMPLE_PLEDGE, graceDays: 1.5 }, 'graceDays'],
    [{ ...SAMPLE_PLEDGE, effectiveAt: new Date(Date.now() - 3_600_000) }, 'effectiveAt'],
  ])('refuses bad input (#%#) with INVALID_INPUT naming the field', async (input, field) => {
    await expectRefused(registry, () => registry.publishPledgeVersion(input), { code: 'INVALID_INPUT', field });
    expect(await registry.listPledgeVersions()).toEqual([]);
  });

  it('publishes version 1 with its content hash and no grace period', async () => {
    const before = await logCount(registry);
    const v1 = await registry.publishPledgeVersion(SAMPLE_PLEDGE);
    expect(v1).toMatchObject({ version: 1, status: 'PUBLISHED', graceEndsAt: null, titleVi: SAMPLE_PLEDGE.titleVi });
    expect(v1.contentHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await logCount(registry)).toBe(before + 1);
    expect((await registry.currentPledgeVersion())?.id).toBe(v1.id);
  });
});

describe('signing and withdrawing', () => {
  it('records a signature of the current version; a second one is a CONFLICT', async () => {
    const { memberId } = await prepareMember(registry, { sign: false, assessment: false });
    const before = await logCount(registry);
    const signature = await registry.signPledge({ memberId, method: 'IN_PERSON', evidenceHash: 'a'.repeat(64) });
    expect(signature).toMatchObject({ memberId, version: 1, method: 'IN_PERSON', withdrawnAt: null });
    expect(await logCount(registry)).toBe(before + 1);
    await expectRefused(registry, () => registry.signPledge({ memberId, method: 'ONLINE' }), { code: 'CONFLICT', field: 'memberId' });
    expect(await signatures(memberId)).toHaveLength(1);
  });

  it('refuses bad signatures: unknown member, method, evidence hash, another version', async () => {
    const { memberId } = await prepareMember(registry, { sign: false, assessment: false });
    await expectRefused(registry, () => registry.signPledge({ memberId: crypto.randomUUID(), method: 'ONLINE' }), { code: 'NOT_FOUND', field: 'memberId' });
    await expectRefused(registry, () => registry.signPledge({ memberId, method: 'BY_FAX' as never }), { code: 'INVALID_INPUT', field: 'method' });
    await expectRefused(registry, () => registry.signPledge({ memberId, method: 'ONLINE', evidenceHash: 'short' }), { code: 'INVALID_INPUT', field: 'evidenceHash' });
    await expectRefused(registry, () => registry.signPledge({ memberId, method: 'ONLINE', version: 7 }), { code: 'INVALID_INPUT', field: 'version' });
    expect(await signatures(memberId)).toHaveLength(0);
  });

  it('a withdrawn signature makes issuance fail with PLEDGE_NOT_SIGNED, and the member may sign again', async () => {
    const { memberId } = await prepareMember(registry);
    const before = await logCount(registry);
    const withdrawn = await registry.withdrawPledge({ memberId, reason: 'Không đồng ý điều 3' });
    expect(withdrawn.withdrawnAt).not.toBeNull();
    expect(await logCount(registry)).toBe(before + 1);
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'PLEDGE_NOT_SIGNED' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(0);
    // Nothing left to withdraw.
    await expectRefused(registry, () => registry.withdrawPledge({ memberId }), { code: 'PLEDGE_NOT_SIGNED' });
    await expectRefused(registry, () => registry.withdrawPledge({ memberId, version: 9 }), { code: 'NOT_FOUND', field: 'version' });
    await registry.signPledge({ memberId, method: 'ONLINE' });
    expect((await registry.issueBadge({ memberId, program: 'KOL_TRUST' })).status).toBe('ACTIVE');
  });

  it('withdrawing the pledge makes a badge holder SUSPENDED in verify (PLEDGE_WITHDRAWN)', async () => {
    const { memberId, url } = await prepareMember(registry);
    await registry.issueBadge({ memberId, program: 'KOL_TRUST' });
    expect((await registry.verify({ url: url! })).status).toBe('VERIFIED');
    clock.advance(1000);
    await registry.withdrawPledge({ memberId });
    const answer = await registry.verify({ url: url! });
    expect(answer.status).toBe('SUSPENDED');
    expect(answer.reason?.code).toBe('PLEDGE_WITHDRAWN');
    expect(answer.badges.map((b) => b.status)).toEqual(['SUSPENDED']);
  });
});

describe('a new version and its grace period (moves the clock: last)', () => {
  it('v1 signers stay in good standing during the grace period and lapse after it unless they re-sign', async () => {
    // Three badge holders who signed v1.
    const lapsing = await prepareMember(registry);
    const resigning = await prepareMember(registry);
    const lateSigner = await prepareMember(registry);
    for (const m of [lapsing, resigning, lateSigner]) await registry.issueBadge({ memberId: m.memberId, program: 'KOL_TRUST' });
    clock.advance(1000);

    const v2 = await publishPledgeByAdmins(registry, { ...V2, graceDays: 30 });
    expect(v2.version).toBe(2);
    expect(v2.graceEndsAt!.getTime() - v2.effectiveAt!.getTime()).toBe(30 * DAY_MS);
    const versions = await registry.listPledgeVersions();
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'PUBLISHED'],
      [1, 'SUPERSEDED'],
    ]);
    // Only the current version can be signed now.
    await expectRefused(registry, () => registry.signPledge({ memberId: lapsing.memberId, method: 'ONLINE', version: 1 }), { code: 'INVALID_INPUT', field: 'version' });

    // During grace: still verified, and a v1 signer can still be issued another program's badge.
    clock.advance(20 * DAY_MS);
    const duringGrace = clock.now();
    for (const m of [lapsing, resigning, lateSigner]) {
      const answer = await registry.verify({ url: m.url! });
      expect(answer.status).toBe('VERIFIED');
      expect(answer.badges[0]?.status).toBe('ACTIVE');
    }
    await registry.recordAssessment({ memberId: lapsing.memberId, program: 'ALLIANCE_MEMBER', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    expect((await registry.issueBadge({ memberId: lapsing.memberId, program: 'ALLIANCE_MEMBER' })).status).toBe('ACTIVE');
    await registry.signPledge({ memberId: resigning.memberId, method: 'ONLINE' });

    // After grace: those who did not re-sign lapse.
    clock.advance(11 * DAY_MS);
    const lapsed = await registry.verify({ url: lapsing.url! });
    expect(lapsed.status).toBe('SUSPENDED');
    expect(lapsed.reason?.code).toBe('PLEDGE_LAPSED');
    expect(lapsed.badges.map((b) => b.status)).toEqual(['SUSPENDED', 'SUSPENDED']);
    expect((await registry.verify({ url: resigning.url! })).status).toBe('VERIFIED');
    expect((await registry.verify({ url: lateSigner.url! })).status).toBe('SUSPENDED');
    // History still says they were verified during grace.
    expect((await registry.verify({ url: lapsing.url! }, { at: duringGrace })).status).toBe('VERIFIED');
    // New badges need the current version signed.
    await registry.recordAssessment({ memberId: lateSigner.memberId, program: 'OFFICIAL_CHANNEL', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
    await expectRefused(registry, () => registry.issueBadge({ memberId: lateSigner.memberId, program: 'OFFICIAL_CHANNEL' }), { code: 'PLEDGE_NOT_SIGNED' });
    const lateBadge = await registryInternals(registry).db.prisma.badge.findFirstOrThrow({ where: { memberId: lateSigner.memberId } });
    await expectRefused(registry, () => registry.renewBadge({ badgeId: lateBadge.id }), { code: 'PLEDGE_NOT_SIGNED' });
    expect((await registry.getBadge(lateBadge.id))?.expiresAt).toEqual(lateBadge.expiresAt);

    // Re-signing after the grace period restores the badge.
    const signature = await registry.signPledge({ memberId: lateSigner.memberId, method: 'ONLINE' });
    expect(signature.version).toBe(2);
    expect((await registry.verify({ url: lateSigner.url! })).status).toBe('VERIFIED');
  });
});
