/**
 * Finds verified accounts that an unknown (or unverified) account looks like: equal skeletons
 * or one edit apart (see accounts/skeleton.ts). One query for a whole batch, and only for the
 * answers that need it, so the hot path of known accounts never pays for it.
 */
import { accountSkeleton } from '../accounts/skeleton.ts';
import type { NormalizedAccount } from '../accounts/normalize.ts';
import type { RegistryContext } from '../registry/context.ts';
import type { Lookalike } from './verification-result.ts';

/** Most lookalikes reported per answer. */
export const MAX_LOOKALIKES = 5;

// Two separate joins (not one OR) so each probe is an index lookup: btree on skeleton, GIN on variants.
const LOOKALIKE_SQL = `
WITH probe AS (SELECT * FROM unnest($1::text[], $2::int[]) AS p(s, ord)),
matched AS (
  SELECT p.ord, a.id FROM probe p JOIN "Account" a ON a.skeleton = p.s
  UNION
  SELECT p.ord, a.id FROM probe p JOIN "Account" a ON a."skeletonVariants" @> ARRAY[p.s]
)
SELECT DISTINCT x.ord, a.platform::text AS platform, a.key, a.url, m."displayName"
FROM matched x
JOIN "Account" a ON a.id = x.id
JOIN "AccountAdmin" aa ON aa."accountId" = a.id AND aa.ownership = 'VERIFIED'
JOIN "Member" m ON m.id = aa."memberId" AND m.status = 'ACTIVE'
WHERE EXISTS (SELECT 1 FROM "Badge" b WHERE b."memberId" = m.id AND b.status = 'ACTIVE' AND b."expiresAt" > $3::timestamp)
ORDER BY x.ord, a.key`;

/**
 * For each account (by position), the verified accounts it looks like, other than itself.
 * @example const found = await findLookalikes(ctx, [normalizeAccount('fb.com/tinnhiemso.cant0')], new Date());
 */
export async function findLookalikes(ctx: RegistryContext, accounts: ReadonlyArray<NormalizedAccount>, at: Date): Promise<Lookalike[][]> {
  const probes: string[] = [];
  const owners: number[] = [];
  accounts.forEach((account, i) => {
    const skeleton = accountSkeleton(account);
    if (!skeleton) return;
    for (const s of [skeleton.skeleton, ...skeleton.variants]) {
      probes.push(s);
      owners.push(i + 1);
    }
  });
  const found: Lookalike[][] = accounts.map(() => []);
  if (probes.length === 0) return found;
  const rows = await ctx.db.sql.query<{ ord: number; platform: string; key: string; url: string; displayName: string }>(LOOKALIKE_SQL, [probes, owners, at.toISOString().replace('Z', '')]);
  for (const row of rows) {
    const list = found[row.ord - 1]!;
    if (row.key !== accounts[row.ord - 1]!.key && list.length < MAX_LOOKALIKES && !list.some((l) => l.key === row.key)) {
      list.push({ platform: row.platform, key: row.key, url: row.url, displayName: row.displayName });
    }
  }
  return found;
}
