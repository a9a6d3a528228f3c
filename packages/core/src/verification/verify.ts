/**
 * `verify` and `verifyMany`: is this page or account a verified alliance member, now or at a
 * given moment, and under which program? The answer is the one decision of rules/decision.ts
 * (the rule table in packages/core/README.md). Inputs are normalized first (a bad one becomes an INVALID_INPUT answer, never
 * a failed batch); the keys the lookup cache does not hold are then read by one lookup query per
 * batch of keys, shared with concurrent callers (coalesced-lookups.ts).
 */
import type { Platform } from '../accounts/platform.ts';
import { normalizeAccount } from '../accounts/normalize.ts';
import type { NormalizedAccount } from '../accounts/platform.ts';
import { InvalidAccountError, RegistryError, ValidationError } from '../errors.ts';
import type { RegistryContext } from '../kernel/context.ts';
import type { PledgeVersionFacts } from '../rules/standing.ts';
import { BADGE_PROGRAMS, requireEnum } from '../kernel/validation.ts';
import { decideAccount } from '../rules/decision.ts';
import { DEFAULT_LANG, describeReason, LANGS, type Lang } from '../rules/reasons.ts';
import { LOOKUP_AS_OF_SQL, PLEDGE_VERSIONS_SQL, sqlStamp, type LookupRow } from './lookup-sql.ts';
import { toAccountFacts, toPledgeVersionFacts } from './account-facts.ts';
import type { AccountFacts } from '../rules/facts.ts';
import type { Lookalike, VerificationResult, VerificationStatus, VerifyInput, VerifyOptions } from '../rules/verification-result.ts';
import { findLookalikes } from './lookalikes.ts';
import { verificationReads } from '../kernel/read-source.ts';
import { lookalikesNow, lookupNow, MAX_KEYS_PER_LOOKUP } from './coalesced-lookups.ts';

type Reads = ReturnType<typeof verificationReads>;

/** Answers that get lookalike checks; VERIFIED and the other known answers skip the query. */
const LOOKALIKE_STATUSES: ReadonlySet<VerificationStatus> = new Set(['NOT_FOUND', 'PENDING', 'FLAGGED']);

/** The most inputs one `verifyMany` call takes. */
export const MAX_BATCH = 1000;

function normalizeInput(input: VerifyInput): NormalizedAccount {
  if (input && typeof input === 'object') {
    const given = input as { url?: unknown; platform?: unknown; handle?: unknown };
    const hasUrl = given.url != null;
    const hasPart = given.platform != null || given.handle != null;
    // Both forms, or half of the second: which account was meant cannot be known.
    if (hasUrl === hasPart || (!hasUrl && (given.platform == null || given.handle == null))) {
      throw new InvalidAccountError('Give url, or platform and handle (not both)', { field: 'input' });
    }
  }
  if (input && typeof input === 'object' && 'url' in input && typeof input.url === 'string') return normalizeAccount(input.url);
  if (input && typeof input === 'object' && 'platform' in input) return normalizeAccount({ platform: input.platform as Platform, handle: (input as { handle: string }).handle });
  return normalizeAccount(input as unknown as string);
}

/** How far ahead of the clock `at` may be: a moment not yet come is not known. */
export const MAX_AT_AHEAD_MS = 5 * 60_000;

/** Checks `at` (a Date from 1970 to {@link MAX_AT_AHEAD_MS} ahead of `now`); ValidationError naming `at` otherwise. */
function checkAt(at: Date, now: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ValidationError('at is not a valid time', 'at');
  if (at.getTime() < 0) throw new ValidationError(`at must not be before 1970-01-01T00:00:00Z (got ${at.toISOString()})`, 'at');
  if (at.getTime() > now.getTime() + MAX_AT_AHEAD_MS) {
    throw new ValidationError(`at must not be more than 5 minutes in the future: ${at.toISOString()} is after ${now.toISOString()}; the registry cannot know what will be true then`, 'at');
  }
}

/** The fields of an answer that the facts decide, through the one decision. */
export type FactAnswer = Pick<VerificationResult, 'status' | 'reason' | 'programs' | 'attestedBadgeId' | 'member' | 'badges' | 'flags' | 'account' | 'error'>;

/**
 * Maps the decision about an account's facts to the answer `verify` gives (pure: the property
 * test calls it without a database).
 *
 * @example answerFromFacts(facts, versions, { at, program: null, lang: 'en', asked: normalizeAccount(url) }).reason?.message
 */
export function answerFromFacts(facts: AccountFacts, versions: readonly PledgeVersionFacts[], options: { at: Date; program: string | null; lang: Lang; asked: { platform: Platform; key: string; url: string } }): FactAnswer {
  const decision = decideAccount(facts, versions, options.at, options.program);
  const { asked, lang } = options;
  return {
    status: decision.status,
    reason: describeReason(decision.reason, lang),
    programs: decision.programs.map((d) => ({ program: d.program, status: d.status, reason: describeReason(d.reason, lang) })),
    attestedBadgeId: decision.attestedBadgeId,
    member: decision.member,
    badges: decision.badges,
    flags: decision.flags,
    account: facts.accountId ? { platform: facts.platform as Platform, key: facts.key!, url: facts.url! } : { platform: asked.platform, key: asked.key, url: asked.url },
    error: null,
  };
}

/**
 * Answers many inputs at once, in order, with one lookup query per {@link MAX_KEYS_PER_LOOKUP}
 * keys the cache does not hold (so at most two), plus one lookalike search when some answers
 * are unknown, unverified or flagged and their lookup did not already search for them (a lookup
 * of a few keys does: coalesced-lookups.ts): at most three queries, fewer when concurrent calls
 * share them.
 *
 * @example
 * const [a, b] = await verifyMany(ctx, [{ url: 'fb.com/tinnhiemso.cantho' }, { platform: 'TIKTOK', handle: '@x' }], { program: 'KOL_TRUST', lang: 'en' });
 * a.programs // [{ program: 'KOL_TRUST', status: 'REVOKED', reason: { code: 'BADGE_REVOKED', category: 'LEGAL_VIOLATION', message: 'The trust badge was revoked (legal violation).' } }]
 */
export async function verifyMany(ctx: RegistryContext, inputs: readonly VerifyInput[], options: VerifyOptions = {}): Promise<VerificationResult[]> {
  if (!Array.isArray(inputs)) throw new TypeError('verifyMany takes an array of inputs');
  if (inputs.length > MAX_BATCH) throw new ValidationError(`At most ${MAX_BATCH} inputs per call`, 'inputs');
  const checkedAt = ctx.now();
  const at = options.at ?? checkedAt;
  if (options.at !== undefined) checkAt(options.at, checkedAt);
  const program = options.program === undefined || options.program === null ? null : requireEnum(options.program, BADGE_PROGRAMS, 'program');
  const lang = options.lang === undefined || options.lang === null ? DEFAULT_LANG : requireEnum(options.lang, LANGS, 'lang');
  type Placed = { input: VerifyInput; normalized: NormalizedAccount } | { input: VerifyInput; error: { code: string; message: string } };
  const placed = inputs.map((input): Placed => {
    try {
      return { input, normalized: normalizeInput(input) };
    } catch (error) {
      if (error instanceof RegistryError) return { input, error: { code: error.code, message: error.message } };
      throw error;
    }
  });
  const byKey = new Map<string, NormalizedAccount>();
  for (const p of placed) if ('normalized' in p) byKey.set(p.normalized.key, p.normalized);
  const accounts = [...byKey.values()];
  // About now (cached and coalesced) or as of a moment; on a fresh replica when there is one.
  const cacheable = options.at === undefined;
  const reads = verificationReads(ctx);
  const { rows, versions, searched } = cacheable ? await lookupNowCached(ctx, reads, accounts) : await lookupAsOf(reads, accounts.map((account) => account.key), at, ctx.db.kind === 'postgres');
  const results = placed.map((p): VerificationResult => {
    if (!('normalized' in p)) {
      const reason = describeReason({ code: 'INVALID_INPUT', category: null }, lang);
      return { input: p.input, program, checkedAt, at, lookalikeOf: [], status: 'INVALID_INPUT', reason, programs: [], attestedBadgeId: null, account: null, member: null, badges: [], flags: [], error: p.error };
    }
    const answer = answerFromFacts(rows.get(p.normalized.key)!, versions, { at, program, lang, asked: p.normalized });
    // Written out rather than spread twice: for a batch of 1,000 the spread was this function's largest self time.
    return {
      input: p.input, program, checkedAt, at, lookalikeOf: [], status: answer.status, reason: answer.reason, programs: answer.programs,
      attestedBadgeId: answer.attestedBadgeId, member: answer.member, badges: answer.badges, flags: answer.flags, account: answer.account, error: answer.error,
    };
  });
  // Unknown, unverified or flagged accounts may be impersonating a verified one: say which.
  const suspects = placed.flatMap((p, i) => {
    if (!('normalized' in p) || !LOOKALIKE_STATUSES.has(results[i]!.status)) return [];
    // Searched by the lookup itself, or kept in the cache from an earlier search.
    const cached = cacheable ? (searched?.get(p.normalized.key) ?? ctx.lookups.getLookalikes(p.normalized.key)) : undefined;
    if (cached) results[i]!.lookalikeOf = cached;
    return cached ? [] : [{ i, account: p.normalized }];
  });
  if (suspects.length > 0) {
    const accounts = suspects.map((s) => s.account);
    // About now: searched together with other concurrent callers' (and cached there).
    const found = cacheable ? await lookalikesNow(ctx, reads, accounts) : await findLookalikes(ctx, accounts, at);
    suspects.forEach((s, j) => {
      results[s.i]!.lookalikeOf = found[j]!;
    });
  }
  return results;
}

/**
 * Lookups "as of" a moment of at least this many keys are split in two on PostgreSQL, run at
 * once on two pooled connections: the database then uses two cores. (Lookups about now are cut
 * into batches of {@link MAX_KEYS_PER_LOOKUP} by coalesced-lookups.ts, for the same reason.)
 */
export const SPLIT_LOOKUP_MIN_KEYS = 250;

/** What a lookup brings: each key's facts, the pledge versions, and (about now) the lookalikes its query searched, by key. */
interface LookedUp {
  rows: Map<string, AccountFacts>;
  versions: PledgeVersionFacts[];
  searched?: Map<string, Lookalike[]>;
}

/**
 * The current facts of `accounts` and the pledge versions: from the hot-lookup cache, and for
 * misses from one lookup query per batch, shared with concurrent callers (coalesced-lookups.ts),
 * which also brings the pledge versions and the lookalikes of the keys it searched.
 */
async function lookupNowCached(ctx: RegistryContext, reads: Reads, accounts: readonly NormalizedAccount[]): Promise<LookedUp> {
  const rows = new Map<string, AccountFacts>();
  if (accounts.length === 0) return { rows, versions: [] };
  const missing = accounts.filter((account) => {
    const row = ctx.lookups.get(account.key);
    if (row) rows.set(account.key, row);
    return !row;
  });
  if (missing.length > 0) {
    const fetched = await lookupNow(ctx, reads, missing);
    // Made only on a miss: the hot path (every key cached) allocates no map for it.
    const searched = new Map<string, Lookalike[]>();
    fetched.forEach((f, i) => {
      rows.set(missing[i]!.key, f.facts);
      if (f.lookalikes) searched.set(missing[i]!.key, f.lookalikes);
    });
    return { rows, versions: fetched[0]!.versions, searched };
  }
  const generation = ctx.lookups.generation;
  let versions = ctx.lookups.getPledgeVersions();
  if (!versions) {
    versions = toPledgeVersionFacts(await reads.query<NonNullable<LookupRow['pledgeVersions']>[number]>(PLEDGE_VERSIONS_SQL));
    ctx.lookups.setPledgeVersions(versions, generation);
  }
  return { rows, versions };
}

/** The facts of `keys` as of `at`: the histories, replayed by the decision (never cached). */
async function lookupAsOf(reads: Reads, keys: readonly string[], at: Date, split: boolean): Promise<LookedUp> {
  const rows = new Map<string, AccountFacts>();
  if (keys.length === 0) return { rows, versions: [] };
  const half = Math.ceil(keys.length / 2);
  const chunks = split && keys.length >= SPLIT_LOOKUP_MIN_KEYS ? [keys.slice(0, half), keys.slice(half)] : [keys];
  let versionRows: LookupRow['pledgeVersions'] = null;
  const fetched = await Promise.all(chunks.map((chunk) => reads.query<LookupRow>(LOOKUP_AS_OF_SQL, [chunk, sqlStamp(at)], { name: 'verify-lookup-as-of' })));
  fetched.forEach((chunkRows, c) => {
    for (const row of chunkRows) {
      if (row.pledgeVersions) versionRows ??= row.pledgeVersions;
      rows.set(chunks[c]![row.ord - 1]!, toAccountFacts(row));
    }
  });
  return { rows, versions: toPledgeVersionFacts(versionRows ?? []) };
}

/**
 * Answers one input.
 *
 * @example
 * const answer = await verify(ctx, { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' });
 * answer.status // 'VERIFIED'
 */
export async function verify(ctx: RegistryContext, input: VerifyInput, options: VerifyOptions = {}): Promise<VerificationResult> {
  const [answer] = await verifyMany(ctx, [input], options);
  return answer!;
}
