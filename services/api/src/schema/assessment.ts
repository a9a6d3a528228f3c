/**
 * Assessments (the 100-point score over five criteria groups and the seven-step
 * certification): officers only, as a type, so no relation exposes them to anyone else.
 */
import { z } from 'zod';
import { CRITERIA_GROUPS, type CriteriaGroup } from '@trust-alliance/core';
import type { Assessment } from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';
import { AssessmentDecisionEnum, BadgeProgramEnum, CertificationStepEnum, CriteriaGroupEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';

const CriterionScore = builder.objectRef<{ group: CriteriaGroup; score: number; max: number }>('CriterionScore').implement({
  fields: (t) => ({
    group: t.field({ type: CriteriaGroupEnum, resolve: (s) => s.group }),
    score: t.exposeInt('score'),
    max: t.exposeInt('max'),
  }),
});

export const AssessmentRef = builder.prismaObject('Assessment', {
  description: 'A certification record. OFFICER and ADMIN only.',
  authScopes: { officer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    program: t.expose('program', { type: BadgeProgramEnum }),
    steps: t.exposeStringList('steps'),
    scores: t.field({
      type: [CriterionScore],
      select: { scores: true },
      resolve: (a) => {
        const scores = (a.scores ?? {}) as Record<string, number>;
        return (Object.keys(CRITERIA_GROUPS) as CriteriaGroup[]).map((group) => ({ group, score: Number(scores[group] ?? 0), max: CRITERIA_GROUPS[group] }));
      },
    }),
    totalScore: t.exposeInt('totalScore'),
    passingScore: t.exposeInt('passingScore'),
    policyVersion: t.exposeInt('policyVersion', { nullable: true, description: 'The certification policy version that decided it.' }),
    decision: t.expose('decision', { type: AssessmentDecisionEnum }),
    officerId: t.exposeString('officerId'),
    assessedAt: t.expose('assessedAt', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    member: t.relation('member'),
  }),
});

const ScoresInput = builder.inputType('CriteriaScoresInput', {
  description: 'Points per criteria group (maxima 30, 20, 20, 15, 15).',
  fields: (t) => ({
    LEGAL_COMPLIANCE: t.int({ required: true }),
    CONTENT_QUALITY: t.int({ required: true }),
    TRANSPARENCY: t.int({ required: true }),
    COMMUNITY_IMPACT: t.int({ required: true }),
    CONDUCT_HISTORY: t.int({ required: true }),
  }),
});

const RecordAssessmentInput = builder.inputType('RecordAssessmentInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    program: t.field({ type: BadgeProgramEnum, required: true }),
    steps: t.field({ type: [CertificationStepEnum], required: true, validate: z.array(z.unknown()).max(20) }),
    scores: t.field({ type: ScoresInput, required: true }),
    passingScore: t.int({ required: false, description: "Default: the certification policy's. Higher is stricter; lower is a ValidationError." }),
  }),
});

const AssessmentPayload = builder.objectRef<{ assessment: Assessment }>('RecordAssessmentPayload').implement({
  fields: (t) => ({ assessment: t.field({ type: AssessmentRef, resolve: (p) => p.assessment }) }),
});

lifecycleMutation('recordAssessment', {
  description: 'Records an assessment: PASS needs all seven steps, the passing score and every group minimum of the certification policy in force. OFFICER and ADMIN.',
  input: RecordAssessmentInput,
  payload: AssessmentPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    assessment: await ctx.registry.recordAssessment(
      {
        memberId: rawId(input.memberId, 'Member', 'memberId'),
        program: input.program,
        steps: input.steps,
        scores: { ...input.scores },
        ...(input.passingScore != null ? { passingScore: input.passingScore } : {}),
      },
      ctx.actor,
    ),
  }),
});
