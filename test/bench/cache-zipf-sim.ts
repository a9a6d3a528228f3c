/**
 * The lookup cache's hit rate on a Zipf workload, simulated in process without the service:
 * the real lookup rows of every account of a bench database, requests drawn with Zipf(1.0)
 * over them, replayed through a LookupCache the way verify.ts uses it (get; on a miss, set the
 * facts; for an answer that gets lookalike checks, getLookalikes, and on a miss a "search" and
 * setLookalikes with an empty answer). The first half of the draws fills the cache, the second
 * is counted. The byte bound is scaled to the database (`--scale-to 300000`: the bound the
 * default (DEFAULT_CACHE_MAX_BYTES) would be per account at 300,000 accounts).
 *
 *   node --expose-gc --import tsx test/bench/cache-zipf-sim.ts [--impl FILE] [--draws 480000]
 *
 * `--impl` loads another lookup-cache.ts (e.g. an older one copied out with `git show`) for an
 * A/B in one run. DATABASE_URL defaults to the trust_bench_h3 database of cache-entry-bytes.ts.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { pg } from './common.ts';
import { DEFAULT_CACHE_MAX_BYTES, type LookupCache as Cache } from '../../packages/core/src/kernel/lookup-cache.ts';
import { LOOKUP_NOW_SQL, type LookupRow } from '../../packages/core/src/verification/lookup-sql.ts';
import { toAccountFacts, toPledgeVersionFacts } from '../../packages/core/src/verification/account-facts.ts';
import { decideAccount } from '../../packages/core/src/rules/decision.ts';
import type { PledgeVersionFacts } from '../../packages/core/src/rules/standing.ts';

const argv = process.argv;
const opt = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const draws = Number(opt('draws') ?? 480_000);
const impls = (opt('impl') ?? '').split(',').filter(Boolean);
const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trust_bench_h3' });
await client.connect();
const keys = (await client.query<{ key: string }>(`SELECT key FROM "Account" ORDER BY id`)).rows.map((r) => r.key);
const texts: string[] = [];
let versions: PledgeVersionFacts[] = [];
for (let i = 0; i < keys.length; i += 2000) {
  const chunk = keys.slice(i, i + 2000);
  const { rows } = await client.query<LookupRow>(LOOKUP_NOW_SQL, [chunk]);
  for (const row of rows) {
    if (row.pledgeVersions) versions = toPledgeVersionFacts(row.pledgeVersions);
    texts.push(JSON.stringify(row));
  }
}
await client.end();
const now = new Date();
const negative = texts.map((t) => ['NOT_FOUND', 'PENDING', 'FLAGGED'].includes(decideAccount(toAccountFacts(JSON.parse(t) as LookupRow), versions, now).status));
const maxBytes = Math.round(DEFAULT_CACHE_MAX_BYTES * (keys.length / Number(opt('scale-to') ?? 300_000)));

// Zipf(1.0) ranks over the accounts, in a fixed random order (mulberry32, seed 16).
let seed = 16;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const order = keys.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const cdf = new Float64Array(keys.length);
let total = 0;
for (let r = 0; r < keys.length; r++) cdf[r] = total += 1 / (r + 1);
const sequence = Array.from({ length: draws }, () => {
  const target = random() * total;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return order[lo]!;
});
console.log(`${keys.length} accounts (${negative.filter(Boolean).length} answered NOT_FOUND/PENDING/FLAGGED), ${draws} Zipf draws (${new Set(sequence).size} distinct), byte bound ${(maxBytes / 2 ** 20).toFixed(1)} MiB`);

for (const impl of impls.length ? impls : ['../../packages/core/src/kernel/lookup-cache.ts']) {
  const module = (await import(impl.startsWith('.') ? impl : pathToFileURL(resolve(impl)).href)) as { LookupCache: new (o: object) => Cache };
  const cache = new module.LookupCache({ maxEntries: 10_000_000, maxBytes, maxAgeMs: 3_600_000 });
  let hits = 0;
  let searches = 0;
  let negatives = 0;
  sequence.forEach((i, d) => {
    const counted = d >= draws / 2;
    const key = keys[i]!;
    if (cache.get(key)) {
      if (counted) hits++;
    } else {
      cache.set(key, toAccountFacts(JSON.parse(texts[i]!) as LookupRow), cache.generation);
    }
    if (!negative[i]) return;
    if (counted) negatives++;
    if (!cache.getLookalikes(key)) {
      if (counted) searches++;
      cache.setLookalikes(key, [], cache.generation);
    }
  });
  const measured = draws - Math.ceil(draws / 2);
  console.log(`${impl}: facts hit rate ${((100 * hits) / measured).toFixed(1)}%, ${cache.size} entries, lookalike searches ${searches} of ${negatives} negative answers (${((100 * searches) / Math.max(1, negatives)).toFixed(1)}%), misses needing a query ${((100 * (measured - hits)) / measured).toFixed(1)}% of requests`);
}
