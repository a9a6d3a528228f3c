/**
 * The pledge (code of conduct): versions, signatures, `pledge`, `pledgeVersions`, and the
 * propose, approve (two different ADMINs), sign and withdraw mutations.
 */
import { z } from 'zod';
import type { PledgeSignature, PledgeVersion } from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';
import { PledgeStatusEnum, SignatureMethodEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';
import { officerOrSelf } from './scopes.ts';

export const PledgeVersionRef = builder.prismaNode('PledgeVersion', {
  description: 'A version of the code of conduct, in Vietnamese and English. A proposal waiting for approval (DRAFT) is visible to OFFICER and ADMIN only.',
  id: { field: 'id' },
  // A DRAFT is not yet the alliance's word: officers only, by any path (node, lists, payloads).
  authScopes: (version) => (version.status === 'DRAFT' ? { officer: true } : { public: true }),
  fields: (t) => ({
    version: t.exposeInt('version'),
    titleVi: t.exposeString('titleVi'),
    titleEn: t.exposeString('titleEn'),
    textVi: t.exposeString('textVi'),
    textEn: t.exposeString('textEn'),
    contentHash: t.exposeString('contentHash', { description: 'sha-256 (base64url) of the canonical JSON of the titles and texts.' }),
    status: t.expose('status', { type: PledgeStatusEnum }),
    effectiveAt: t.expose('effectiveAt', { type: 'DateTime', nullable: true }),
    graceEndsAt: t.expose('graceEndsAt', { type: 'DateTime', nullable: true }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    supersededAt: t.expose('supersededAt', { type: 'DateTime', nullable: true }),
    graceDays: t.exposeInt('graceDays', { nullable: true, description: 'Days to re-sign the version gives (at least the certification policy\'s minGraceDays).' }),
    proposedBy: t.exposeString('proposedBy', { nullable: true, description: 'OFFICER and ADMIN only.', authScopes: { officer: true } }),
    approvedBy: t.exposeString('approvedBy', { nullable: true, description: 'OFFICER and ADMIN only.', authScopes: { officer: true } }),
  }),
});

export const PledgeSignatureRef = builder.prismaObject('PledgeSignature', {
  description: "A member's signature of a pledge version.",
  authScopes: { public: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    signedAt: t.expose('signedAt', { type: 'DateTime' }),
    method: t.expose('method', { type: SignatureMethodEnum }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true }),
    evidenceHash: t.exposeString('evidenceHash', { nullable: true, authScopes: { officer: true } }),
    withdrawReason: t.exposeString('withdrawReason', { nullable: true, authScopes: { officer: true } }),
    pledgeVersion: t.relation('pledgeVersion'),
    member: t.relation('member'),
  }),
});

builder.queryField('pledge', (t) =>
  t.prismaField({
    type: 'PledgeVersion',
    nullable: true,
    description: 'The version in force now (null before the first is published).',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) => ctx.registry.reads.pledgeVersion.findFirst({ ...query, where: { status: 'PUBLISHED' } }),
  }),
);

builder.queryField('pledgeVersions', (t) =>
  t.prismaField({
    type: ['PledgeVersion'],
    description: 'All versions, newest first. A proposal waiting for approval (DRAFT) is listed to OFFICER and ADMIN only.',
    authScopes: { public: true },
    resolve: (query, _root, _args, ctx) => {
      const officer = ctx.viewer.role === 'OFFICER' || ctx.viewer.role === 'ADMIN';
      return ctx.registry.reads.pledgeVersion.findMany({ ...query, ...(officer ? {} : { where: { status: { not: 'DRAFT' } } }), orderBy: { version: 'desc' } });
    },
  }),
);

// Mutations ---------------------------------------------------------------------------------

const ProposePledgeVersionInput = builder.inputType('ProposePledgeVersionInput', {
  fields: (t) => ({
    titleVi: t.string({ required: true, validate: z.string().max(1000) }),
    titleEn: t.string({ required: true, validate: z.string().max(1000) }),
    textVi: t.string({ required: true, validate: z.string().max(100_000) }),
    textEn: t.string({ required: true, validate: z.string().max(100_000) }),
    effectiveAt: t.field({ type: 'DateTime', required: false, description: 'Default: when it is approved.' }),
    graceDays: t.int({ required: false, description: "Days to re-sign after this version takes effect: at least the certification policy's minGraceDays (default the larger of 30 and it)." }),
  }),
});

const ApprovePledgeVersionInput = builder.inputType('ApprovePledgeVersionInput', {
  fields: (t) => ({ version: t.int({ required: true, description: 'The proposed (DRAFT) version.' }) }),
});

const versionPayload = (name: string) =>
  builder.objectRef<{ pledgeVersion: PledgeVersion }>(name).implement({
    fields: (t) => ({ pledgeVersion: t.field({ type: PledgeVersionRef, resolve: (p) => p.pledgeVersion }) }),
  });
const ProposePayload = versionPayload('ProposePledgeVersionPayload');
const ApprovePayload = versionPayload('ApprovePledgeVersionPayload');

lifecycleMutation('proposePledgeVersion', {
  description: 'Proposes a new version (DRAFT); nothing changes until another ADMIN approves it. One proposal waits at a time. ADMIN only.',
  input: ProposePledgeVersionInput,
  payload: ProposePayload,
  authScopes: { admin: true },
  run: async (input, ctx) => ({
    pledgeVersion: await ctx.registry.proposePledgeVersion(
      {
        titleVi: input.titleVi,
        titleEn: input.titleEn,
        textVi: input.textVi,
        textEn: input.textEn,
        ...(input.effectiveAt ? { effectiveAt: input.effectiveAt } : {}),
        ...(input.graceDays != null ? { graceDays: input.graceDays } : {}),
      },
      ctx.actor,
    ),
  }),
});

lifecycleMutation('approvePledgeVersion', {
  description: 'Approves the proposed version, publishing it (it supersedes the current one and opens the grace period): an ADMIN other than the proposer (else ForbiddenError, rule TWO_ADMINS). ADMIN only.',
  input: ApprovePledgeVersionInput,
  payload: ApprovePayload,
  authScopes: { admin: true },
  run: async (input, ctx) => ({ pledgeVersion: await ctx.registry.approvePledgeVersion({ version: input.version }, ctx.actor) }),
});

const SignaturePayload = builder.objectRef<{ signature: PledgeSignature }>('PledgeSignaturePayload').implement({
  fields: (t) => ({ signature: t.field({ type: PledgeSignatureRef, resolve: (p) => p.signature }) }),
});

const SignPledgeInput = builder.inputType('SignPledgeInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    version: t.int({ required: false, description: 'Default: the current version (only the current one can be signed).' }),
    method: t.field({ type: SignatureMethodEnum, required: true }),
    evidenceHash: t.string({ required: false, description: 'Hash of the evidence (never the evidence).', validate: z.string().max(200) }),
  }),
});

lifecycleMutation('signPledge', {
  description: "Records a member's signature of the current version. OFFICER, ADMIN, or the member itself.",
  input: SignPledgeInput,
  payload: SignaturePayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: async (input, ctx) => ({
    signature: await ctx.registry.signPledge(
      {
        memberId: rawId(input.memberId, 'Member', 'memberId'),
        method: input.method,
        ...(input.version != null ? { version: input.version } : {}),
        evidenceHash: input.evidenceHash ?? null,
      },
      ctx.actor,
    ),
  }),
});

const WithdrawPledgeInput = builder.inputType('WithdrawPledgeInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    version: t.int({ required: false }),
    reason: t.string({ required: false, validate: z.string().max(5000) }),
  }),
});

lifecycleMutation('withdrawPledge', {
  description: "Withdraws a member's signature (default: of the current version). OFFICER and ADMIN.",
  input: WithdrawPledgeInput,
  payload: SignaturePayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    signature: await ctx.registry.withdrawPledge(
      { memberId: rawId(input.memberId, 'Member', 'memberId'), ...(input.version != null ? { version: input.version } : {}), ...(input.reason ? { reason: input.reason } : {}) },
      ctx.actor,
    ),
  }),
});
