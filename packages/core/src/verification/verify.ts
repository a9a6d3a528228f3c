/**
 * `verify` and `verifyMany`: is this page or account a verified alliance member, now or at a
 * given moment? Inputs are normalized first (a bad one becomes an INVALID_INPUT answer, never
 * a failed batch); all valid keys are then answered by one lookup query (two halves at once for
 * a large batch on PostgreSQL), whatever the batch size.
 */
import type { Platform } from '../accounts/platform.ts';
import { normalizeAccount, type NormalizedAccount } from '../accounts/normalize.ts';
import { InvalidAccountError, RegistryError, ValidationError } from '../errors.ts';
import type { RegistryContext } from '../registry/context.ts';
import { badgeAt, effectiveBadgeStatus, pledgeInGoodStanding, type PledgeVersionFacts } from '../badges/standing.ts';
import { LOOKUP_AS_OF_SQL, LOOKUP_NOW_SQL, PLEDGE_VERSIONS_SQL, sqlStamp, type LookupRow } from './lookup-sql.ts';
import { toAccountFacts, toPledgeVersionFacts, type AccountFacts, type TimedStatus } from './account-facts.ts';
import type { VerificationResult, VerificationStatus, VerifiedBadge, VerifyInput } from './verification-result.ts';
import { findLookalikes } from './lookalikes.ts';

/** Answers that get lookalike checks; VERIFIED and the other known answers skip the query. */
const LOOKALIKE_STATUSES: ReadonlySet<VerificationStatus> = new Set(['NOT_FOUND', 'PENDING', 'FLAGGED']);

/** The most inputs one `verifyMany` call takes. */
export const MAX_BATCH = 1000;

/** Stronger answers win when an account has several admins: a verified admin makes it verified. */
const PRECEDENCE: readonly VerificationStatus[] = ['VERIFIED', 'SUSPENDED', 'EXPIRED', 'REVOKED', 'PENDING'];

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

function lastAt(events: readonly TimedStatus[], at: Date): TimedStatus | null {
  let last: TimedStatus | null = null;
  for (const e of events) {
    if (e.at > at) break;
    last = e;
  }
  return last;
}

function evaluate(facts: AccountFacts, versions: PledgeVersionFacts[], at: Date): Pick<VerificationResult, 'status' | 'member' | 'badges' | 'flags'> {
  const flags = facts.flags
    .filter((f) => f.createdAt <= at && (f.liftedAt === null || f.liftedAt > at))
    .map((f) => ({ category: f.category, since: f.createdAt }));
  if (facts.accountId === null) return { status: flags.length ? 'FLAGGED' : 'NOT_FOUND', member: null, badges: [], flags };
  let best: { status: VerificationStatus; member: VerificationResult['member']; badges: VerifiedBadge[] } | null = null;
  for (const admin of facts.admins) {
    if (lastAt(admin.ownership, at)?.status !== 'VERIFIED') continue;
    const memberStatus = lastAt(admin.memberEvents, at)?.status;
    if (memberStatus === undefined) continue;
    const pledgeGood = pledgeInGoodStanding(versions, admin.signatures, at);
    const badges: VerifiedBadge[] = [];
    for (const badge of admin.badges) {
      const state = badgeAt(badge.events, at);
      if (!state) continue;
      badges.push({ id: badge.id, program: badge.program, status: effectiveBadgeStatus(state, at, pledgeGood), issuedAt: badge.issuedAt, expiresAt: state.expiresAt });
    }
    const status = adminStatus(memberStatus, badges);
    if (best === null || PRECEDENCE.indexOf(status) < PRECEDENCE.indexOf(best.status)) best = { status, member: { ...admin.member }, badges };
  }
  if (flags.length) return { status: 'FLAGGED', member: best?.member ?? null, badges: best?.badges ?? [], flags };
  return best ? { ...best, flags } : { status: 'PENDING', member: null, badges: [], flags };
}

function adminStatus(memberStatus: string, badges: readonly VerifiedBadge[]): VerificationStatus {
  if (memberStatus === 'EXPELLED') return 'REVOKED';
  if (memberStatus === 'SUSPENDED') return badges.length ? 'SUSPENDED' : 'PENDING';
  if (memberStatus !== 'ACTIVE') return 'PENDING';
  const has = (s: VerifiedBadge['status']) => badges.some((b) => b.status === s);
  if (has('ACTIVE')) return 'VERIFIED';
  if (has('SUSPENDED')) return 'SUSPENDED';
  if (has('EXPIRED')) return 'EXPIRED';
  if (has('REVOKED')) return 'REVOKED';
  return 'PENDING';
}


/**
 * Answers many inputs at once, in order, with one lookup query (two for a large batch), plus
 * one for lookalikes when some answers are unknown, unverified or flagged.
 *
 * @example
 * const [a, b] = await verifyMany(ctx, [{ url: 'fb.com/tinnhiemso.cantho' }, { platform: 'TIKTOK', handle: '@x' }]);
 */
export async function verifyMany(ctx: RegistryContext, inputs: readonly VerifyInput[], options: { at?: Date } = {}): Promise<VerificationResult[]> {
  if (!Array.isArray(inputs)) throw new TypeError('verifyMany takes an array of inputs');
  if (inputs.length > MAX_BATCH) throw new ValidationError(`At most ${MAX_BATCH} inputs per call`, 'inputs');
  const checkedAt = ctx.now();
  const at = options.at ?? checkedAt;
  if (Number.isNaN(at.getTime())) throw new ValidationError('at is not a valid time', 'at');
  type Placed = { input: VerifyInput; normalized: NormalizedAccount } | { input: VerifyInput; error: { code: string; message: string } };
  const placed = inputs.map((input): Placed => {
    try {
      return { input, normalized: normalizeInput(input) };
    } catch (error) {
      if (error instanceof RegistryError) return { input, error: { code: error.code, message: error.message } };
      throw error;
    }
  });
  const keys = [...new Set(placed.flatMap((p) => ('normalized' in p ? [p.normalized.key] : [])))];
  const { rows, versions } = await lookup(ctx, keys, at, options.at === undefined);
  const results = placed.map((p): VerificationResult => {
    const base = { input: p.input, checkedAt, at, lookalikeOf: [] };
    if (!('normalized' in p)) return { ...base, status: 'INVALID_INPUT', account: null, member: null, badges: [], flags: [], error: p.error };
    const row = rows.get(p.normalized.key)!;
    const answer = evaluate(row, versions, at);
    const account = row.accountId
      ? { platform: row.platform as Platform, key: row.key!, url: row.url! }
      : { platform: p.normalized.platform, key: p.normalized.key, url: p.normalized.url };
    return { ...base, ...answer, account, error: null };
  });
  // Unknown, unverified or flagged accounts may be impersonating a verified one: say which.
  const cacheable = options.at === undefined;
  const generation = ctx.lookups.generation;
  const suspects = placed.flatMap((p, i) => {
    if (!('normalized' in p) || !LOOKALIKE_STATUSES.has(results[i]!.status)) return [];
    const cached = cacheable ? ctx.lookups.getLookalikes(p.normalized.key) : undefined;
    if (cached) results[i]!.lookalikeOf = cached;
    return cached ? [] : [{ i, account: p.normalized }];
  });
  if (suspects.length > 0) {
    const found = await findLookalikes(ctx, suspects.map((s) => s.account), at);
    suspects.forEach((s, j) => {
      results[s.i]!.lookalikeOf = found[j]!;
      if (cacheable) ctx.lookups.setLookalikes(s.account.key, found[j]!, generation);
    });
  }
  return results;
}

/**
 * Lookups of at least this many keys are split in two, run at once on two pooled PostgreSQL
 * connections: the database then uses two cores (1,000 cold keys of the `pnpm bench` data: the
 * lookup from about 56 ms to about 35 ms, timed around `registry.db.sql`). Each half is read
 * in its own snapshot, as separate `verify` calls would be; the generation check still keeps a
 * half that raced a change out of the cache.
 */
export const SPLIT_LOOKUP_MIN_KEYS = 250;


/**
 * Fetches the history rows of `keys` and the pledge versions: from the hot-lookup cache when
 * the question is about now, otherwise, and for misses, with one query (two for a large batch
 * on PostgreSQL) that also brings the pledge versions.
 */
async function lookup(ctx: RegistryContext, keys: readonly string[], at: Date, cacheable: boolean): Promise<{ rows: Map<string, AccountFacts>; versions: PledgeVersionFacts[] }> {
  const rows = new Map<string, AccountFacts>();
  if (keys.length === 0) return { rows, versions: [] };
  const generation = ctx.lookups.generation;
  const missing = cacheable ? keys.filter((key) => {
    const row = ctx.lookups.get(key);
    if (row) rows.set(key, row);
    return !row;
  }) : keys;
  let versions = cacheable ? ctx.lookups.getPledgeVersions() : undefined;
  let versionRows: LookupRow['pledgeVersions'] = null;
  if (missing.length > 0) {
    const half = Math.ceil(missing.length / 2);
    const chunks = ctx.db.kind === 'postgres' && missing.length >= SPLIT_LOOKUP_MIN_KEYS ? [missing.slice(0, half), missing.slice(half)] : [missing];
    const fetched = await Promise.all(chunks.map((chunk) => cacheable
      ? ctx.db.sql.query<LookupRow>(LOOKUP_NOW_SQL, [chunk], { name: 'verify-lookup-now' })
      : ctx.db.sql.query<LookupRow>(LOOKUP_AS_OF_SQL, [chunk, sqlStamp(at)], { name: 'verify-lookup-as-of' })));
    fetched.forEach((chunkRows, c) => {
      for (const row of chunkRows) {
        if (row.pledgeVersions) versionRows ??= row.pledgeVersions;
        const key = chunks[c]![row.ord - 1]!;
        const facts = toAccountFacts(row);
        rows.set(key, facts);
        if (cacheable) ctx.lookups.set(key, facts, generation);
      }
    });
  } else if (!versions) {
    versionRows = await ctx.db.sql.query<NonNullable<LookupRow['pledgeVersions']>[number]>(PLEDGE_VERSIONS_SQL);
  }
  if (versionRows) {
    versions = toPledgeVersionFacts(versionRows);
    if (cacheable) ctx.lookups.setPledgeVersions(versions, generation);
  }
  return { rows, versions: versions! };
}

/**
 * Answers one input.
 *
 * @example
 * const answer = await verify(ctx, { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' });
 * answer.status // 'VERIFIED'
 */
export async function verify(ctx: RegistryContext, input: VerifyInput, options: { at?: Date } = {}): Promise<VerificationResult> {
  const [answer] = await verifyMany(ctx, [input], options);
  return answer!;
}
