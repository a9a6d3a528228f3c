import { describe, expect, it } from 'vitest';
import { CERTIFICATION_STEPS, CRITERIA_GROUPS, DEFAULT_PASSING_SCORE, type RecordAssessmentInput, type Registry } from '../../src/index.ts';
import { PASSING_SCORES, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, expectRefused, logCount, prepareMember, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const ALL_STEPS = [...CERTIFICATION_STEPS];
/** Full marks: 30 + 20 + 20 + 15 + 15. */
const FULL = { LEGAL_COMPLIANCE: 30, CONTENT_QUALITY: 20, TRANSPARENCY: 20, COMMUNITY_IMPACT: 15, CONDUCT_HISTORY: 15 };

async function member(): Promise<string> {
  return (await registry.registerMember({ kind: 'KOL', displayName: 'Người được thẩm định' })).id;
}

function input(memberId: string, patch: Partial<RecordAssessmentInput> = {}): RecordAssessmentInput {
  return { memberId, program: 'KOL_TRUST', steps: ALL_STEPS, scores: { ...PASSING_SCORES }, ...patch };
}

describe('the scheme', () => {
  it('has five criteria groups out of 100 and seven steps; 70 passes by default', () => {
    expect(Object.values(CRITERIA_GROUPS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.keys(CRITERIA_GROUPS)).toHaveLength(5);
    expect(CERTIFICATION_STEPS).toHaveLength(7);
    expect(DEFAULT_PASSING_SCORE).toBe(70);
  });
});

describe('recordAssessment validation', () => {
  const cases: Array<[string, (memberId: string) => RecordAssessmentInput, string]> = [
    ['a score over its group maximum', (m) => input(m, { scores: { ...FULL, LEGAL_COMPLIANCE: 31 } }), 'scores.LEGAL_COMPLIANCE'],
    ['a score over a small group maximum', (m) => input(m, { scores: { ...FULL, CONDUCT_HISTORY: 16 } }), 'scores.CONDUCT_HISTORY'],
    ['a negative score', (m) => input(m, { scores: { ...FULL, TRANSPARENCY: -1 } }), 'scores.TRANSPARENCY'],
    ['a fractional score', (m) => input(m, { scores: { ...FULL, CONTENT_QUALITY: 12.5 } }), 'scores.CONTENT_QUALITY'],
    ['a missing group', (m) => input(m, { scores: { LEGAL_COMPLIANCE: 30, CONTENT_QUALITY: 20, TRANSPARENCY: 20, COMMUNITY_IMPACT: 15 } as never }), 'scores.CONDUCT_HISTORY'],
    ['an unknown group', (m) => input(m, { scores: { ...FULL, CHARISMA: 5 } as never }), 'scores.CHARISMA'],
    ['no scores', (m) => input(m, { scores: null as never }), 'scores'],
    ['an unknown step', (m) => input(m, { steps: ['APPLICATION', 'INTERVIEW'] as never }), 'steps.1'],
    ['steps that are not a list', (m) => input(m, { steps: 'APPLICATION' as never }), 'steps'],
    ['an unknown program', (m) => input(m, { program: 'GOLD' as never }), 'program'],
    ['a passing score of 0', (m) => input(m, { passingScore: 0 }), 'passingScore'],
    ['a passing score over 100', (m) => input(m, { passingScore: 101 }), 'passingScore'],
  ];

  it.each(cases)('refuses %s with INVALID_INPUT naming the field, recording nothing', async (_name, make, field) => {
    const memberId = await member();
    await expectRefused(registry, () => registry.recordAssessment(make(memberId)), { code: 'INVALID_INPUT', field });
    expect(await registryInternals(registry).db.prisma.assessment.count({ where: { memberId } })).toBe(0);
  });

  it('refuses an unknown member with NOT_FOUND', async () => {
    await expectRefused(registry, () => registry.recordAssessment(input(crypto.randomUUID())), { code: 'NOT_FOUND', field: 'memberId' });
  });
});

describe('the decision', () => {
  it('passes with all seven steps and a total at or over the passing score', async () => {
    const memberId = await member();
    const before = await logCount(registry);
    const exactly70 = { LEGAL_COMPLIANCE: 21, CONTENT_QUALITY: 14, TRANSPARENCY: 14, COMMUNITY_IMPACT: 11, CONDUCT_HISTORY: 10 };
    const assessment = await registry.recordAssessment(input(memberId, { scores: exactly70 }));
    expect(assessment).toMatchObject({ decision: 'PASS', totalScore: 70, passingScore: 70, program: 'KOL_TRUST', scores: exactly70 });
    expect(assessment.steps).toEqual(ALL_STEPS);
    expect(await logCount(registry)).toBe(before + 1);
    // Valid for 12 months.
    const months = (assessment.validUntil.getUTCFullYear() - assessment.assessedAt.getUTCFullYear()) * 12 + assessment.validUntil.getUTCMonth() - assessment.assessedAt.getUTCMonth();
    expect(months).toBe(12);
  });

  it('fails when a step is missing, even with full marks', async () => {
    const memberId = await member();
    const assessment = await registry.recordAssessment(input(memberId, { steps: ALL_STEPS.filter((s) => s !== 'COUNCIL_DECISION'), scores: FULL }));
    expect(assessment).toMatchObject({ decision: 'FAIL', totalScore: 100 });
  });

  it('fails when a step is repeated instead of done (six distinct steps)', async () => {
    const memberId = await member();
    const steps = [...ALL_STEPS.slice(0, 6), 'APPLICATION'] as typeof ALL_STEPS;
    expect((await registry.recordAssessment(input(memberId, { steps, scores: FULL }))).decision).toBe('FAIL');
  });

  it('fails one point under the passing score, and under a stricter passing score', async () => {
    const memberId = await member();
    const scores69 = { LEGAL_COMPLIANCE: 21, CONTENT_QUALITY: 14, TRANSPARENCY: 14, COMMUNITY_IMPACT: 10, CONDUCT_HISTORY: 10 };
    expect(await registry.recordAssessment(input(memberId, { scores: scores69 }))).toMatchObject({ decision: 'FAIL', totalScore: 69 });
    expect(await registry.recordAssessment(input(memberId, { passingScore: 90 }))).toMatchObject({ decision: 'FAIL', totalScore: 85, passingScore: 90 });
    expect(await registry.recordAssessment(input(memberId, { passingScore: 85 }))).toMatchObject({ decision: 'PASS' });
  });
});

describe('assessments and badges', () => {
  it('a failed assessment blocks the badge with ASSESSMENT_FAILED; a later pass allows it', async () => {
    const { memberId } = await prepareMember(registry, { assessment: 'FAIL' });
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'ASSESSMENT_FAILED' });
    await registry.recordAssessment(input(memberId));
    expect((await registry.issueBadge({ memberId, program: 'KOL_TRUST' })).status).toBe('ACTIVE');
  });

  it('the latest assessment decides: a fail after a pass blocks the badge', async () => {
    const { memberId } = await prepareMember(registry);
    await registry.recordAssessment(input(memberId, { steps: ALL_STEPS.slice(0, 3) }));
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'ASSESSMENT_FAILED' });
  });

  it("another program's pass does not count", async () => {
    const { memberId } = await prepareMember(registry, { assessment: false });
    await registry.recordAssessment(input(memberId, { program: 'ALLIANCE_MEMBER' }));
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'ASSESSMENT_FAILED' });
    expect((await registry.issueBadge({ memberId, program: 'ALLIANCE_MEMBER' })).program).toBe('ALLIANCE_MEMBER');
  });

  it('an assessment older than 12 months no longer supports a badge (moves the clock: last)', async () => {
    const { memberId } = await prepareMember(registry);
    clock.advance(366 * DAY_MS);
    await expectRefused(registry, () => registry.issueBadge({ memberId, program: 'KOL_TRUST' }), { code: 'ASSESSMENT_FAILED' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(0);
  });
});
