/**
 * Members: the `Member` node (public profile for everyone, personal fields for officers only,
 * each read recorded by core), `member`, `members`, and the member lifecycle mutations.
 */
import { z } from 'zod';
import { memberWhere, PERSONAL_FIELDS, type LegalBasis, type PersonalField, type PublicMember, type Purpose } from '@trust-alliance/core';
import type { Member } from '@trust-alliance/core/prisma';
import { dataloaderGetter } from '@pothos/plugin-dataloader';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { BadgeProgramEnum, MemberKindEnum, MemberStatusEnum, PlatformEnum, ReasonCategoryEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';
import { actorFor, basesOf, DataPurposeEnum, LegalBasisEnum, LegalBasisInput } from './data-rights.ts';

export const MemberRef = builder.prismaNode('Member', {
  description: 'A person or organisation in the alliance. Personal fields resolve for OFFICER and ADMIN only; every read is recorded.',
  id: { field: 'id' },
  authScopes: { public: true },
  fields: (t) => ({
    kind: t.expose('kind', { type: MemberKindEnum }),
    status: t.expose('status', { type: MemberStatusEnum }),
    displayName: t.exposeString('displayName'),
    province: t.exposeString('province', { nullable: true }),
    categories: t.exposeStringList('categories'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    accounts: t.relation('accounts', { description: 'Accounts this member administers, with ownership status.', query: { orderBy: { createdAt: 'asc' } } }),
    badges: t.relation('badges', { query: { orderBy: { issuedAt: 'asc' } } }),
    pledgeSignatures: t.relation('pledgeSignatures', { query: { orderBy: { signedAt: 'asc' } } }),
    assessments: t.relation('assessments', { authScopes: { officer: true }, query: { orderBy: { assessedAt: 'asc' } } }),
    personalDataErasedAt: t.expose('erasedAt', { type: 'DateTime', nullable: true, description: "When the member's personal data was erased (docs/PRIVACY.md). OFFICER and ADMIN.", authScopes: { officer: true } }),
    processingRestrictedAt: t.expose('restrictedAt', { type: 'DateTime', nullable: true, description: 'Since when processing of the personal data is restricted (ADMIN with a stated legal basis reads it). OFFICER and ADMIN.', authScopes: { officer: true } }),
    challenges: t.relation('challenges', {
      description: 'Ownership challenges: OFFICER, ADMIN, or the member itself.',
      authScopes: (member) => ({ $any: { officer: true, selfMember: member.id } }),
      query: { orderBy: { createdAt: 'asc' } },
    }),
  }),
});

/** One personal field of one member, asked in the request `ctx`, for a stated purpose. */
interface PersonalRead {
  ctx: GraphQLContext;
  memberId: string;
  field: PersonalField;
  purpose: Purpose;
  reason: string | null;
  legalBasis: LegalBasis | null;
}

/** The fields of one member read together: same member, purpose, reason and basis. */
const readGroup = (r: Pick<PersonalRead, 'memberId' | 'purpose' | 'reason' | 'legalBasis'>) => JSON.stringify([r.memberId, r.purpose, r.reason, r.legalBasis]);

/**
 * The plugin's per-request loader, shared by the five personal fields so that the fields of one
 * member asked in one request become ONE recorded `readPersonalData` call (`t.loadable` would give
 * each field its own loader, hence five records). Keys carry the request's context because the
 * getter types it as a plain object; one loader serves one context.
 */
const personalData = dataloaderGetter<PersonalRead, string | null, string>(
  { cacheKeyFn: (read) => `${readGroup(read)}|${read.field}` },
  async (reads) => {
    const groups = new Map<string, { read: PersonalRead; fields: Set<PersonalField> }>();
    for (const read of reads) {
      const entry = groups.get(readGroup(read)) ?? { read, fields: new Set<PersonalField>() };
      entry.fields.add(read.field);
      groups.set(readGroup(read), entry);
    }
    // A refusal (no basis, restricted, erased) is that group's fields' error, not the whole request's.
    const data = new Map<string, Partial<Record<PersonalField, string | null>> | Error>();
    for (const [key, { read, fields }] of groups) {
      const { ctx, memberId, purpose, reason, legalBasis } = read;
      data.set(
        key,
        await ctx.registry
          .readPersonalData(memberId, [...fields], actorFor(ctx), { purpose, ...(reason !== null ? { reason } : {}), ...(legalBasis !== null ? { legalBasis } : {}) })
          .catch((error: Error) => error),
      );
    }
    return reads.map((read) => {
      const got = data.get(readGroup(read));
      return got instanceof Error ? got : (got?.[read.field] ?? null);
    });
  },
  undefined,
  false,
);

builder.objectFields(MemberRef, (t) =>
  Object.fromEntries(
    PERSONAL_FIELDS.map((field) => [
      field,
      t.string({
        nullable: true,
        description: `Personal data (${field}): OFFICER and ADMIN only, for a stated purpose a legal basis covers; the read is recorded with it. A restricted member: ADMIN with \`legalBasis\` only.`,
        authScopes: { officer: true },
        args: {
          purpose: t.arg({ type: DataPurposeEnum, required: true, description: 'Why you read it; must be a purpose that uses this field and that a legal basis covers.' }),
          reason: t.arg.string({ required: false, description: 'Free text, sealed; the member sees it.', validate: z.string().max(1000) }),
          legalBasis: t.arg({ type: LegalBasisEnum, required: false, description: 'For a restricted member: the basis an ADMIN reads under.' }),
        },
        resolve: (member, args, ctx) => personalData(ctx).load({ ctx, memberId: member.id, field, purpose: args.purpose, reason: args.reason ?? null, legalBasis: args.legalBasis ?? null }),
      }),
    ]),
  ),
);

const MemberFilterInput = builder.inputType('MemberFilter', {
  fields: (t) => ({
    platform: t.field({ type: PlatformEnum, required: false }),
    province: t.string({ required: false, validate: z.string().max(100) }),
    program: t.field({ type: BadgeProgramEnum, required: false, description: 'Members holding an ACTIVE badge of this program.' }),
    status: t.field({ type: MemberStatusEnum, required: false }),
    text: t.string({ required: false, description: 'Matches the display name without diacritics or case: "nguyen" finds "Nguyễn".', validate: z.string().max(100) }),
  }),
});

builder.queryField('member', (t) =>
  t.prismaField({
    type: 'Member',
    nullable: true,
    authScopes: { public: true },
    args: { id: t.arg.id({ required: true, description: 'A Member node id, or the raw member id.' }) },
    resolve: (query, _root, args, ctx) => ctx.registry.reads.member.findUnique({ ...query, where: { id: rawId(args.id, 'Member', 'id') } }),
  }),
);

builder.queryField('members', (t) =>
  t.prismaConnection({
    type: 'Member',
    cursor: 'id',
    defaultSize: 20,
    maxSize: 100,
    authScopes: { public: true },
    args: { filter: t.arg({ type: MemberFilterInput, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.registry.reads.member.findMany({
        ...query,
        where: memberWhere({
          platform: args.filter?.platform ?? undefined,
          province: args.filter?.province ?? undefined,
          program: args.filter?.program ?? undefined,
          status: args.filter?.status ?? undefined,
          text: args.filter?.text ?? undefined,
        }),
        orderBy: { id: 'asc' },
      }),
  }),
);

// Mutations ---------------------------------------------------------------------------------

const PersonalDataInput = builder.inputType('PersonalDataInput', {
  description: 'Personal fields: sealed at rest, shown to officers only.',
  fields: (t) => ({
    legalName: t.string({ required: false, validate: z.string().max(500) }),
    idNumber: t.string({ required: false, validate: z.string().max(500) }),
    phone: t.string({ required: false, validate: z.string().max(500) }),
    email: t.string({ required: false, validate: z.string().max(500) }),
    address: t.string({ required: false, validate: z.string().max(500) }),
  }),
});

const MemberPayload = builder.objectRef<{ member: PublicMember }>('MemberPayload').implement({
  fields: (t) => ({ member: t.field({ type: MemberRef, resolve: (p) => p.member as Member }) }),
});

const RegisterMemberInput = builder.inputType('RegisterMemberInput', {
  fields: (t) => ({
    kind: t.field({ type: MemberKindEnum, required: true }),
    displayName: t.string({ required: true, validate: z.string().max(500) }),
    province: t.string({ required: false, validate: z.string().max(200) }),
    categories: t.stringList({ required: false, validate: z.array(z.string()).max(50) }),
    personal: t.field({ type: PersonalDataInput, required: false }),
    bases: t.field({ type: [LegalBasisInput], required: false, description: 'The legal basis of each purpose: every personal field given needs one (NO_LEGAL_BASIS).' }),
  }),
});

const strip = <T extends Record<string, unknown>>(o: T | null | undefined) => (o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> }) : undefined);

lifecycleMutation('registerMember', {
  description: 'Registers a member as PENDING. OFFICER and ADMIN.',
  input: RegisterMemberInput,
  payload: MemberPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    member: await ctx.registry.registerMember(
      { kind: input.kind, displayName: input.displayName, province: input.province ?? null, categories: input.categories ?? [], personal: strip(input.personal) ?? {}, ...(input.bases ? { bases: basesOf(input.bases) } : {}) },
      ctx.actor,
    ),
  }),
});

const UpdateMemberInput = builder.inputType('UpdateMemberInput', {
  description: 'Fields left out are not changed; personal fields merge.',
  fields: (t) => ({
    memberId: t.id({ required: true }),
    displayName: t.string({ required: false, validate: z.string().max(500) }),
    province: t.string({ required: false, validate: z.string().max(200) }),
    categories: t.stringList({ required: false, validate: z.array(z.string()).max(50) }),
    personal: t.field({ type: PersonalDataInput, required: false }),
    bases: t.field({ type: [LegalBasisInput], required: false, description: 'Legal bases to record with the update.' }),
  }),
});

lifecycleMutation('updateMember', {
  description: "Updates a member's public profile and/or personal data. OFFICER and ADMIN.",
  input: UpdateMemberInput,
  payload: MemberPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    member: await ctx.registry.updateMember(
      {
        memberId: rawId(input.memberId, 'Member', 'memberId'),
        ...(input.displayName != null ? { displayName: input.displayName } : {}),
        ...(input.province !== undefined ? { province: input.province } : {}),
        ...(input.categories != null ? { categories: input.categories } : {}),
        ...(input.personal != null ? { personal: strip(input.personal) } : {}),
        ...(input.bases != null ? { bases: basesOf(input.bases) } : {}),
      },
      ctx.actor,
    ),
  }),
});

const ChangeMemberStatusInput = builder.inputType('ChangeMemberStatusInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    status: t.field({ type: MemberStatusEnum, required: true }),
    reasonCategory: t.field({ type: ReasonCategoryEnum, required: true, description: 'Public reason category.' }),
    reasonPrivate: t.string({ required: false, description: 'Seen by officers only; sealed at rest.', validate: z.string().max(5000) }),
  }),
});

lifecycleMutation('changeMemberStatus', {
  description: 'Moves a member along PENDING → ACTIVE ↔ SUSPENDED → EXPELLED | WITHDRAWN. OFFICER and ADMIN.',
  input: ChangeMemberStatusInput,
  payload: MemberPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    member: await ctx.registry.changeMemberStatus(
      { memberId: rawId(input.memberId, 'Member', 'memberId'), status: input.status, reasonCategory: input.reasonCategory, ...(input.reasonPrivate ? { reasonPrivate: input.reasonPrivate } : {}) },
      ctx.actor,
    ),
  }),
});
