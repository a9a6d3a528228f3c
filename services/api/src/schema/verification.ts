/**
 * `verify` and `verifyMany`: is this page or account a verified alliance member, now or at a
 * given moment? Both call core; `verify` fields of one request (aliases) are batched through a
 * dataloader into one `registry.verifyMany` per moment asked about.
 */
import { z } from 'zod';
import { LOOKALIKE_MATCHES, MAX_BATCH, type Lang, type VerificationResult, type VerifyInput } from '@trust-alliance/core';
import { builder } from './builder.ts';
import { BadgeProgram, MemberKind, Platform } from '@trust-alliance/core/prisma';
import { BadgeProgramEnum, BadgeStandingEnum, enumValue, LanguageEnum, MemberKindEnum, PlatformEnum, ReasonCodeEnum, VerificationStatusEnum } from './enums.ts';
import { isOneAccountForm, toAccountInput, toVerificationView, type AccountArg, type VerificationView } from '../verification/verification-view.ts';

export { MAX_ACCOUNT_INPUT_LENGTH, toAccountInput, type AccountArg } from '../verification/verification-view.ts';

/** The rule of an input type that names one account (AddAccountInput, ReportAccountInput): `url`, or `platform` and `handle`. */
export const ONE_ACCOUNT_FORM = z.custom<AccountArg>().refine(isOneAccountForm, { message: 'Give url, or platform and handle' });

// Not validated here: an input core cannot place (too long, both forms, half of one) gets its
// own INVALID_INPUT answer, so that one bad entry never fails a whole verifyMany.
export const VerifyInputRef = builder.inputType('VerifyInput', {
  description: 'An account to check: `url` (any usual spelling), or `platform` and `handle`. Anything else is answered INVALID_INPUT.',
  fields: (t) => ({
    url: t.string({ required: false }),
    platform: t.field({ type: PlatformEnum, required: false }),
    handle: t.string({ required: false }),
  }),
});

/**
 * What a `VerificationResult` resolves from: the shared public view (also served by
 * `GET /v1/verify`), with the two extras of GraphQL: the signed answer when asked, and the badge
 * whose attestation `attestation` loads. Its fields are exposed as they are (no resolver of our
 * own), so graphql-jit reads them inline: with the bench's selection, a verified answer with one
 * badge made ten resolver calls for fields that only copied a property, 10,000 a batch of 1,000.
 */
export type Answer = VerificationView & { signedAnswer: string | null; attestedBadgeId: string | null };

const toAnswer = (result: VerificationResult, signedAnswer: string | null = null): Answer =>
  Object.assign(toVerificationView(result), { signedAnswer, attestedBadgeId: result.attestedBadgeId });

type View = VerificationView;

const VerificationInputEcho = builder.objectRef<View['input']>('VerificationInput').implement({
  description: 'The input as it was asked.',
  fields: (t) => ({
    url: t.exposeString('url', { nullable: true }),
    platform: t.exposeString('platform', { nullable: true }),
    handle: t.exposeString('handle', { nullable: true }),
  }),
});

const VerifiedAccount = builder.objectRef<NonNullable<View['account']>>('VerifiedAccount').implement({
  description: 'The account the input was placed on: its platform, canonical key and URL.',
  fields: (t) => ({
    platform: t.expose('platform', { type: PlatformEnum }),
    key: t.exposeString('key', { description: 'The canonical identity, e.g. facebook:tinnhiemsocantho.' }),
    url: t.exposeString('url'),
  }),
});

const VerifiedMember = builder.objectRef<NonNullable<View['member']>>('VerifiedMember').implement({
  description: "The member behind a verified account: public profile only.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The Member node id (use with `member` or `node`).' }),
    displayName: t.exposeString('displayName'),
    kind: t.field({ type: MemberKindEnum, resolve: (m) => enumValue(MemberKind, m.kind) }),
    province: t.exposeString('province', { nullable: true }),
  }),
});

const VerifiedBadge = builder.objectRef<View['badges'][number]>('VerifiedBadge').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The Badge node id.' }),
    program: t.field({ type: BadgeProgramEnum, resolve: (b) => enumValue(BadgeProgram, b.program) }),
    status: t.expose('status', { type: BadgeStandingEnum }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const VerificationFlag = builder.objectRef<View['flags'][number]>('VerificationFlag').implement({
  description: 'A flag-list entry: a confirmed scam or impersonator account.',
  fields: (t) => ({
    category: t.exposeString('category'),
    since: t.expose('since', { type: 'DateTime' }),
  }),
});

const LookalikeMatchEnum = builder.enumType('LookalikeMatch', {
  description:
    'How an account resembles a verified one. SPELLING: homoglyphs, digits for letters, diacritics, separators or a one-edit typo. NAME_REUSED: the verified name with words added before or after it (support words such as hotro, cskh, official, chinhthuc, vn), a year or digits, or its words in another order.',
  values: LOOKALIKE_MATCHES,
});

const Lookalike = builder.objectRef<View['lookalikeOf'][number]>('Lookalike').implement({
  description: 'A verified account that the asked-about account looks like (homoglyphs, typos, diacritics, or its name with words added or reordered): beware impersonation.',
  fields: (t) => ({
    match: t.expose('match', { type: LookalikeMatchEnum, description: 'How the asked-about account resembles this verified one.' }),
    platform: t.field({ type: PlatformEnum, resolve: (l) => enumValue(Platform, l.platform) }),
    key: t.exposeString('key', { description: 'The canonical identity of the verified account; a key holding a phone number is shown as a keyed pseudonym (zalo:phone:~…).' }),
    url: t.exposeString('url', { nullable: true, description: 'Null when the key is shown as a pseudonym.' }),
    displayName: t.exposeString('displayName', { description: 'The display name of the verified member behind it.' }),
  }),
});

const VerificationError = builder.objectRef<NonNullable<View['error']>>('VerificationError').implement({
  description: 'Why the input could not be placed as an account (status INVALID_INPUT).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

const VerificationReason = builder.objectRef<NonNullable<View['reason']>>('VerificationReason').implement({
  description: 'Why a status is not VERIFIED: a stable code, the public category when there is one (a flag\'s report category, a badge change\'s reason category), and a message in the asked language.',
  fields: (t) => ({
    code: t.expose('code', { type: ReasonCodeEnum }),
    category: t.exposeString('category', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const ProgramVerification = builder.objectRef<View['programs'][number]>('ProgramVerification').implement({
  description: "One program's answer for the account.",
  fields: (t) => ({
    program: t.field({ type: BadgeProgramEnum, resolve: (p) => enumValue(BadgeProgram, p.program) }),
    status: t.expose('status', { type: VerificationStatusEnum }),
    reason: t.expose('reason', { type: VerificationReason, nullable: true }),
  }),
});

export const VerificationResultRef = builder.objectRef<Answer>('VerificationResult').implement({
  description: 'The answer for one input. Public by design: no personal data, no private reasons.',
  fields: (t) => ({
    status: t.expose('status', {
      type: VerificationStatusEnum,
      description: 'Without `program`: the best program status (VERIFIED = certified under at least one program; `programs` says which). With `program`: that program alone. FLAGGED overrides everything.',
    }),
    reason: t.expose('reason', { type: VerificationReason, nullable: true, description: 'Why the status is not VERIFIED; null when it is.' }),
    program: t.field({ type: BadgeProgramEnum, nullable: true, description: 'The program asked about, or null.', resolve: (r) => (r.program === null ? null : enumValue(BadgeProgram, r.program)) }),
    programs: t.expose('programs', {
      type: [ProgramVerification],
      description: "Each program the account's member holds a badge of (or only the one asked about), with its status and reason.",
    }),
    input: t.expose('input', { type: VerificationInputEcho }),
    account: t.expose('account', { type: VerifiedAccount, nullable: true }),
    member: t.expose('member', { type: VerifiedMember, nullable: true }),
    badges: t.expose('badges', { type: [VerifiedBadge] }),
    flags: t.expose('flags', { type: [VerificationFlag] }),
    lookalikeOf: t.expose('lookalikeOf', {
      type: [Lookalike],
      description: 'For NOT_FOUND, PENDING and FLAGGED answers: verified accounts this one looks like (at most 5).',
    }),
    error: t.expose('error', { type: VerificationError, nullable: true }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime', description: 'When the answer was computed.' }),
    at: t.expose('at', { type: 'DateTime', description: 'The moment the answer describes (checkedAt unless `at` was given).' }),
    signedAnswer: t.exposeString('signedAnswer', {
      nullable: true,
      description: 'With `verify(…, signed: true)` or `verifyMany(…, signed: true)`: this answer as a signed JWT (`typ: trust-verification+jwt`) to keep as proof; check it with `verifySignedAnswer` of @trust-alliance/verifier. Null otherwise.',
    }),
    attestation: t.loadable({
      type: 'String',
      nullable: true,
      description: "The current trust attestation (compact JWS, `typ: trust-mark+jwt`) of the member's first ACTIVE badge in `badges`; null for FLAGGED answers and when no badge is ACTIVE.",
      load: async (badgeIds: string[], ctx) => (await ctx.registry.currentAttestations(badgeIds)).map((a) => a?.jws ?? null),
      resolve: (r) => r.attestedBadgeId,
    }),
  }),
});

interface VerifyKey {
  input: VerifyInput;
  at: string | null;
  program: string | null;
  lang: Lang;
  signed: boolean;
}

/**
 * The loader's key of one `verify`: its parts in one text, NUL between them (the input guard
 * refuses NUL in every argument, so no part holds one) and each optional input part marked
 * present (`+`) or absent (`-`), so that no two different keys share a text. JSON.stringify of
 * the key was 1.3% of the service's CPU on the bench's GraphQL load.
 */
const keyPart = (value: string | undefined) => (value === undefined ? '-' : `+${value}`);

function verifyKeyText(key: VerifyKey): string {
  const input = key.input as { url?: string; platform?: string; handle?: string };
  return `${keyPart(input.url)}\u0000${keyPart(input.platform)}\u0000${keyPart(input.handle)}\u0000${key.at}\u0000${key.program}\u0000${key.lang}\u0000${key.signed}`;
}

const verifyArgs = {
  program: { description: 'Answer for this program alone (the overall status is then that program\'s).' },
  lang: { description: 'Language of reason messages; without it `Accept-Language` decides (vi unless en is preferred).' },
} as const;

builder.queryField('verify', (t) =>
  t.loadable({
    type: VerificationResultRef,
    description: 'Is this account a verified alliance member? `program` answers for one program alone; `at` answers for a past moment; `lang` (or `Accept-Language`) picks the language of reasons; `signed: true` also returns the answer as a signed JWT (`signedAnswer`).',
    authScopes: { public: true },
    args: {
      input: t.arg({ type: VerifyInputRef, required: true }),
      at: t.arg({ type: 'DateTime', required: false, description: 'A past moment to answer for (at most 5 minutes ahead of the clock).' }),
      program: t.arg({ type: BadgeProgramEnum, required: false, ...verifyArgs.program }),
      lang: t.arg({ type: LanguageEnum, required: false, ...verifyArgs.lang }),
      signed: t.arg.boolean({ required: false, description: 'Also sign the answer (`signedAnswer`).' }),
    },
    loaderOptions: { cacheKeyFn: verifyKeyText },
    load: async (keys: VerifyKey[], ctx) => {
      // One verifyMany per distinct moment, program and language; order is restored by index.
      const groups = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const group = `${key.at}\u0000${key.program}\u0000${key.lang}`;
        const indexes = groups.get(group);
        if (indexes) indexes.push(index);
        else groups.set(group, [index]);
      });
      const out: Answer[] = new Array(keys.length);
      for (const indexes of groups.values()) {
        const { at, program, lang } = keys[indexes[0]!]!;
        const results = await ctx.registry.verifyMany(indexes.map((i) => keys[i]!.input), { ...(at === null ? {} : { at: new Date(at) }), ...(program === null ? {} : { program }), lang });
        const signing: Promise<void>[] = [];
        indexes.forEach((keyIndex, i) => {
          const result = results[i]!;
          if (keys[keyIndex]!.signed) signing.push(ctx.registry.signAnswer(result).then((jws) => void (out[keyIndex] = toAnswer(result, jws))));
          else out[keyIndex] = toAnswer(result);
        });
        await Promise.all(signing);
      }
      return out;
    },
    resolve: (_root, args, ctx): VerifyKey => ({
      input: toAccountInput(args.input),
      at: args.at ? args.at.toISOString() : null,
      program: args.program ?? null,
      lang: args.lang ?? ctx.lang,
      signed: args.signed === true,
    }),
  }),
);

builder.queryField('verifyMany', (t) =>
  t.field({
    type: [VerificationResultRef],
    description: `Answers up to ${MAX_BATCH} inputs at once, in order, with a constant number of SQL queries; \`signed: true\` also returns each answer as a signed JWT (\`signedAnswer\`). PLATFORM, BUSINESS, OFFICER and ADMIN.`,
    authScopes: { bulkVerify: true },
    args: {
      inputs: t.arg({ type: [VerifyInputRef], required: true, validate: z.array(z.unknown()).max(MAX_BATCH, { message: `At most ${MAX_BATCH} inputs per call` }) }),
      at: t.arg({ type: 'DateTime', required: false, description: 'A past moment to answer for (at most 5 minutes ahead of the clock).' }),
      program: t.arg({ type: BadgeProgramEnum, required: false, ...verifyArgs.program }),
      lang: t.arg({ type: LanguageEnum, required: false, ...verifyArgs.lang }),
      signed: t.arg.boolean({ required: false, description: 'Also sign every answer (`signedAnswer`).' }),
    },
    resolve: async (_root, args, ctx) => {
      const results = await ctx.registry.verifyMany(args.inputs.map(toAccountInput), { ...(args.at ? { at: args.at } : {}), ...(args.program ? { program: args.program } : {}), lang: args.lang ?? ctx.lang });
      if (args.signed !== true) return results.map((result) => toAnswer(result));
      return Promise.all(results.map(async (result) => toAnswer(result, await ctx.registry.signAnswer(result))));
    },
  }),
);
