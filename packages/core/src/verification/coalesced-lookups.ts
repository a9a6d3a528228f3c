/**
 * The cache-miss reads of `verify` about now, coalesced across concurrent calls: every key that
 * misses the lookup cache while earlier lookups are still running joins one batch, answered by
 * one lookup query, which for a batch of up to {@link MAX_KEYS_SEARCHED_WITH_LOOKUP} keys also
 * searches for lookalikes of the keys that may need them (lookup-with-search.ts); a suspect
 * answer it did not search (a larger batch, or cached facts that outlived their cached
 * lookalikes) gets one lookalike search per batch afterwards. At 50 concurrent
 * callers this turns 50 round trips into a few, and the database's per-statement work (and the
 * driver's) with it: `pnpm bench`'s cache-off rows.
 *
 * Batching is DataLoader's, with a schedule that starts a batch only when fewer than
 * {@link MAX_READS_IN_FLIGHT} of its kind are running: an idle registry sends a lone key at
 * once (one event-loop turn later), a busy one lets keys gather while the database works. Reads
 * of different executors (the primary for a caller that must see its own writes, the replica
 * router, a transaction) never share a batch. Reads "as of" a moment are not coalesced: each
 * call has its own moment.
 */
import DataLoader from 'dataloader';
import type { NormalizedAccount } from '../accounts/platform.ts';
import type { RegistryContext } from '../kernel/context.ts';
import type { AccountFacts } from '../rules/facts.ts';
import type { PledgeVersionFacts } from '../rules/standing.ts';
import type { Lookalike } from '../rules/verification-result.ts';
import type { SqlExecutor } from '../storage/sql-executor.ts';
import { toAccountFacts, toPledgeVersionFacts } from './account-facts.ts';
import { findLookalikes } from './lookalikes.ts';
import { lookupNowWithSearch, type LookedUpAndSearched } from './lookup-with-search.ts';
import { LOOKUP_NOW_SQL, type LookupRow } from './lookup-sql.ts';
import { BoundedSchedule } from '../kernel/bounded-schedule.ts';

/** Most lookup (or lookalike) queries of one executor running at once; the rest wait and gather. */
export const MAX_READS_IN_FLIGHT = 4;

/**
 * Most keys in one lookup query: half a full `verifyMany`, so a batch of 1,000 cold keys is two
 * queries run at once on two pooled connections and the database uses both cores. (Four of 250
 * were somewhat faster in process at 1,000,000 accounts, median 143 against 190 ms, but two keep
 * a full batch within the three queries it is promised: docs/BENCHMARKS.md.)
 */
export const MAX_KEYS_PER_LOOKUP = 500;

/**
 * Most keys in a lookup that also runs the lookalike search (lookup-with-search.ts); a larger
 * batch is looked up alone, and its suspects searched after it. The search in the lookup needs
 * the probes of every key (15–20 µs of JavaScript each, test/bench/lookalike-probes.ts), a search after it only its suspects':
 * for a few keys that is far less than the round trip it saves, for 500 it is more (the
 * breakdown tool: 1,000 cold keys 124 ms with two statements in a row, 133 ms with every batch
 * searched in its lookup; docs/BENCHMARKS.md).
 */
export const MAX_KEYS_SEARCHED_WITH_LOOKUP = 100;

/** Most accounts in one lookalike search: as many as one `verifyMany` can bring, so its suspects are always one search. */
export const MAX_ACCOUNTS_PER_LOOKALIKE_SEARCH = 1000;

type Reads = Pick<SqlExecutor, 'query'>;

/** One key's facts and the pledge versions read in the same query, and its lookalikes when the query searched them. */
export interface FetchedFacts {
  facts: AccountFacts;
  versions: PledgeVersionFacts[];
  /** Undefined when the query did not search for this key (a verified owner holds a badge, and no flag is open). */
  lookalikes: Lookalike[] | undefined;
}

interface Loaders {
  facts: DataLoader<NormalizedAccount, FetchedFacts>;
  lookalikes: DataLoader<NormalizedAccount, Lookalike[]>;
}

const loadersByExecutor = new WeakMap<Reads, Loaders>();

function loadersFor(ctx: RegistryContext, reads: Reads): Loaders {
  let loaders = loadersByExecutor.get(reads);
  if (loaders) return loaders;
  const factsSchedule = new BoundedSchedule(MAX_READS_IN_FLIGHT);
  const lookalikeSchedule = new BoundedSchedule(MAX_READS_IN_FLIGHT);
  loaders = {
    facts: new DataLoader((accounts) => factsSchedule.run(() => fetchFacts(ctx, reads, accounts)), {
      cache: false, maxBatchSize: MAX_KEYS_PER_LOOKUP, batchScheduleFn: factsSchedule.schedule,
    }),
    lookalikes: new DataLoader((accounts) => lookalikeSchedule.run(() => fetchLookalikes(ctx, reads, accounts)), {
      cache: false, maxBatchSize: MAX_ACCOUNTS_PER_LOOKALIKE_SEARCH, batchScheduleFn: lookalikeSchedule.schedule,
    }),
  };
  loadersByExecutor.set(reads, loaders);
  return loaders;
}

/** One lookup query for a batch (with its search when small); its answers go into the cache unless a change raced it. */
async function fetchFacts(ctx: RegistryContext, reads: Reads, accounts: readonly NormalizedAccount[]): Promise<FetchedFacts[]> {
  const generation = ctx.lookups.generation;
  const unique = [...new Map(accounts.map((account) => [account.key, account])).values()];
  const looked: LookedUpAndSearched[] = unique.length <= MAX_KEYS_SEARCHED_WITH_LOOKUP
    ? await lookupNowWithSearch(ctx, reads, unique)
    : (await reads.query<LookupRow>(LOOKUP_NOW_SQL, [unique.map((account) => account.key)], { name: 'verify-lookup-now' })).map((row) => ({ row, lookalikes: undefined }));
  const versionRows = looked.find(({ row }) => row.pledgeVersions)?.row.pledgeVersions ?? [];
  const versions = toPledgeVersionFacts(versionRows);
  ctx.lookups.setPledgeVersions(versions, generation);
  const byKey = new Map<string, FetchedFacts>();
  for (const { row, lookalikes } of looked) {
    const key = unique[row.ord - 1]!.key;
    const facts = toAccountFacts(row);
    byKey.set(key, { facts, versions, lookalikes });
    ctx.lookups.set(key, facts, generation);
    if (lookalikes) ctx.lookups.setLookalikes(key, lookalikes, generation);
  }
  return accounts.map((account) => byKey.get(account.key)!);
}

/** One lookalike search for a batch, as of the moment it runs; kept with the keys' cached facts. */
async function fetchLookalikes(ctx: RegistryContext, reads: Reads, accounts: readonly NormalizedAccount[]): Promise<Lookalike[][]> {
  const generation = ctx.lookups.generation;
  const found = await findLookalikes(ctx, accounts, ctx.now(), reads);
  accounts.forEach((account, i) => ctx.lookups.setLookalikes(account.key, found[i]!, generation));
  return found;
}

/** The current facts of `accounts` (cache misses, distinct keys), read with other concurrent callers' keys. */
export function lookupNow(ctx: RegistryContext, reads: Reads, accounts: readonly NormalizedAccount[]): Promise<FetchedFacts[]> {
  const loader = loadersFor(ctx, reads).facts;
  // Not loadMany: it would turn a failed query into Error values instead of rejecting.
  return Promise.all(accounts.map((account) => loader.load(account)));
}

/** The verified accounts each of `accounts` looks like now, searched with other concurrent callers' accounts. */
export function lookalikesNow(ctx: RegistryContext, reads: Reads, accounts: readonly NormalizedAccount[]): Promise<Lookalike[][]> {
  const loader = loadersFor(ctx, reads).lookalikes;
  return Promise.all(accounts.map((account) => loader.load(account)));
}
