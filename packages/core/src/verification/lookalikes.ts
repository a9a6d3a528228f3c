/**
 * Finds verified accounts that an unknown, unverified or flagged account looks like: equal
 * skeletons or one edit apart (see accounts/skeleton.ts), or a verified name with support
 * words, a year or digits added, or its words reordered (see accounts/affixes.ts). One query
 * for a whole batch, and only for the answers that need it, so the hot path of known accounts
 * never pays for it. The search is also written into the lookup about now
 * (lookup-with-search.ts), which runs it only for the keys that may need it.
 */
import { accountSkeleton } from '../accounts/skeleton.ts';
import { impersonationCores } from '../accounts/affixes.ts';
import type { NormalizedAccount } from '../accounts/platform.ts';
import type { RegistryContext } from '../kernel/context.ts';
import type { Lookalike } from '../rules/verification-result.ts';
import { sqlStamp } from './lookup-sql.ts';
import { publicAccount } from '../privacy/public-account.ts';
import { verificationReads } from '../kernel/read-source.ts';
import type { SqlExecutor } from '../storage/sql-executor.ts';

/** Most lookalikes reported per answer. */
export const MAX_LOOKALIKES = 5;

// Each probe is an index lookup (btree on skeleton, GIN on variants; two joins, not one OR).
// Spelling probes (the skeleton and its deletions) use both; name cores only the btree, since
// a core must equal a verified skeleton exactly.
// A named (prepared) statement: planning this query took 1–2 ms of the database's CPU each time,
// more than executing it for a few accounts; after five runs PostgreSQL keeps a generic plan,
// as fast for 300 accounts (a throwaway timing script at 1,000,000 accounts, jit off as the
// registry's connections have it).
// The planner cannot estimate how few accounts match (it guesses millions and would hash-join
// whole tables), so the matches are gathered into an array first: `= ANY(array)` is estimated
// as a handful of rows, and the verified-member checks become index lookups.
/**
 * The search as common table expressions over a CTE `probe(s, ord, spelling)`, ending in
 * `found(ord, spelling, platform, key, url, "displayName")`: the verified accounts each `ord`
 * looks like at `at`.
 */
export function lookalikeSearchCtes(at: string): string {
  return `matched AS MATERIALIZED (
  SELECT p.ord, a.id, p.spelling FROM probe p JOIN "Account" a ON a.skeleton = p.s
  UNION
  SELECT p.ord, a.id, true FROM probe p JOIN "Account" a ON a."skeletonVariants" @> ARRAY[p.s] WHERE p.spelling
),
candidates AS MATERIALIZED (SELECT array_agg(DISTINCT id) AS ids FROM matched),
found AS (
  SELECT DISTINCT x.ord, x.spelling, a.platform::text AS platform, a.key, a.url, m."displayName"
  FROM "Account" a
  JOIN "AccountAdmin" aa ON aa."accountId" = a.id AND aa.ownership = 'VERIFIED'
  JOIN "Member" m ON m.id = aa."memberId" AND m.status = 'ACTIVE'
  JOIN matched x ON x.id = a.id
  WHERE a.id = ANY((SELECT ids FROM candidates)::text[])
    AND EXISTS (SELECT 1 FROM "Badge" b WHERE b."memberId" = m.id AND b.status = 'ACTIVE' AND b."expiresAt" > ${at})
)`;
}

const LOOKALIKE_SQL = `
WITH probe AS (SELECT * FROM unnest($1::text[], $2::int[], $4::boolean[]) AS p(s, ord, spelling)),
${lookalikeSearchCtes('$3::timestamp')}
SELECT * FROM found ORDER BY ord, key, spelling DESC`;

/** The probes of a batch of accounts, as the search's parallel arrays (`owners` are 1-based positions). */
export interface LookalikeProbes {
  probes: string[];
  owners: number[];
  spelling: boolean[];
}

/** Every probe of each account: its skeleton and one-edit variants (spelling), then its name cores. */
export function lookalikeProbes(accounts: ReadonlyArray<Pick<NormalizedAccount, 'platform' | 'handle' | 'idKind'>>): LookalikeProbes {
  const probes: string[] = [];
  const owners: number[] = [];
  const spelling: boolean[] = [];
  accounts.forEach((account, i) => {
    const skeleton = accountSkeleton(account);
    for (const s of skeleton ? [skeleton.skeleton, ...skeleton.variants] : []) {
      probes.push(s);
      owners.push(i + 1);
      spelling.push(true);
    }
    for (const s of impersonationCores(account)) {
      probes.push(s);
      owners.push(i + 1);
      spelling.push(false);
    }
  });
  return { probes, owners, spelling };
}

/** One verified account the search found for an asked account. */
export interface FoundRow {
  spelling: boolean;
  platform: string;
  key: string;
  url: string;
  displayName: string;
}

/**
 * The lookalikes of the account asked as `askedKey`, from the search's rows for it (ordered by
 * key, spelling first): other accounts than itself, each once, at most {@link MAX_LOOKALIKES}.
 */
export function lookalikesFromRows(ctx: RegistryContext, askedKey: string, rows: Iterable<FoundRow>): Lookalike[] {
  const list: Lookalike[] = [];
  for (const row of rows) {
    if (list.length >= MAX_LOOKALIKES) break;
    // A key holding a phone number is shown as its pseudonym.
    const shown = publicAccount(ctx.pseudonyms, { key: row.key, handle: '', url: row.url });
    if (row.key !== askedKey && !list.some((l) => l.key === shown.key)) {
      list.push({ platform: row.platform, key: shown.key, url: shown.url, displayName: row.displayName, match: row.spelling ? 'SPELLING' : 'NAME_REUSED' });
    }
  }
  return list;
}

/**
 * For each account (by position), the verified accounts it looks like, other than itself.
 * @example const found = await findLookalikes(ctx, [normalizeAccount('fb.com/tinnhiemso.cant0')], new Date());
 */
export async function findLookalikes(ctx: RegistryContext, accounts: ReadonlyArray<NormalizedAccount>, at: Date, reads: Pick<SqlExecutor, 'query'> = verificationReads(ctx)): Promise<Lookalike[][]> {
  const { probes, owners, spelling } = lookalikeProbes(accounts);
  if (probes.length === 0) return accounts.map(() => []);
  const rows = await reads.query<FoundRow & { ord: number } & Record<string, unknown>>(LOOKALIKE_SQL, [probes, owners, sqlStamp(at), spelling], { name: 'verify-lookalikes' });
  const byOwner: FoundRow[][] = accounts.map(() => []);
  for (const row of rows) byOwner[row.ord - 1]!.push(row);
  return accounts.map((account, i) => lookalikesFromRows(ctx, account.key, byOwner[i]!));
}
