/**
 * The certification policy: `certificationPolicy` (public: the version in force now or at a
 * moment), `certificationPolicies` (OFFICER and ADMIN: every version, proposals included), and
 * the ADMIN mutations that propose and approve a version. Core holds every rule; this file
 * only maps.
 */
import { z } from 'zod';
import { CRITERIA_GROUPS, type CertificationPolicy, type CriteriaGroup } from '@trust-alliance/core';
import { PolicyStatus } from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';
import { BadgeProgramEnum, CriteriaGroupEnum } from './enums.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';

const PolicyStatusEnum = builder.enumType(PolicyStatus, { name: 'PolicyStatus', description: 'PROPOSED by one ADMIN, APPROVED by another.' });

const CriterionMinimum = builder.objectRef<{ group: CriteriaGroup; minimum: number; max: number }>('CriterionMinimum').implement({
  description: 'The least points a criteria group needs for an assessment to pass, and the group maximum.',
  fields: (t) => ({
    group: t.field({ type: CriteriaGroupEnum, resolve: (m) => m.group }),
    minimum: t.exposeInt('minimum'),
    max: t.exposeInt('max'),
  }),
});

export const CertificationPolicyRef = builder.objectRef<CertificationPolicy>('CertificationPolicy').implement({
  description:
    'A version of the certification policy: what an assessment needs to pass, how long badges last, and the least grace period a new pledge version may give. Core enforces it; no call can pass a weaker value.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    status: t.field({ type: PolicyStatusEnum, resolve: (p) => p.status }),
    effectiveFrom: t.expose('effectiveFrom', { type: 'DateTime', description: 'In force from this moment (until a later approved version takes effect).' }),
    passingScore: t.exposeInt('passingScore', { description: 'Total (out of 100) an assessment needs; a recorded passing score may be higher, never lower.' }),
    maxScore: t.int({ description: 'The scheme total: 100.', resolve: () => Object.values(CRITERIA_GROUPS).reduce((a, b) => a + b, 0) }),
    groupMinimums: t.field({
      type: [CriterionMinimum],
      description: 'Every criteria group must reach its minimum, whatever the total.',
      resolve: (p) => (Object.keys(CRITERIA_GROUPS) as CriteriaGroup[]).map((group) => ({ group, minimum: p.groupMinimums[group], max: CRITERIA_GROUPS[group] })),
    }),
    validityMonths: t.exposeInt('validityMonths', { description: 'Longest validity of a badge, and the validity of an assessment.' }),
    minGraceDays: t.exposeInt('minGraceDays', { description: 'Least days to re-sign that a new pledge version may give.' }),
    assessmentPrograms: t.field({ type: [BadgeProgramEnum], description: 'Programs whose badges need a passing assessment.', resolve: (p) => p.assessmentPrograms }),
    proposedAt: t.expose('proposedAt', { type: 'DateTime' }),
    approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
    proposedBy: t.exposeString('proposedBy', { description: 'OFFICER and ADMIN only.', authScopes: { officer: true } }),
    approvedBy: t.exposeString('approvedBy', { nullable: true, description: 'OFFICER and ADMIN only.', authScopes: { officer: true } }),
  }),
});

builder.queryField('certificationPolicy', (t) =>
  t.field({
    type: CertificationPolicyRef,
    description: 'The certification policy version in force now, or at `at`. Public.',
    authScopes: { public: true },
    args: { at: t.arg({ type: 'DateTime', required: false }) },
    resolve: (_root, { at }, ctx) => ctx.registry.certificationPolicy(at ?? undefined),
  }),
);

builder.queryField('certificationPolicies', (t) =>
  t.field({
    type: [CertificationPolicyRef],
    description: 'Every version, proposals included, newest first. OFFICER and ADMIN.',
    authScopes: { officer: true },
    resolve: (_root, _args, ctx) => ctx.registry.listCertificationPolicies(),
  }),
);

// Mutations ---------------------------------------------------------------------------------

const CriteriaMinimumsInput = builder.inputType('CriteriaMinimumsInput', {
  description: 'Least points per criteria group (maxima 30, 20, 20, 15, 15); a group left out keeps its minimum.',
  fields: (t) => ({
    LEGAL_COMPLIANCE: t.int({ required: false }),
    CONTENT_QUALITY: t.int({ required: false }),
    TRANSPARENCY: t.int({ required: false }),
    COMMUNITY_IMPACT: t.int({ required: false }),
    CONDUCT_HISTORY: t.int({ required: false }),
  }),
});

const ProposeCertificationPolicyInput = builder.inputType('ProposeCertificationPolicyInput', {
  description: 'A rule left out keeps the value of the version in force at `effectiveFrom`.',
  fields: (t) => ({
    effectiveFrom: t.field({ type: 'DateTime', required: true, description: 'Now or later; another ADMIN must approve before then.' }),
    passingScore: t.int({ required: false }),
    groupMinimums: t.field({ type: CriteriaMinimumsInput, required: false }),
    validityMonths: t.int({ required: false }),
    minGraceDays: t.int({ required: false }),
    assessmentPrograms: t.field({ type: [BadgeProgramEnum], required: false, validate: z.array(z.unknown()).max(10) }),
  }),
});

const ApproveCertificationPolicyInput = builder.inputType('ApproveCertificationPolicyInput', {
  fields: (t) => ({ version: t.int({ required: true }) }),
});

const PolicyPayload = (name: string) =>
  builder.objectRef<{ policy: CertificationPolicy }>(name).implement({
    fields: (t) => ({ policy: t.field({ type: CertificationPolicyRef, resolve: (p) => p.policy }) }),
  });
const ProposePayload = PolicyPayload('ProposeCertificationPolicyPayload');
const ApprovePayload = PolicyPayload('ApproveCertificationPolicyPayload');

/** Drops null fields (GraphQL's "not given") so core sees them as left out. */
const given = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

lifecycleMutation('proposeCertificationPolicy', {
  description: 'Proposes a policy version; nothing changes until another ADMIN approves it. ADMIN only.',
  input: ProposeCertificationPolicyInput,
  payload: ProposePayload,
  authScopes: { admin: true },
  run: async (input, ctx) => ({
    policy: await ctx.registry.proposeCertificationPolicy(
      {
        ...given({ passingScore: input.passingScore, validityMonths: input.validityMonths, minGraceDays: input.minGraceDays, assessmentPrograms: input.assessmentPrograms }),
        ...(input.groupMinimums ? { groupMinimums: given({ ...input.groupMinimums }) } : {}),
        effectiveFrom: input.effectiveFrom,
      },
      ctx.actor,
    ),
  }),
});

lifecycleMutation('approveCertificationPolicy', {
  description: 'Approves a proposed policy version: an ADMIN other than the proposer (else ForbiddenError, rule TWO_ADMINS). ADMIN only.',
  input: ApproveCertificationPolicyInput,
  payload: ApprovePayload,
  authScopes: { admin: true },
  run: async (input, ctx) => ({ policy: await ctx.registry.approveCertificationPolicy({ version: input.version }, ctx.actor) }),
});
