/**
 * Assessments: the national scheme's 100-point score over five criteria groups and its
 * seven-step certification. A badge needs a passing, unexpired assessment for its program.
 */
import type { Assessment, BadgeProgram } from '../generated/prisma/client.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { write, type Actor, type RegistryContext } from '../registry/context.ts';
import { BADGE_PROGRAMS, requireEnum, requireInt } from '../registry/validation.ts';

/** The five criteria groups and their maximum points (they add up to 100). */
export const CRITERIA_GROUPS = {
  LEGAL_COMPLIANCE: 30,
  CONTENT_QUALITY: 20,
  TRANSPARENCY: 20,
  COMMUNITY_IMPACT: 15,
  CONDUCT_HISTORY: 15,
} as const;
export type CriteriaGroup = keyof typeof CRITERIA_GROUPS;

/** The seven steps of certification, in order. */
export const CERTIFICATION_STEPS = [
  'APPLICATION',
  'IDENTITY_CHECK',
  'ACCOUNT_VERIFICATION',
  'PLEDGE_SIGNING',
  'CONTENT_REVIEW',
  'SCORING',
  'COUNCIL_DECISION',
] as const;
export type CertificationStep = (typeof CERTIFICATION_STEPS)[number];

/** Default score needed to pass. */
export const DEFAULT_PASSING_SCORE = 70;
/** An assessment supports a badge for this long. */
export const ASSESSMENT_VALIDITY_MONTHS = 12;

export interface RecordAssessmentInput {
  memberId: string;
  program: BadgeProgram;
  /** Steps completed; all seven are needed to pass. */
  steps: CertificationStep[];
  scores: Record<CriteriaGroup, number>;
  passingScore?: number;
}

/** Adds calendar months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Records an assessment; the decision follows from the steps and the score. */
export async function recordAssessment(ctx: RegistryContext, input: RecordAssessmentInput, actor: Actor): Promise<Assessment> {
  const program = requireEnum(input.program, BADGE_PROGRAMS, 'program');
  const passingScore = requireInt(input.passingScore ?? DEFAULT_PASSING_SCORE, 'passingScore', 1, 100);
  if (!Array.isArray(input.steps)) throw new ValidationError('steps must be a list', 'steps');
  const steps = [...new Set(input.steps.map((s, i) => requireEnum(s, CERTIFICATION_STEPS, `steps.${i}`)))];
  if (typeof input.scores !== 'object' || input.scores === null) throw new ValidationError('scores must name each criteria group', 'scores');
  const unknown = Object.keys(input.scores).filter((k) => !(k in CRITERIA_GROUPS));
  if (unknown.length) throw new ValidationError(`unknown criteria group ${unknown[0]}`, `scores.${unknown[0]}`);
  const scores = Object.fromEntries(
    (Object.keys(CRITERIA_GROUPS) as CriteriaGroup[]).map((g) => [g, requireInt(input.scores[g], `scores.${g}`, 0, CRITERIA_GROUPS[g])]),
  ) as Record<CriteriaGroup, number>;
  const totalScore = Object.values(scores).reduce((a, b) => a + b, 0);
  const decision = totalScore >= passingScore && steps.length === CERTIFICATION_STEPS.length ? 'PASS' : 'FAIL';
  return write(ctx, async (tx, at) => {
    const member = await tx.member.findUnique({ where: { id: input.memberId }, select: { id: true } });
    if (!member) throw new NotFoundError('Member', input.memberId, 'memberId');
    const assessment = await tx.assessment.create({
      data: { memberId: member.id, program, steps, scores, totalScore, passingScore, decision, officerId: actor.id, assessedAt: at, validUntil: addMonths(at, ASSESSMENT_VALIDITY_MONTHS) },
    });
    return { result: assessment, events: [{ kind: 'assessment.recorded', subject: member.id, data: { program, totalScore, decision } }] };
  });
}
