/**
 * Badges: the `Badge` node with its public history, `badge(id)`, and issue, suspend,
 * reinstate, revoke and renew.
 */
import { z } from 'zod';
import type { Badge } from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';
import { BadgeProgramEnum, BadgeStatusEnum, ReasonCategoryEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';

export const BadgeRef = builder.prismaNode('Badge', {
  description: "A program's mark on a member, valid 12 months by default.",
  id: { field: 'id' },
  authScopes: { public: true },
  fields: (t) => ({
    program: t.expose('program', { type: BadgeProgramEnum }),
    status: t.expose('status', { type: BadgeStatusEnum, description: 'Stored status; expiry by time shows in expiresAt (and in verify answers).' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    member: t.relation('member'),
    history: t.relation('events', { description: 'Every change, oldest first, with its public reason category.', query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
    attestation: t.loadable({
      type: 'String',
      nullable: true,
      description: 'The current trust attestation (compact JWS, `typ: trust-mark+jwt`), or null (badge not active, or nothing left to attest).',
      load: async (badgeIds: string[], ctx) => (await ctx.registry.currentAttestations(badgeIds)).map((a) => a?.jws ?? null),
      resolve: (badge) => badge.id,
    }),
  }),
});

builder.prismaObject('BadgeEvent', {
  name: 'BadgeEvent',
  authScopes: { public: true },
  fields: (t) => ({
    action: t.exposeString('action'),
    status: t.expose('status', { type: BadgeStatusEnum }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    at: t.expose('at', { type: 'DateTime' }),
    reasonCategory: t.expose('reasonCategory', { type: ReasonCategoryEnum }),
  }),
});

builder.queryField('badge', (t) =>
  t.prismaField({
    type: 'Badge',
    nullable: true,
    authScopes: { public: true },
    args: { id: t.arg.id({ required: true, description: 'A Badge node id, or the raw badge id.' }) },
    resolve: (query, _root, args, ctx) => ctx.registry.reads.badge.findUnique({ ...query, where: { id: rawId(args.id, 'Badge', 'id') } }),
  }),
);

// Mutations ---------------------------------------------------------------------------------

const BadgePayload = builder.objectRef<{ badge: Badge }>('BadgePayload').implement({
  fields: (t) => ({ badge: t.field({ type: BadgeRef, resolve: (p) => p.badge }) }),
});

const IssueBadgeInput = builder.inputType('IssueBadgeInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    program: t.field({ type: BadgeProgramEnum, required: true }),
    validityMonths: t.int({ required: false, description: 'Default 12.' }),
  }),
});

lifecycleMutation('issueBadge', {
  description: 'Issues a badge: needs an ACTIVE member, the current pledge signed, a proven account and a passing assessment. OFFICER and ADMIN.',
  input: IssueBadgeInput,
  payload: BadgePayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    badge: await ctx.registry.issueBadge(
      { memberId: rawId(input.memberId, 'Member', 'memberId'), program: input.program, ...(input.validityMonths != null ? { validityMonths: input.validityMonths } : {}) },
      ctx.actor,
    ),
  }),
});

const BadgeChangeInput = builder.inputType('BadgeChangeInput', {
  fields: (t) => ({
    badgeId: t.id({ required: true }),
    reasonCategory: t.field({ type: ReasonCategoryEnum, required: true, description: 'Public reason category.' }),
    reasonPrivate: t.string({ required: false, description: 'Seen by officers only; sealed at rest.', validate: z.string().max(5000) }),
  }),
});

const changes = [
  ['suspendBadge', 'ACTIVE → SUSPENDED.'],
  ['reinstateBadge', 'SUSPENDED → ACTIVE (not once expired).'],
  ['revokeBadge', 'ACTIVE or SUSPENDED → REVOKED, for good.'],
] as const;

// Each mutation is named after the core method it calls.
for (const [name, description] of changes) {
  lifecycleMutation(name, {
    description: `${description} OFFICER and ADMIN.`,
    input: BadgeChangeInput,
    payload: BadgePayload,
    authScopes: { officer: true },
    run: async (input, ctx) => ({
      badge: await ctx.registry[name](
        { badgeId: rawId(input.badgeId, 'Badge', 'badgeId'), reasonCategory: input.reasonCategory, ...(input.reasonPrivate ? { reasonPrivate: input.reasonPrivate } : {}) },
        ctx.actor,
      ),
    }),
  });
}

const RenewBadgeInput = builder.inputType('RenewBadgeInput', {
  fields: (t) => ({
    badgeId: t.id({ required: true }),
    validityMonths: t.int({ required: false, description: 'Default 12.' }),
  }),
});

lifecycleMutation('renewBadge', {
  description: 'Extends an ACTIVE badge after checking eligibility again. OFFICER and ADMIN.',
  input: RenewBadgeInput,
  payload: BadgePayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    badge: await ctx.registry.renewBadge({ badgeId: rawId(input.badgeId, 'Badge', 'badgeId'), ...(input.validityMonths != null ? { validityMonths: input.validityMonths } : {}) }, ctx.actor),
  }),
});
