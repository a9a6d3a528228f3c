/**
 * Accounts (one presence on one platform), the links between accounts and the members who
 * administer them, ownership challenges, renames, and their mutations.
 */
import { z } from 'zod';
import type { Account, AccountAdmin, OwnershipChallenge } from '@trust-alliance/core/prisma';
import type { PublicAccountForm } from '@trust-alliance/core';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { rawIdOrNull } from './ids.ts';
import { ChallengeStatusEnum, OwnershipStatusEnum, PlatformEnum } from './enums.ts';
import { rawId } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';
import { officerOrSelf } from './scopes.ts';
import { MAX_ACCOUNT_INPUT_LENGTH, ONE_ACCOUNT_FORM, toAccountInput } from './verification.ts';

/**
 * The account as this viewer may see it: in clear for OFFICER/ADMIN and for a member
 * administering it; otherwise core's public form (a key holding a phone number becomes a
 * keyed pseudonym, its URL null).
 */
async function shownAccount(account: Account, ctx: GraphQLContext): Promise<PublicAccountForm> {
  const shown = ctx.registry.publicAccount(account);
  if (!shown.hidden || ctx.viewer.role === 'OFFICER' || ctx.viewer.role === 'ADMIN') return { key: account.key, handle: account.handle, url: account.url, hidden: false };
  const self = ctx.viewer.role === 'MEMBER' ? rawIdOrNull(ctx.viewer.subject, 'Member') : null;
  const admin = self === null ? null : await ctx.registry.reads.accountAdmin.findUnique({ where: { accountId_memberId: { accountId: account.id, memberId: self } }, select: { id: true } });
  return admin ? { key: account.key, handle: account.handle, url: account.url, hidden: false } : shown;
}

const PRIVATE_KEY_NOTE = 'A key holding a phone number (a Zalo personal account) is shown to others than officers and the member administering it as a keyed pseudonym (zalo:phone:~…).';

export const AccountRef = builder.prismaNode('Account', {
  description: `One presence on one platform, identified by its canonical key. ${PRIVATE_KEY_NOTE}`,
  id: { field: 'id' },
  authScopes: { public: true },
  fields: (t) => ({
    platform: t.expose('platform', { type: PlatformEnum }),
    key: t.string({ description: 'Canonical identity, e.g. facebook:tinnhiemsocantho, or its public form (see the type).', resolve: async (a, _args, ctx) => (await shownAccount(a, ctx)).key }),
    platformId: t.exposeString('platformId', { nullable: true }),
    handle: t.string({ description: 'The handle, or ~<pseudonym> when the key is shown in public form.', resolve: async (a, _args, ctx) => (await shownAccount(a, ctx)).handle }),
    url: t.string({ nullable: true, description: 'The canonical URL; null when the key is shown in public form.', resolve: async (a, _args, ctx) => (await shownAccount(a, ctx)).url }),
    displayName: t.exposeString('displayName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    admins: t.relation('admins', { description: 'Members administering this account.' }),
  }),
});

export const AccountLinkRef = builder.prismaObject('AccountAdmin', {
  name: 'AccountLink',
  description: 'A member administering an account, and whether ownership has been proven.',
  authScopes: { public: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    ownership: t.expose('ownership', { type: OwnershipStatusEnum }),
    verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    account: t.relation('account'),
    member: t.relation('member'),
  }),
});

export const OwnershipChallengeRef = builder.prismaObject('OwnershipChallenge', {
  description: 'A code the member shows in the account bio or a pinned post. OFFICER, ADMIN, or the member itself.',
  authScopes: (challenge) => ({ $any: { officer: true, selfMember: challenge.memberId } }),
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code'),
    status: t.expose('status', { type: ChallengeStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
    account: t.relation('account'),
    member: t.relation('member'),
  }),
});

// Mutations ---------------------------------------------------------------------------------

const AddAccountInput = builder.inputType('AddAccountInput', {
  description: 'The account as `url` (any usual spelling) or `platform` and `handle`.',
  fields: (t) => ({
    memberId: t.id({ required: true }),
    url: t.string({ required: false, validate: z.string().max(MAX_ACCOUNT_INPUT_LENGTH) }),
    platform: t.field({ type: PlatformEnum, required: false }),
    handle: t.string({ required: false, validate: z.string().max(300) }),
    platformId: t.string({ required: false, description: "The platform's stable id when known.", validate: z.string().max(100) }),
    displayName: t.string({ required: false, validate: z.string().max(300) }),
  }),
  validate: ONE_ACCOUNT_FORM,
});

const AddAccountPayload = builder.objectRef<{ account: Account; link: AccountAdmin }>('AddAccountPayload').implement({
  fields: (t) => ({
    account: t.field({ type: AccountRef, resolve: (p) => p.account }),
    link: t.field({ type: AccountLinkRef, resolve: (p) => p.link }),
  }),
});

lifecycleMutation('addAccount', {
  description: 'Links an account to a member, unverified until a challenge is confirmed. OFFICER, ADMIN, or the member itself.',
  input: AddAccountInput,
  payload: AddAccountPayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: async (input, ctx) => {
    const account = toAccountInput(input);
    const { account: created, admin } = await ctx.registry.addAccount(
      {
        memberId: rawId(input.memberId, 'Member', 'memberId'),
        account: 'url' in account ? account.url : account,
        platformId: input.platformId ?? null,
        displayName: input.displayName ?? null,
      },
      ctx.actor,
    );
    return { account: created, link: admin };
  },
});

const StartOwnershipChallengeInput = builder.inputType('StartOwnershipChallengeInput', {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    memberId: t.id({ required: true }),
  }),
});

const ChallengePayload = builder.objectRef<{ challenge: OwnershipChallenge }>('StartOwnershipChallengePayload').implement({
  fields: (t) => ({ challenge: t.field({ type: OwnershipChallengeRef, resolve: (p) => p.challenge }) }),
});

lifecycleMutation('startOwnershipChallenge', {
  description: 'Opens an ownership challenge; put its code in the bio or a pinned post. OFFICER, ADMIN, or the member itself.',
  input: StartOwnershipChallengeInput,
  payload: ChallengePayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: async (input, ctx) => ({
    challenge: await ctx.registry.startOwnershipChallenge({ accountId: rawId(input.accountId, 'Account', 'accountId'), memberId: rawId(input.memberId, 'Member', 'memberId') }, ctx.actor),
  }),
});

const ConfirmOwnershipInput = builder.inputType('ConfirmOwnershipInput', {
  fields: (t) => ({
    challengeId: t.id({ required: true }),
    observedCode: t.string({ required: true, description: 'The code the officer saw on the account.', validate: z.string().max(100) }),
  }),
});

const ConfirmOwnershipPayload = builder.objectRef<{ link: AccountAdmin }>('ConfirmOwnershipPayload').implement({
  fields: (t) => ({ link: t.field({ type: AccountLinkRef, resolve: (p) => p.link }) }),
});

lifecycleMutation('confirmOwnership', {
  description: 'Confirms a challenge: the code was seen on the account. OFFICER and ADMIN.',
  input: ConfirmOwnershipInput,
  payload: ConfirmOwnershipPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({
    link: await ctx.registry.confirmOwnership({ challengeId: rawId(input.challengeId, 'OwnershipChallenge', 'challengeId'), observedCode: input.observedCode }, ctx.actor),
  }),
});

const RenameAccountInput = builder.inputType('RenameAccountInput', {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    newUrl: t.string({ required: true, description: 'The account\'s new URL (any usual spelling), on the same platform.', validate: z.string().max(MAX_ACCOUNT_INPUT_LENGTH) }),
  }),
});

const RenameAccountPayload = builder.objectRef<{ account: Account }>('RenameAccountPayload').implement({
  fields: (t) => ({ account: t.field({ type: AccountRef, resolve: (p) => p.account }) }),
});

lifecycleMutation('renameAccount', {
  description: 'Records that an account now answers to another URL: the old one stays in its history, and every admin must prove ownership again. OFFICER and ADMIN.',
  input: RenameAccountInput,
  payload: RenameAccountPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({ account: await ctx.registry.renameAccount({ accountId: rawId(input.accountId, 'Account', 'accountId'), account: input.newUrl }, ctx.actor) }),
});
