/**
 * The certification policy is data that core enforces (issue 9, "Policy is a suggestion"): a
 * caller cannot pass a weaker passing score, skip a group minimum, stretch a badge's validity or
 * give members no time to re-sign a new pledge; a policy version or a pledge version takes two
 * different ADMINs; a version in force from a later date changes decisions only from then.
 */
import { describe, expect, it } from 'vitest';
import { CERTIFICATION_STEPS, DEFAULT_POLICY, type Actor, type Registry } from '../../src/index.ts';
import { PASSING_SCORES, SAMPLE_PLEDGE, TEST_ADMINS, adoptCertificationPolicy, publishPledgeByAdmins, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, expectRefused, prepareMember, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const [ADMIN_1, ADMIN_2] = TEST_ADMINS;
const OFFICER: Actor = { id: 'officer-1', role: 'OFFICER' };
const ALL_STEPS = [...CERTIFICATION_STEPS];
const V2 = { ...SAMPLE_PLEDGE, textEn: `${SAMPLE_PLEDGE.textEn} (amended)` };

async function newMember(): Promise<string> {
  return (await registry.registerMember({ kind: 'KOL', displayName: 'Người theo chính sách' })).id;
}

async function logKinds(from: number): Promise<Array<{ kind: string; payload: string }>> {
  return registryInternals(registry).db.prisma.logEntry.findMany({ where: { idx: { gte: from } }, orderBy: { idx: 'asc' }, select: { kind: true, payload: true } });
}

describe('version 1', () => {
  it('is in force from the epoch with the national defaults, approved by the system', async () => {
    const policy = await registry.certificationPolicy();
    expect(policy).toMatchObject({ version: 1, status: 'APPROVED', ...DEFAULT_POLICY, effectiveFrom: new Date(0) });
    expect(Object.values(policy.groupMinimums).reduce((a, b) => a + b, 0)).toBe(51);
    expect(await registry.certificationPolicy(new Date('2001-01-01T00:00:00Z'))).toMatchObject({ version: 1 });
  });
});

describe('assessments follow the policy', () => {
  it('refuses a passing score below the policy (1 point of 100) naming passingScore, recording nothing', async () => {
    const memberId = await newMember();
    await expectRefused(registry, () => registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...PASSING_SCORES }, passingScore: 1 }), {
      code: 'INVALID_INPUT',
      field: 'passingScore',
    });
    await expectRefused(registry, () => registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...PASSING_SCORES }, passingScore: 69 }), {
      code: 'INVALID_INPUT',
      field: 'passingScore',
    });
    expect(await registryInternals(registry).db.prisma.assessment.count({ where: { memberId } })).toBe(0);
  });

  it('fails an assessment with a group at 0 although the total passes, and records the policy version', async () => {
    const memberId = await newMember();
    const scores = { LEGAL_COMPLIANCE: 30, CONTENT_QUALITY: 20, TRANSPARENCY: 20, COMMUNITY_IMPACT: 15, CONDUCT_HISTORY: 0 };
    const assessment = await registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores });
    expect(assessment).toMatchObject({ totalScore: 85, passingScore: 70, decision: 'FAIL', policyVersion: 1 });
    // One point under a group minimum fails too; at the minimum passes.
    const under = await registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...scores, CONDUCT_HISTORY: 7 } });
    expect(under.decision).toBe('FAIL');
    const at = await registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...scores, CONDUCT_HISTORY: 8 } });
    expect(at.decision).toBe('PASS');
  });
});

describe('badges follow the policy', () => {
  it('refuses a validity over the policy naming validityMonths; the default is the policy\'s', async () => {
    const { memberId } = await prepareMember(registry);
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST', validityMonths: 13 }), { code: 'INVALID_INPUT', field: 'validityMonths' });
    const badge = await registry.issueBadge({ memberId, program: 'KOL_TRUST' });
    const months = (badge.expiresAt.getUTCFullYear() - badge.issuedAt.getUTCFullYear()) * 12 + badge.expiresAt.getUTCMonth() - badge.issuedAt.getUTCMonth();
    expect(months).toBe(12);
    await expectRefused(registry, () => registry.renewBadge({ badgeId: badge.id, validityMonths: 24 }), { code: 'INVALID_INPUT', field: 'validityMonths' });
  });
});

describe('pledge versions take two ADMINs', () => {
  it('refuses an OFFICER (ADMIN_ONLY) and one-call publishing by anyone but the system (SYSTEM_ONLY)', async () => {
    await expectRefused(registry, () => registry.proposePledgeVersion(V2, OFFICER), { code: 'FORBIDDEN', rule: 'ADMIN_ONLY' });
    await expectRefused(registry, () => registry.publishPledgeVersion(V2, OFFICER), { code: 'FORBIDDEN', rule: 'SYSTEM_ONLY' });
    await expectRefused(registry, () => registry.publishPledgeVersion(V2, ADMIN_1), { code: 'FORBIDDEN', rule: 'SYSTEM_ONLY' });
    await expectRefused(registry, () => registry.proposeCertificationPolicy({ passingScore: 60, effectiveFrom: clock.now() }, OFFICER), { code: 'FORBIDDEN', rule: 'ADMIN_ONLY' });
    expect((await registry.listPledgeVersions()).map((v) => v.version)).toEqual([1]);
  });

  it('refuses a grace period under the policy (0 days) naming graceDays, even for the system', async () => {
    await expectRefused(registry, () => registry.proposePledgeVersion({ ...V2, graceDays: 0 }, ADMIN_1), { code: 'INVALID_INPUT', field: 'graceDays' });
    await expectRefused(registry, () => registry.publishPledgeVersion({ ...V2, graceDays: 29 }), { code: 'INVALID_INPUT', field: 'graceDays' });
    expect((await registry.listPledgeVersions()).map((v) => v.version)).toEqual([1]);
  });

  it('the proposer cannot approve (TWO_ADMINS); another ADMIN can, and both steps are logged without the actor ids', async () => {
    const from = await registryInternals(registry).db.prisma.logEntry.count();
    const draft = await registry.proposePledgeVersion({ ...V2, graceDays: 45 }, ADMIN_1);
    expect(draft).toMatchObject({ version: 2, status: 'DRAFT', graceEndsAt: null, publishedAt: null });
    expect((await registry.currentPledgeVersion())?.version).toBe(1);
    // One proposal waits at a time.
    await expectRefused(registry, () => registry.proposePledgeVersion({ ...V2, textVi: 'Khác' }, ADMIN_2), { code: 'CONFLICT', field: 'version' });
    await expectRefused(registry, () => registry.approvePledgeVersion({ version: 2 }, ADMIN_1), { code: 'FORBIDDEN', rule: 'TWO_ADMINS' });
    await expectRefused(registry, () => registry.approvePledgeVersion({ version: 2 }, OFFICER), { code: 'FORBIDDEN', rule: 'ADMIN_ONLY' });
    await expectRefused(registry, () => registry.approvePledgeVersion({ version: 9 }, ADMIN_2), { code: 'NOT_FOUND', field: 'version' });

    const published = await registry.approvePledgeVersion({ version: 2 }, ADMIN_2);
    expect(published).toMatchObject({ version: 2, status: 'PUBLISHED', graceDays: 45, proposedBy: ADMIN_1.id, approvedBy: ADMIN_2.id });
    expect(published.graceEndsAt!.getTime() - published.effectiveAt!.getTime()).toBe(45 * DAY_MS);
    expect((await registry.listPledgeVersions()).map((v) => [v.version, v.status])).toEqual([[2, 'PUBLISHED'], [1, 'SUPERSEDED']]);
    await expectRefused(registry, () => registry.approvePledgeVersion({ version: 2 }, ADMIN_1), { code: 'INVALID_TRANSITION' });

    const entries = await logKinds(from);
    expect(entries.map((e) => e.kind)).toEqual(['pledge.proposed', 'pledge.published']);
    const published_ = JSON.parse(entries[1]!.payload) as { data: { proposer: string; approver: string } };
    expect(published_.data.proposer).toMatch(/^[0-9a-f]{32}$/);
    expect(published_.data.approver).not.toBe(published_.data.proposer);
    for (const e of entries) expect(e.payload).not.toMatch(/admin-proposer|admin-approver/);
  });
});

describe('policy versions take two ADMINs and a stated date (moves the clock: last)', () => {
  it('refuses a date in the past, unknown groups and out-of-range rules, naming the field', async () => {
    const past = new Date(clock.now().getTime() - 3_600_000);
    await expectRefused(registry, () => registry.proposeCertificationPolicy({ effectiveFrom: past }, ADMIN_1), { code: 'INVALID_INPUT', field: 'effectiveFrom' });
    await expectRefused(registry, () => registry.proposeCertificationPolicy({ effectiveFrom: clock.now(), passingScore: 0 }, ADMIN_1), { code: 'INVALID_INPUT', field: 'passingScore' });
    await expectRefused(registry, () => registry.proposeCertificationPolicy({ effectiveFrom: clock.now(), groupMinimums: { TRANSPARENCY: 21 } }, ADMIN_1), {
      code: 'INVALID_INPUT',
      field: 'groupMinimums.TRANSPARENCY',
    });
    await expectRefused(registry, () => registry.proposeCertificationPolicy({ effectiveFrom: clock.now(), validityMonths: 37 }, ADMIN_1), { code: 'INVALID_INPUT', field: 'validityMonths' });
  });

  it('a version in force from a future date changes decisions only from then', async () => {
    const memberId = await newMember();
    const assess = () => registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...PASSING_SCORES } });
    const from = new Date(clock.now().getTime() + 10 * DAY_MS);
    const proposal = await registry.proposeCertificationPolicy({ passingScore: 90, effectiveFrom: from }, ADMIN_1);
    expect(proposal).toMatchObject({ status: 'PROPOSED', passingScore: 90, validityMonths: 12, minGraceDays: 30 });
    await expectRefused(registry, () => registry.approveCertificationPolicy({ version: proposal.version }, ADMIN_1), { code: 'FORBIDDEN', rule: 'TWO_ADMINS' });
    // A proposal alone changes nothing.
    expect((await registry.certificationPolicy(from)).version).toBe(1);
    const approved = await registry.approveCertificationPolicy({ version: proposal.version }, ADMIN_2);
    expect(approved).toMatchObject({ status: 'APPROVED', approvedBy: ADMIN_2.id });

    // Before its date: version 1 still decides.
    expect((await registry.certificationPolicy()).version).toBe(1);
    expect(await assess()).toMatchObject({ totalScore: 85, decision: 'PASS', policyVersion: 1 });
    expect((await registry.certificationPolicy(from)).version).toBe(approved.version);

    clock.advance(10 * DAY_MS + 1000);
    expect(await assess()).toMatchObject({ totalScore: 85, passingScore: 90, decision: 'FAIL', policyVersion: approved.version });
    // History keeps what was in force before.
    expect((await registry.certificationPolicy(new Date(from.getTime() - 1))).version).toBe(1);
  });

  it('a proposal whose date has passed cannot be approved', async () => {
    const proposal = await registry.proposeCertificationPolicy({ minGraceDays: 60, effectiveFrom: new Date(clock.now().getTime() + DAY_MS) }, ADMIN_1);
    clock.advance(2 * DAY_MS);
    await expectRefused(registry, () => registry.approveCertificationPolicy({ version: proposal.version }, ADMIN_2), { code: 'INVALID_INPUT', field: 'effectiveFrom' });
    expect((await registry.certificationPolicy()).minGraceDays).toBe(30);
  });

  it('a program the policy no longer lists needs no assessment; the least grace period follows the policy', async () => {
    await adoptCertificationPolicy(registry, { assessmentPrograms: ['KOL_TRUST'], minGraceDays: 7 });
    const { memberId } = await prepareMember(registry, { assessment: false });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'ASSESSMENT_FAILED' });
    expect((await registry.issueBadge({ memberId, program: 'OFFICIAL_CHANNEL' })).status).toBe('ACTIVE');
    const v3 = await publishPledgeByAdmins(registry, { ...V2, textEn: `${V2.textEn} v3`, graceDays: 7 });
    expect(v3.graceDays).toBe(7);
  });
});
