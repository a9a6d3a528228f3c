/**
 * Assessments: the national scheme's 100-point score over five criteria groups and its
 * seven-step certification. The certification policy in force decides what passes (its
 * passing score and a minimum per group) and how long a pass lasts; a caller may only be
 * stricter. A badge of a program the policy names needs a passing, unexpired assessment.
 */
import type { Assessment, BadgeProgram } from '../generated/prisma/client.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { BADGE_PROGRAMS, requireEnum, requireInt } from '../kernel/validation.ts';
import { CERTIFICATION_STEPS, CRITERIA_GROUPS, CRITERIA_GROUP_NAMES, type CertificationStep, type CriteriaGroup } from '../policy/national-scheme.ts';
import { DEFAULT_POLICY, groupsBelowMinimum, policyInForce } from '../policy/certification-policy.ts';

export { CRITERIA_GROUPS, CERTIFICATION_STEPS, type CriteriaGroup, type CertificationStep } from '../policy/national-scheme.ts';

/** The passing score of the default policy (version 1); the policy in force decides. */
export const DEFAULT_PASSING_SCORE = DEFAULT_POLICY.passingScore;

export interface RecordAssessmentInput {
  memberId: string;
  program: BadgeProgram;
  /** Steps completed; all seven are needed to pass. */
  steps: CertificationStep[];
  scores: Record<CriteriaGroup, number>;
  /** Default: the policy's. Below it is refused (INVALID_INPUT, field `passingScore`); above it is stricter. */
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

/**
 * Records an assessment. It passes only when all seven steps are done, the total reaches the
 * passing score and every criteria group reaches the policy's minimum.
 * @example await registry.recordAssessment({ memberId, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS], scores }, officer);
 */
export async function recordAssessment(ctx: RegistryContext, input: RecordAssessmentInput, actor: Actor): Promise<Assessment> {
  const program = requireEnum(input.program, BADGE_PROGRAMS, 'program');
  const askedPassingScore = input.passingScore === undefined ? undefined : requireInt(input.passingScore, 'passingScore', 1, 100);
  if (!Array.isArray(input.steps)) throw new ValidationError('steps must be a list', 'steps');
  const steps = [...new Set(input.steps.map((s, i) => requireEnum(s, CERTIFICATION_STEPS, `steps.${i}`)))];
  if (typeof input.scores !== 'object' || input.scores === null) throw new ValidationError('scores must name each criteria group', 'scores');
  const unknown = Object.keys(input.scores).filter((k) => !(k in CRITERIA_GROUPS));
  if (unknown.length) throw new ValidationError(`unknown criteria group ${unknown[0]}`, `scores.${unknown[0]}`);
  const scores = Object.fromEntries(
    CRITERIA_GROUP_NAMES.map((g) => [g, requireInt(input.scores[g], `scores.${g}`, 0, CRITERIA_GROUPS[g])]),
  ) as Record<CriteriaGroup, number>;
  const totalScore = Object.values(scores).reduce((a, b) => a + b, 0);
  return write(ctx, async (tx, at) => {
    const policy = await policyInForce(tx, at);
    if (askedPassingScore !== undefined && askedPassingScore < policy.passingScore) {
      throw new ValidationError(
        `passingScore ${askedPassingScore} is below the certification policy's ${policy.passingScore} (version ${policy.version}) / Điểm đạt không được thấp hơn ${policy.passingScore} theo chính sách chứng nhận`,
        'passingScore',
      );
    }
    const passingScore = askedPassingScore ?? policy.passingScore;
    const passes = totalScore >= passingScore && groupsBelowMinimum(policy, scores).length === 0 && steps.length === CERTIFICATION_STEPS.length;
    const decision = passes ? 'PASS' : 'FAIL';
    const member = await tx.member.findUnique({ where: { id: input.memberId }, select: { id: true } });
    if (!member) throw new NotFoundError('Member', input.memberId, 'memberId');
    const assessment = await tx.assessment.create({
      data: {
        memberId: member.id, program, steps, scores, totalScore, passingScore, decision, officerId: actor.id, assessedAt: at,
        validUntil: addMonths(at, policy.validityMonths), policyVersion: policy.version,
      },
    });
    return { result: assessment, events: [{ kind: 'assessment.recorded', subject: member.id, data: { program, totalScore, decision, policyVersion: policy.version } }] };
  });
}
