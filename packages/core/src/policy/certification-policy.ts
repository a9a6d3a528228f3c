/**
 * The certification policy as data: the passing score, the least points per criteria group,
 * the validity of badges and assessments, the least grace period a new pledge version may
 * give, and which programs need an assessment. Versions are approved by two ADMINs
 * (policy-proposals.ts) and take effect from a stated moment, so an answer "as of" a date uses
 * the rules then in force. Core reads it in the same transaction as every decision it governs;
 * no call can pass a weaker value.
 */
import type { BadgeProgram, CertificationPolicy as PolicyRow, PolicyStatus } from '../generated/prisma/client.ts';
import { StorageError } from '../errors.ts';
import type { RegistryContext, Tx } from '../kernel/context.ts';
import { CRITERIA_GROUP_NAMES, type CriteriaGroup as Group } from './national-scheme.ts';

/** The rules of one policy version. */
export interface PolicyRules {
  /** Total (out of 100) an assessment needs. */
  passingScore: number;
  /** Least points per criteria group. */
  groupMinimums: Record<Group, number>;
  /** Longest validity of a badge and the validity of an assessment, in months. */
  validityMonths: number;
  /** Least grace period (days) a new pledge version may give. */
  minGraceDays: number;
  /** Programs whose badges need a passing assessment. */
  assessmentPrograms: BadgeProgram[];
}

/** One version of the policy, as stored (the actors' ids are for officers, never public). */
export interface CertificationPolicy extends PolicyRules {
  id: string;
  version: number;
  status: PolicyStatus;
  effectiveFrom: Date;
  proposedBy: string;
  proposedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

/**
 * Version 1 (inserted by the migration, in force from the epoch): pass at 70 of 100, at least
 * half of each group's maximum (rounded up), 12 months, 30 days to re-sign, and an assessment
 * for every program.
 */
export const DEFAULT_POLICY: Readonly<PolicyRules> = Object.freeze<PolicyRules>({
  passingScore: 70,
  groupMinimums: { LEGAL_COMPLIANCE: 15, CONTENT_QUALITY: 10, TRANSPARENCY: 10, COMMUNITY_IMPACT: 8, CONDUCT_HISTORY: 8 },
  validityMonths: 12,
  minGraceDays: 30,
  assessmentPrograms: ['KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL'],
});

/** Longest validity a policy may set, in months. */
export const MAX_VALIDITY_MONTHS = 36;
/** Longest least grace period a policy may set, in days (a pledge version gives at most 365). */
export const MAX_MIN_GRACE_DAYS = 365;

/** A stored row with its JSON column typed. */
export function toPolicy(row: PolicyRow): CertificationPolicy {
  const stored = (row.groupMinimums ?? {}) as Record<string, unknown>;
  const groupMinimums = Object.fromEntries(CRITERIA_GROUP_NAMES.map((g) => [g, Number(stored[g] ?? 0)])) as Record<Group, number>;
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    passingScore: row.passingScore,
    groupMinimums,
    validityMonths: row.validityMonths,
    minGraceDays: row.minGraceDays,
    assessmentPrograms: [...row.assessmentPrograms],
    effectiveFrom: row.effectiveFrom,
    proposedBy: row.proposedBy,
    proposedAt: row.proposedAt,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt,
  };
}

/**
 * The version in force at `at`: the APPROVED one with the latest `effectiveFrom` not after it
 * (the higher version wins a tie). Pass the transaction of the decision it governs.
 * @example const policy = await policyInForce(tx, at); if (total < policy.passingScore) …
 */
export async function policyInForce(db: Pick<Tx, 'certificationPolicy'>, at: Date): Promise<CertificationPolicy> {
  const row = await db.certificationPolicy.findFirst({
    where: { status: 'APPROVED', effectiveFrom: { lte: at } },
    orderBy: [{ effectiveFrom: 'desc' }, { version: 'desc' }],
  });
  // The migration inserts version 1 from the epoch: no row means a damaged database.
  if (!row) throw new StorageError('STORAGE_ERROR', `No certification policy is in force at ${at.toISOString()}`);
  return toPolicy(row);
}

/**
 * The policy in force at `at` (default now): public.
 * @example (await registry.certificationPolicy()).passingScore // 70
 */
export function certificationPolicy(ctx: RegistryContext, at?: Date): Promise<CertificationPolicy> {
  return policyInForce(ctx.prisma, at ?? ctx.now());
}

/** Every version, proposals included, newest first. */
export async function listCertificationPolicies(ctx: RegistryContext): Promise<CertificationPolicy[]> {
  return (await ctx.prisma.certificationPolicy.findMany({ orderBy: { version: 'desc' } })).map(toPolicy);
}

/**
 * The groups under their minimum, in scheme order (empty when every group reaches it).
 * @example groupsBelowMinimum(policy, scores) // ['TRANSPARENCY']
 */
export function groupsBelowMinimum(policy: PolicyRules, scores: Record<Group, number>): Group[] {
  return CRITERIA_GROUP_NAMES.filter((g) => scores[g] < policy.groupMinimums[g]);
}
