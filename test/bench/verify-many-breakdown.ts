/**
 * Where a cold `verifyMany` of 1,000 keys (or `--size N`) spends its time on a loaded bench database (issue 16): the
 * registry opened in this process on BENCH_PG_DATABASE (made by `pnpm bench --db postgres
 * --accounts N --keep-db`), batches of the bench's query mix (data.ts `queryUrls`: 85% registered,
 * 10% unknown, 5% flagged) never asked before, each query of a batch timed at the registry's SQL
 * executor. Prints the batch median, each query kind's median, the answers' statuses, and with
 * `--explain` `EXPLAIN (ANALYZE, BUFFERS)` of the last batch's lookups (alone, or with the search for a small batch) and its lookalike search (run
 * twice, the second printed: buffers warm). `--profile FILE` writes a CPU profile of the batches.
 * The database is first read into the OS page cache with `pg_prewarm`, as `pnpm bench` does
 * (`--no-prewarm` skips it: after other work evicted it, the same batches took 290–460 ms here
 * instead of about 100, the lookalike search reading its GIN index from disk).
 *
 *   BENCH_PG_DATABASE=trust_bench_1000000 pnpm exec tsx test/bench/verify-many-breakdown.ts --accounts 1000000 [--size 1000] [--batches 15] [--explain] [--profile /tmp/vm.cpuprofile] [--no-prewarm]
 */
import { openRegistry } from '@trust-alliance/core';
import { registryInternals } from '@trust-alliance/core/testing';
import { queryUrls } from './data.ts';
import { BENCH_DATA_KEY, BENCH_DB_NAME, BENCH_ISSUER, PG_ADMIN_URL, benchPgUrl, cliArg, median, mib, pg, prewarmDatabase } from './common.ts';
import { startInProcessProfile } from './profile.ts';

const accounts = Number(cliArg('accounts') ?? 1_000_000);
// The bench's shape and seed (run.ts), so the keys are the bench database's.
const shape = { accounts, members: Math.round(accounts / 3), seed: Number(cliArg('seed') ?? 20_261_130) };
const batches = Number(cliArg('batches') ?? 15);
// `--size 8`: the small batches a busy service's cache misses gather into (the Zipf rows' tail).
const BATCH = Number(cliArg('size') ?? 1_000);
if (!Number.isInteger(BATCH) || BATCH < 1 || BATCH > 1_000) {
  console.error(`--size takes a whole number of keys from 1 to 1000 (one verifyMany), not ${cliArg('size')}`);
  process.exit(1);
}
const url = benchPgUrl();
{
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB_NAME]);
  await admin.end();
  if (!rowCount) {
    console.error(`No database ${BENCH_DB_NAME}: load one first, e.g. BENCH_PG_DATABASE=${BENCH_DB_NAME} pnpm bench --db postgres --accounts ${accounts} --rounds 1 --keep-db`);
    process.exit(1);
  }
}
if (!process.argv.includes('--no-prewarm')) {
  const prewarm = await prewarmDatabase();
  console.log(typeof prewarm === 'string' ? prewarm : `read ${mib(prewarm.bytes)} into the page cache in ${(prewarm.ms / 1000).toFixed(1)} s`);
}
const registry = await openRegistry({ databaseUrl: url, dataKey: BENCH_DATA_KEY, issuer: BENCH_ISSUER });

type Query = (text: string, params?: readonly unknown[], options?: { name?: string }) => Promise<unknown[]>;
const executor = registryInternals(registry).db.sql as unknown as { query: Query };
const timings = new Map<string, number[]>();
const lastOfKind = new Map<string, { text: string; params: readonly unknown[] }>();
const query = executor.query.bind(executor);
executor.query = async (text, params, options) => {
  const kind = options?.name ?? text.trim().slice(0, 40);
  const t0 = performance.now();
  const rows = await query(text, params, options);
  const ms = performance.now() - t0;
  const kindTimings = timings.get(kind);
  if (kindTimings) kindTimings.push(ms);
  else timings.set(kind, [ms]);
  lastOfKind.set(kind, { text, params: params ?? [] });
  return rows;
};

// Salts far from the bench's own (1,000 and up), different each run: keys never asked before.
let salt = 5_000_000 + Math.floor(Math.random() * 1_000_000);
for (let w = 0; w < 2; w++) await registry.verifyMany(queryUrls(shape, BATCH, salt++).map((q) => ({ url: q.url })));
timings.clear();
const stopProfile = cliArg('profile') ? await startInProcessProfile() : null;
const batchMs: number[] = [];
const statuses = new Map<string, number>();
for (let b = 0; b < batches; b++) {
  const inputs = queryUrls(shape, BATCH, salt++).map((q) => ({ url: q.url }));
  const t0 = performance.now();
  const answers = await registry.verifyMany(inputs);
  batchMs.push(performance.now() - t0);
  if (b === 0) for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
}
if (stopProfile) await stopProfile(cliArg('profile')!, `${batches} cold batches of ${BATCH}`, 20);
console.log(`cold verifyMany of ${BATCH} at ${accounts.toLocaleString('en')} accounts: median ${median(batchMs).toFixed(1)} ms (each: ${batchMs.map((t) => t.toFixed(0)).join(' ')})`);
for (const [kind, ms] of timings) console.log(`  ${kind}: ${ms.length} queries, median ${median(ms).toFixed(1)} ms`);
console.log(`  statuses of the first batch: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`);

if (process.argv.includes('--explain')) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // As the registry's connections run (its pool sets jit off).
  await client.query('SET jit = off');
  for (const kind of ['verify-lookup-now', 'verify-lookup-now-and-search', 'verify-lookalikes']) {
    const last = lastOfKind.get(kind);
    if (!last) continue;
    let plan = '';
    for (let i = 0; i < 2; i++) {
      const res = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${last.text}`, last.params as unknown[]);
      plan = (res.rows as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n');
    }
    console.log(`\n${kind}:\n${plan}`);
  }
  await client.end();
}
await registry.close();
