/**
 * `verify` and `verifyMany`: is this page or account a verified alliance member, now or at a
 * given moment? Both call core; `verify` fields of one request (aliases) are batched through a
 * dataloader into one `registry.verifyMany` per moment asked about.
 */
import { MAX_BATCH, type VerificationResult, type VerifyInput } from '@trust-alliance/core';
import { builder } from './builder.ts';
import { BadgeProgramEnum, BadgeStandingEnum, MemberKindEnum, PlatformEnum, VerificationStatusEnum } from './enums.ts';
import { globalId } from './ids.ts';

/** Longest URL or handle accepted (longer input is a client bug, not an account). */
export const MAX_ACCOUNT_INPUT_LENGTH = 2048;

/** The GraphQL input shape shared by verification and account inputs. */
export interface AccountArg {
  url?: string | null;
  platform?: string | null;
  handle?: string | null;
}

/** Exactly one of `url` or (`platform` and `handle`). */
export function isOneAccountForm(input: AccountArg): boolean {
  const hasUrl = input.url != null;
  const hasPair = input.platform != null && input.handle != null;
  const hasPart = input.platform != null || input.handle != null;
  return hasUrl ? !hasPart : hasPair;
}

/** Maps the GraphQL input to core's. */
export function toAccountInput(input: AccountArg): VerifyInput {
  return input.url != null ? { url: input.url } : { platform: input.platform!, handle: input.handle! };
}

export const VerifyInputRef = builder.inputType('VerifyInput', {
  description: 'An account to check: `url` (any usual spelling), or `platform` and `handle`.',
  fields: (t) => ({
    url: t.string({ required: false, validate: { maxLength: MAX_ACCOUNT_INPUT_LENGTH } }),
    platform: t.field({ type: PlatformEnum, required: false }),
    handle: t.string({ required: false, validate: { maxLength: 300 } }),
  }),
  validate: [(input) => isOneAccountForm(input), { message: 'Give url, or platform and handle' }],
});

const VerificationInputEcho = builder.objectRef<VerifyInput>('VerificationInput').implement({
  description: 'The input as it was asked.',
  fields: (t) => ({
    url: t.string({ nullable: true, resolve: (i) => ('url' in i ? i.url : null) }),
    platform: t.string({ nullable: true, resolve: (i) => ('platform' in i ? String(i.platform) : null) }),
    handle: t.string({ nullable: true, resolve: (i) => ('handle' in i ? i.handle : null) }),
  }),
});

type Answer = VerificationResult;

const VerifiedAccount = builder.objectRef<NonNullable<Answer['account']>>('VerifiedAccount').implement({
  description: 'The account the input was placed on: its platform, canonical key and URL.',
  fields: (t) => ({
    platform: t.field({ type: PlatformEnum, resolve: (a) => a.platform }),
    key: t.exposeString('key', { description: 'The canonical identity, e.g. facebook:tinnhiemso.cantho.' }),
    url: t.exposeString('url'),
  }),
});

const VerifiedMember = builder.objectRef<NonNullable<Answer['member']>>('VerifiedMember').implement({
  description: "The member behind a verified account: public profile only.",
  fields: (t) => ({
    id: t.id({ description: 'The Member node id (use with `member` or `node`).', resolve: (m) => globalId('Member', m.id) }),
    displayName: t.exposeString('displayName'),
    kind: t.field({ type: MemberKindEnum, resolve: (m) => m.kind as never }),
    province: t.exposeString('province', { nullable: true }),
  }),
});

const VerifiedBadge = builder.objectRef<Answer['badges'][number]>('VerifiedBadge').implement({
  fields: (t) => ({
    id: t.id({ description: 'The Badge node id.', resolve: (b) => globalId('Badge', b.id) }),
    program: t.field({ type: BadgeProgramEnum, resolve: (b) => b.program as never }),
    status: t.field({ type: BadgeStandingEnum, resolve: (b) => b.status }),
    issuedAt: t.field({ type: 'DateTime', resolve: (b) => b.issuedAt }),
    expiresAt: t.field({ type: 'DateTime', resolve: (b) => b.expiresAt }),
  }),
});

const VerificationFlag = builder.objectRef<Answer['flags'][number]>('VerificationFlag').implement({
  description: 'A flag-list entry: a confirmed scam or impersonator account.',
  fields: (t) => ({
    category: t.exposeString('category'),
    since: t.field({ type: 'DateTime', resolve: (f) => f.since }),
  }),
});

const VerificationError = builder.objectRef<NonNullable<Answer['error']>>('VerificationError').implement({
  description: 'Why the input could not be placed as an account (status INVALID_INPUT).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

export const VerificationResultRef = builder.objectRef<Answer>('VerificationResult').implement({
  description: 'The answer for one input. Public by design: no personal data, no private reasons.',
  fields: (t) => ({
    status: t.field({ type: VerificationStatusEnum, resolve: (r) => r.status }),
    input: t.field({ type: VerificationInputEcho, resolve: (r) => r.input }),
    account: t.field({ type: VerifiedAccount, nullable: true, resolve: (r) => r.account }),
    member: t.field({ type: VerifiedMember, nullable: true, resolve: (r) => r.member }),
    badges: t.field({ type: [VerifiedBadge], resolve: (r) => r.badges }),
    flags: t.field({ type: [VerificationFlag], resolve: (r) => r.flags }),
    error: t.field({ type: VerificationError, nullable: true, resolve: (r) => r.error }),
    checkedAt: t.field({ type: 'DateTime', description: 'When the answer was computed.', resolve: (r) => r.checkedAt }),
    at: t.field({ type: 'DateTime', description: 'The moment the answer describes (checkedAt unless `at` was given).', resolve: (r) => r.at }),
  }),
});

interface VerifyKey {
  input: VerifyInput;
  at: string | null;
}

builder.queryField('verify', (t) =>
  t.loadable({
    type: VerificationResultRef,
    description: 'Is this account a verified alliance member? `at` answers for a past moment.',
    authScopes: { public: true },
    args: {
      input: t.arg({ type: VerifyInputRef, required: true }),
      at: t.arg({ type: 'DateTime', required: false }),
    },
    loaderOptions: { cacheKeyFn: (key: VerifyKey) => JSON.stringify(key) },
    load: async (keys: VerifyKey[], ctx) => {
      // One verifyMany per distinct moment; order is restored by index.
      const groups = new Map<string | null, number[]>();
      keys.forEach((key, index) => groups.set(key.at, [...(groups.get(key.at) ?? []), index]));
      const out: Answer[] = new Array(keys.length);
      for (const [at, indexes] of groups) {
        const answers = await ctx.registry.verifyMany(indexes.map((i) => keys[i]!.input), at === null ? {} : { at: new Date(at) });
        indexes.forEach((keyIndex, i) => (out[keyIndex] = answers[i]!));
      }
      return out;
    },
    resolve: (_root, args): VerifyKey => ({ input: toAccountInput(args.input), at: args.at ? args.at.toISOString() : null }),
  }),
);

builder.queryField('verifyMany', (t) =>
  t.field({
    type: [VerificationResultRef],
    description: `Answers up to ${MAX_BATCH} inputs at once, in order, with a constant number of SQL queries. PLATFORM, BUSINESS, OFFICER and ADMIN.`,
    authScopes: { bulkVerify: true },
    args: {
      inputs: t.arg({ type: [VerifyInputRef], required: true, validate: { maxLength: [MAX_BATCH, { message: `At most ${MAX_BATCH} inputs per call` }] } }),
      at: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, ctx) => ctx.registry.verifyMany(args.inputs.map(toAccountInput), args.at ? { at: args.at } : {}),
  }),
);
