/**
 * Reports about accounts and the flag list: anyone may report (and gets a receipt); officers
 * read reports and resolve them, which may put the account on the flag list, and lift flags.
 */
import { z } from 'zod';
import type { Flag, Report } from '@trust-alliance/core/prisma';
import { MAX_LIFT_REASON_LENGTH } from '@trust-alliance/core';
import { builder } from './builder.ts';
import { PlatformEnum, ReportCategoryEnum, ReportStatusEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';
import { MAX_ACCOUNT_INPUT_LENGTH, ONE_ACCOUNT_FORM, toAccountInput } from './verification.ts';

export const FlagRef = builder.prismaObject('Flag', {
  description: 'A confirmed scam or impersonator account: verify answers FLAGGED.',
  authScopes: { public: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    accountKey: t.exposeString('accountKey'),
    platform: t.expose('platform', { type: PlatformEnum }),
    category: t.expose('category', { type: ReportCategoryEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    liftedAt: t.expose('liftedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ReportRef = builder.prismaObject('Report', {
  description: 'A report about an account. OFFICER and ADMIN only.',
  authScopes: { officer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    accountKey: t.exposeString('accountKey'),
    platform: t.expose('platform', { type: PlatformEnum }),
    category: t.expose('category', { type: ReportCategoryEnum }),
    description: t.exposeString('description'),
    status: t.expose('status', { type: ReportStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
    resolution: t.exposeString('resolution', { nullable: true }),
    flags: t.relation('flags'),
  }),
});

/** What a reporter gets back: enough to refer to the report, nothing an officer wrote. */
const ReportReceipt = builder.objectRef<Report>('ReportReceipt').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    accountKey: t.exposeString('accountKey'),
    status: t.field({ type: ReportStatusEnum, resolve: (r) => r.status }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

builder.queryField('reports', (t) =>
  t.prismaField({
    type: ['Report'],
    description: 'Reports, newest first. OFFICER and ADMIN.',
    authScopes: { officer: true },
    args: {
      status: t.arg({ type: ReportStatusEnum, required: false }),
      first: t.arg.int({ required: false, validate: z.number().int().min(1).max(100) }),
      skip: t.arg.int({ required: false, validate: z.number().int().min(0).max(100_000) }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.registry.reads.report.findMany({
        ...query,
        where: args.status ? { status: args.status } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: args.first ?? 50,
        skip: args.skip ?? 0,
      }),
  }),
);

// Mutations ---------------------------------------------------------------------------------

const ReportAccountInput = builder.inputType('ReportAccountInput', {
  fields: (t) => ({
    url: t.string({ required: false, validate: z.string().max(MAX_ACCOUNT_INPUT_LENGTH) }),
    platform: t.field({ type: PlatformEnum, required: false }),
    handle: t.string({ required: false, validate: z.string().max(300) }),
    category: t.field({ type: ReportCategoryEnum, required: true }),
    description: t.string({ required: true, validate: z.string().max(5000) }),
    reporterContact: t.string({ required: false, description: 'How to reach you: sealed, officers only.', validate: z.string().max(300) }),
  }),
  validate: ONE_ACCOUNT_FORM,
});

const ReportAccountPayload = builder.objectRef<{ report: Report }>('ReportAccountPayload').implement({
  fields: (t) => ({ report: t.field({ type: ReportReceipt, resolve: (p) => p.report }) }),
});

lifecycleMutation('reportAccount', {
  description: 'Reports an account (impersonation, scam, misinformation, undisclosed advertising). Open to everyone.',
  input: ReportAccountInput,
  payload: ReportAccountPayload,
  authScopes: { public: true },
  run: async (input, ctx) => {
    const account = toAccountInput(input);
    const report = await ctx.registry.reportAccount(
      { account: 'url' in account ? account.url : account, category: input.category, description: input.description, reporterContact: input.reporterContact ?? null },
      ctx.actor,
    );
    // The reporter's sealed contact never leaves core.
    return { report: { ...report, reporterContact: null } };
  },
});

const ResolveReportInput = builder.inputType('ResolveReportInput', {
  fields: (t) => ({
    reportId: t.id({ required: true }),
    decision: t.field({ type: builder.enumType('ReportDecision', { values: ['CONFIRMED', 'DISMISSED'] as const }), required: true }),
    resolution: t.string({ required: true, validate: z.string().max(5000) }),
    flagAccount: t.boolean({ required: false, description: 'Put the account on the flag list (with CONFIRMED only).' }),
  }),
});

const ResolveReportPayload = builder.objectRef<{ report: Report; flag: Flag | null }>('ResolveReportPayload').implement({
  fields: (t) => ({
    report: t.field({ type: ReportRef, resolve: (p) => p.report }),
    flag: t.field({ type: FlagRef, nullable: true, resolve: (p) => p.flag }),
  }),
});

lifecycleMutation('resolveReport', {
  description: 'Resolves an open report; a confirmed one may flag the account. OFFICER and ADMIN.',
  input: ResolveReportInput,
  payload: ResolveReportPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => {
    const { report, flag } = await ctx.registry.resolveReport(
      { reportId: rawId(input.reportId, 'Report', 'reportId'), decision: input.decision, resolution: input.resolution, ...(input.flagAccount != null ? { flagAccount: input.flagAccount } : {}) },
      ctx.actor,
    );
    return { report: { ...report, reporterContact: null }, flag };
  },
});

const LiftFlagInput = builder.inputType('LiftFlagInput', {
  fields: (t) => ({
    flagId: t.id({ required: true }),
    reason: t.string({ required: true, description: 'Why (false positive, account recovered). Kept out of the public log, which holds its hash.', validate: z.string().max(MAX_LIFT_REASON_LENGTH) }),
  }),
});

const LiftFlagPayload = builder.objectRef<{ flag: Flag }>('LiftFlagPayload').implement({
  fields: (t) => ({ flag: t.field({ type: FlagRef, resolve: (p) => p.flag }) }),
});

lifecycleMutation('liftFlag', {
  description: 'Takes an account off the flag list; verify as of a time while it stood still answers FLAGGED. OFFICER and ADMIN.',
  input: LiftFlagInput,
  payload: LiftFlagPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({ flag: await ctx.registry.liftFlag({ flagId: rawId(input.flagId, 'Flag', 'flagId'), reason: input.reason }, ctx.actor) }),
});
