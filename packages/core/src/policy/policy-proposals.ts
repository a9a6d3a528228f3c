/**
 * Changing the certification policy: one ADMIN proposes a version that takes effect from a
 * stated moment (never in the past), a different ADMIN approves it. Both steps enter the
 * transparency log with the rules in full and a pseudonym of each ADMIN. A version approved
 * after its stated moment would rewrite answers already given, so that is refused: propose
 * again with a later date.
 */
import type { BadgeProgram } from '../generated/prisma/client.ts';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { BADGE_PROGRAMS, requireEnum, requireInt } from '../kernel/validation.ts';
import { MAX_MIN_GRACE_DAYS, MAX_VALIDITY_MONTHS, policyInForce, toPolicy, type CertificationPolicy, type PolicyRules } from './certification-policy.ts';
import { CRITERIA_GROUPS, CRITERIA_GROUP_NAMES, type CriteriaGroup } from './national-scheme.ts';
import { actorPseudonym, requireAdmin, requireSecondAdmin } from './two-admins.ts';
import type { LogEvent } from '../kernel/log-append.ts';

/** How far in the past a stated moment may be (clock skew between an ADMIN's screen and us). */
const PAST_TOLERANCE_MS = 60_000;

/** A proposal: any rule left out keeps the value of the version in force at `effectiveFrom`. */
export interface ProposePolicyInput extends Partial<Omit<PolicyRules, 'groupMinimums'>> {
  /** When the version takes effect: now or later. */
  effectiveFrom: Date;
  groupMinimums?: Partial<Record<CriteriaGroup, number>>;
}

function checkEffectiveFrom(value: unknown, at: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new ValidationError('effectiveFrom must be a date', 'effectiveFrom');
  if (value.getTime() < at.getTime() - PAST_TOLERANCE_MS) throw new ValidationError('effectiveFrom cannot be in the past / Ngày hiệu lực không được ở quá khứ', 'effectiveFrom');
  return value;
}

/** Validates the rules of a proposal over the base version's. */
function checkRules(input: ProposePolicyInput, base: PolicyRules): PolicyRules {
  const given = input.groupMinimums ?? {};
  if (typeof given !== 'object' || given === null) throw new ValidationError('groupMinimums must name criteria groups', 'groupMinimums');
  const unknown = Object.keys(given).filter((k) => !(k in CRITERIA_GROUPS));
  if (unknown.length) throw new ValidationError(`unknown criteria group ${unknown[0]}`, `groupMinimums.${unknown[0]}`);
  const groupMinimums = Object.fromEntries(
    CRITERIA_GROUP_NAMES.map((g) => [g, requireInt(given[g] ?? base.groupMinimums[g], `groupMinimums.${g}`, 0, CRITERIA_GROUPS[g])]),
  ) as Record<CriteriaGroup, number>;
  const programs = input.assessmentPrograms ?? base.assessmentPrograms;
  if (!Array.isArray(programs)) throw new ValidationError('assessmentPrograms must be a list', 'assessmentPrograms');
  const assessmentPrograms = [...new Set(programs.map((p, i) => requireEnum(p, BADGE_PROGRAMS, `assessmentPrograms.${i}`)))] as BadgeProgram[];
  return {
    passingScore: requireInt(input.passingScore ?? base.passingScore, 'passingScore', 1, 100),
    groupMinimums,
    validityMonths: requireInt(input.validityMonths ?? base.validityMonths, 'validityMonths', 1, MAX_VALIDITY_MONTHS),
    minGraceDays: requireInt(input.minGraceDays ?? base.minGraceDays, 'minGraceDays', 0, MAX_MIN_GRACE_DAYS),
    assessmentPrograms,
  };
}

/** The log's view of a version: every rule, no actor id. */
function logData(policy: CertificationPolicy): LogEvent['data'] {
  return {
    version: policy.version,
    effectiveFrom: policy.effectiveFrom.toISOString(),
    passingScore: policy.passingScore,
    groupMinimums: CRITERIA_GROUP_NAMES.map((g) => `${g}=${policy.groupMinimums[g]}`),
    validityMonths: policy.validityMonths,
    minGraceDays: policy.minGraceDays,
    assessmentPrograms: policy.assessmentPrograms,
  };
}

/**
 * Proposes a policy version (ADMIN only). It changes nothing until another ADMIN approves it.
 * @example await registry.proposeCertificationPolicy({ passingScore: 75, effectiveFrom: new Date('2027-01-01') }, admin1);
 */
export async function proposeCertificationPolicy(ctx: RegistryContext, input: ProposePolicyInput, actor: Actor): Promise<CertificationPolicy> {
  requireAdmin(actor, 'propose a certification policy version');
  if (typeof input !== 'object' || input === null) throw new ValidationError('a proposal is needed', 'input');
  return write(ctx, async (tx, at) => {
    const effectiveFrom = checkEffectiveFrom(input.effectiveFrom, at);
    const rules = checkRules(input, await policyInForce(tx, effectiveFrom));
    // Serialize proposers: version numbers must not collide.
    await tx.$executeRawUnsafe('LOCK TABLE "CertificationPolicy" IN SHARE ROW EXCLUSIVE MODE');
    const latest = await tx.certificationPolicy.findFirst({ orderBy: { version: 'desc' }, select: { version: true } });
    const row = await tx.certificationPolicy.create({
      data: { ...rules, version: (latest?.version ?? 0) + 1, status: 'PROPOSED', effectiveFrom, proposedBy: actor.id, proposedAt: at },
    });
    const policy = toPolicy(row);
    return { result: policy, events: [{ kind: 'policy.proposed', subject: policy.id, data: { ...logData(policy), proposer: actorPseudonym(ctx, actor) } }] };
  });
}

/**
 * Approves a proposed version (an ADMIN other than the proposer). From its `effectiveFrom` on,
 * every assessment, badge and pledge version is held to it.
 * @example await registry.approveCertificationPolicy({ version: 2 }, admin2);
 */
export async function approveCertificationPolicy(ctx: RegistryContext, input: { version: number }, actor: Actor): Promise<CertificationPolicy> {
  requireAdmin(actor, 'approve a certification policy version');
  const version = requireInt(input?.version, 'version', 1, 2 ** 31 - 1);
  return write(ctx, async (tx, at) => {
    await tx.$executeRawUnsafe('LOCK TABLE "CertificationPolicy" IN SHARE ROW EXCLUSIVE MODE');
    const proposal = await tx.certificationPolicy.findUnique({ where: { version } });
    if (!proposal) throw new NotFoundError('CertificationPolicy', String(version), 'version');
    if (proposal.status !== 'PROPOSED') throw new InvalidTransitionError('CertificationPolicy', proposal.status, 'APPROVED');
    requireSecondAdmin(proposal.proposedBy, actor, 'approve this certification policy version');
    if (proposal.effectiveFrom.getTime() < at.getTime() - PAST_TOLERANCE_MS) {
      throw new ValidationError('The proposal\'s effectiveFrom has passed: approving it would change past answers; propose again / Ngày hiệu lực đã qua: hãy đề xuất lại', 'effectiveFrom');
    }
    const row = await tx.certificationPolicy.update({ where: { id: proposal.id }, data: { status: 'APPROVED', approvedBy: actor.id, approvedAt: at } });
    const policy = toPolicy(row);
    return {
      result: policy,
      events: [{ kind: 'policy.approved', subject: policy.id, data: { ...logData(policy), proposer: actorPseudonym(ctx, proposal.proposedBy), approver: actorPseudonym(ctx, actor) } }],
    };
  });
}
