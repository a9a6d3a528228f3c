/**
 * Finds verified accounts that an unknown, unverified or flagged account looks like: equal
 * skeletons or one edit apart (see accounts/skeleton.ts), or a verified name with support
 * words, a year or digits added, or its words reordered (see accounts/affixes.ts). One query
 * for a whole batch, and only for the answers that need it, so the hot path of known accounts
 * never pays for it.
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
const LOOKALIKE_SQL = `
WITH probe AS (SELECT * FROM unnest($1::text[], $2::int[], $4::boolean[]) AS p(s, ord, spelling)),
matched AS MATERIALIZED (
  SELECT p.ord, a.id, p.spelling FROM probe p JOIN "Account" a ON a.skeleton = p.s
  UNION
  SELECT p.ord, a.id, true FROM probe p JOIN "Account" a ON a."skeletonVariants" @> ARRAY[p.s] WHERE p.spelling
),
candidates AS MATERIALIZED (SELECT array_agg(DISTINCT id) AS ids FROM matched)
SELECT DISTINCT x.ord, x.spelling, a.platform::text AS platform, a.key, a.url, m."displayName"
FROM "Account" a
JOIN "AccountAdmin" aa ON aa."accountId" = a.id AND aa.ownership = 'VERIFIED'
JOIN "Member" m ON m.id = aa."memberId" AND m.status = 'ACTIVE'
JOIN matched x ON x.id = a.id
WHERE a.id = ANY((SELECT ids FROM candidates)::text[])
  AND EXISTS (SELECT 1 FROM "Badge" b WHERE b."memberId" = m.id AND b.status = 'ACTIVE' AND b."expiresAt" > $3::timestamp)
ORDER BY x.ord, a.key, x.spelling DESC`;

/**
 * For each account (by position), the verified accounts it looks like, other than itself.
 * @example const found = await findLookalikes(ctx, [normalizeAccount('fb.com/tinnhiemso.cant0')], new Date());
 */
export async function findLookalikes(ctx: RegistryContext, accounts: ReadonlyArray<NormalizedAccount>, at: Date, reads: Pick<SqlExecutor, 'query'> = verificationReads(ctx)): Promise<Lookalike[][]> {
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
  const found: Lookalike[][] = accounts.map(() => []);
  if (probes.length === 0) return found;
  const rows = await reads.query<{ ord: number; spelling: boolean; platform: string; key: string; url: string; displayName: string }>(LOOKALIKE_SQL, [probes, owners, sqlStamp(at), spelling], { name: 'verify-lookalikes' });
  for (const row of rows) {
    const list = found[row.ord - 1]!;
    // Another account than the one asked about: a key holding a phone number is shown as its pseudonym.
    const shown = publicAccount(ctx.pseudonyms, { key: row.key, handle: '', url: row.url });
    if (row.key !== accounts[row.ord - 1]!.key && list.length < MAX_LOOKALIKES && !list.some((l) => l.key === shown.key)) {
      list.push({ platform: row.platform, key: shown.key, url: shown.url, displayName: row.displayName, match: row.spelling ? 'SPELLING' : 'NAME_REUSED' });
    }
  }
  return found;
}

