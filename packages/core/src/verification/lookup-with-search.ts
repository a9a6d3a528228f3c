/**
 * The lookup about now with the lookalike search in the same statement, for the keys that may
 * need it: an unknown, unverified or flagged account is answered, lookalikes and all,
 * in one round trip instead of two in a row (the slowest hundredth of `pnpm bench`'s Zipf
 * workload were those second round trips).
 *
 * Which answers need lookalikes is the decision's to say (rules/decision.ts), not SQL's. The SQL
 * test here is only a hint: it skips the search for a key whose account has no open flag and a
 * verified owner holding a badge in any state, which the decision answers VERIFIED, SUSPENDED,
 * REVOKED or EXPIRED (the per-badge rows of the rule table: a badge holder is PENDING only as a
 * pending member, which never holds one), none of which gets lookalikes; it searches for every other key.
 * An answer the decision finds suspect whose key was not searched (asked about a program the
 * badge is not of, say) gets its own search afterwards, as before.
 *
 * Probes are computed for every key of the batch (15–20 µs of JavaScript each, test/bench/lookalike-probes.ts); the database
 * runs them only for the keys it searches. For a large batch that JavaScript costs more than the
 * round trip it saves, so only small batches are looked up this way (coalesced-lookups.ts).
 */
import type { NormalizedAccount } from '../accounts/platform.ts';
import type { RegistryContext } from '../kernel/context.ts';
import type { Lookalike } from '../rules/verification-result.ts';
import type { SqlExecutor } from '../storage/sql-executor.ts';
import { lookalikeProbes, lookalikeSearchCtes, lookalikesFromRows, type FoundRow } from './lookalikes.ts';
import { LOOKUP_NOW_SQL, sqlStamp, type LookupRow } from './lookup-sql.ts';

/** `$1` keys; `$2`, `$3`, `$4` the probes, their keys' positions and spelling marks; `$5` now. */
export const LOOKUP_NOW_WITH_SEARCH_SQL = `
WITH looked AS MATERIALIZED (${LOOKUP_NOW_SQL}),
badge_held AS MATERIALIZED (
  SELECT l.ord FROM looked l
  WHERE l."accountId" IS NOT NULL AND json_array_length(l.flags) = 0
    AND EXISTS (SELECT 1 FROM "AccountAdmin" aa JOIN "Badge" b ON b."memberId" = aa."memberId"
                WHERE aa."accountId" = l."accountId" AND aa.ownership = 'VERIFIED')
),
probe AS (
  SELECT p.s, p.ord, p.spelling FROM unnest($2::text[], $3::int[], $4::boolean[]) AS p(s, ord, spelling)
  WHERE p.ord NOT IN (SELECT ord FROM badge_held)
),
${lookalikeSearchCtes('$5::timestamp')},
found_by_key AS (
  SELECT f.ord, json_agg(json_build_object('spelling', f.spelling, 'platform', f.platform, 'key', f.key, 'url', f.url, 'displayName', f."displayName")
                         ORDER BY f.key, f.spelling DESC) AS lookalikes
  FROM found f GROUP BY f.ord
)
SELECT l.*, l.ord NOT IN (SELECT ord FROM badge_held) AS searched, g.lookalikes
FROM looked l LEFT JOIN found_by_key g ON g.ord = l.ord
ORDER BY l.ord`;

export interface LookupWithSearchRow extends LookupRow {
  /** Whether the search ran for this key (no verified owner holding a badge, or an open flag). */
  searched: boolean;
  /** The search's rows for this key, ordered by key, spelling first; null when none or not searched. */
  lookalikes: FoundRow[] | null;
}

/** One key's row of the lookup, and its lookalikes when the search ran for it (the plain lookup's too, with none). */
export interface LookedUpAndSearched {
  row: LookupRow;
  /** Undefined when the search did not run for the key. */
  lookalikes: Lookalike[] | undefined;
}

/**
 * Looks `accounts` up as of now (one row per account, in order, distinct keys expected) and
 * searches in the same statement for lookalikes of those without a verified owner holding a badge, or with an open flag.
 */
export async function lookupNowWithSearch(ctx: RegistryContext, reads: Pick<SqlExecutor, 'query'>, accounts: readonly NormalizedAccount[]): Promise<LookedUpAndSearched[]> {
  const { probes, owners, spelling } = lookalikeProbes(accounts);
  const keys = accounts.map((account) => account.key);
  const rows = await reads.query<LookupWithSearchRow>(LOOKUP_NOW_WITH_SEARCH_SQL, [keys, probes, owners, spelling, sqlStamp(ctx.now())], { name: 'verify-lookup-now-and-search' });
  return rows.map((row) => ({
    row,
    lookalikes: row.searched ? lookalikesFromRows(ctx, keys[row.ord - 1]!, row.lookalikes ?? []) : undefined,
  }));
}
