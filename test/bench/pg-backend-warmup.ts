/**
 * How a new PostgreSQL connection warms up: one fresh connection runs the lookup about now
 * (verification/lookup-sql.ts, the statement a cold `verifyMany` sends, as a prepared statement)
 * for batches of keys never asked before, and prints for each statement its execution time
 * (`EXPLAIN (ANALYZE, TIMING OFF)`), its round trip, and, when the server runs on this machine,
 * how many page faults the connection's backend took meanwhile (`/proc/<pid>/stat`, minor faults).
 * It also prints the server's `shared_buffers` and `huge_pages` and the kernel's huge pages.
 * The database is first read into the OS page cache with `pg_prewarm`, as `pnpm bench` does, so
 * that the statements read no disk (`--no-prewarm` skips it).
 *
 * A backend maps the server's shared buffers into its own page table as it first touches each of
 * them. With 4 KiB pages that is one fault per buffer slot, and a 500-key lookup at 1,000,000
 * accounts touches thousands of them: the first statements of a new connection are several times
 * slower than the same statement on a connection that has served a while. With the server's
 * `huge_pages` in use, a 128 MiB buffer pool is 64 pages and the cost is gone
 * (docs/BENCHMARKS.md, tenth session). The registry keeps the connections it opens for that
 * reason (storage/registry-pool.ts); this tool shows what a new one costs on a given server.
 *
 *   BENCH_PG_DATABASE=trust_bench_1000000 pnpm exec tsx test/bench/pg-backend-warmup.ts --accounts 1000000 [--keys 500] [--statements 12] [--salt N] [--no-prewarm]
 */
import { readFileSync } from 'node:fs';
import { normalizeAccount } from '@trust-alliance/core';
import { LOOKUP_NOW_SQL } from '../../packages/core/src/verification/lookup-sql.ts';
import { queryUrls } from './data.ts';
import { benchPgUrl, cliArg, isLoopback, median, mib, pg, prewarmDatabase, serverMemory } from './common.ts';

const accounts = Number(cliArg('accounts') ?? 1_000_000);
const shape = { accounts, members: Math.round(accounts / 3), seed: Number(cliArg('seed') ?? 20_261_130) };
const keysPerStatement = Number(cliArg('keys') ?? 500);
const statements = Number(cliArg('statements') ?? 12);
// Far from the bench's own salts, and different each run unless given: keys no statement asked.
let salt = Number(cliArg('salt') ?? 9_000_000 + Math.floor(Math.random() * 1_000_000));

const url = benchPgUrl();
if (!process.argv.includes('--no-prewarm')) {
  const prewarm = await prewarmDatabase();
  console.log(typeof prewarm === 'string' ? prewarm : `read ${mib(prewarm.bytes)} into the page cache in ${(prewarm.ms / 1000).toFixed(1)} s`);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows: [{ pid }] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
const local = isLoopback(url);
/** The backend's minor page faults so far, or null when its process is not on this machine. */
const minorFaults = (): number | null => {
  if (!local) return null;
  try {
    // Field 10 of /proc/<pid>/stat (after the parenthesised command name, the 8th).
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[7]);
  } catch {
    return null;
  }
};
console.log(`server: ${await serverMemory(client, url)}${local ? '' : ' (remote: no page-fault counts)'}`);
console.log(`one new connection (backend ${pid}), ${statements} lookups of ${keysPerStatement} keys never asked before, at ${accounts.toLocaleString('en')} accounts:`);

await client.query(`PREPARE lookup_now(text[]) AS ${LOOKUP_NOW_SQL}`);
const execMs: number[] = [];
for (let s = 0; s < statements; s++) {
  const keys = queryUrls(shape, keysPerStatement, salt++).flatMap((q) => {
    try {
      return [normalizeAccount(q.url).key];
    } catch {
      return [];
    }
  });
  const before = minorFaults();
  const t0 = performance.now();
  // EXPLAIN takes no parameters: the keys go in as an array literal (quotes doubled).
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, TIMING OFF) EXECUTE lookup_now(ARRAY[${keys.map((k) => `'${k.replaceAll("'", "''")}'`).join(',')}]::text[])`);
  const roundTrip = performance.now() - t0;
  const after = minorFaults();
  const exec = Number(/Execution Time: ([\d.]+)/.exec(rows.map((r) => r['QUERY PLAN']).join('\n'))?.[1]);
  execMs.push(exec);
  console.log(`  ${String(s + 1).padStart(2)}: executed in ${exec.toFixed(1).padStart(6)} ms, round trip ${roundTrip.toFixed(1).padStart(6)} ms${before === null || after === null ? '' : `, ${after - before} page faults`}`);
}
const tail = execMs.slice(Math.floor(statements / 2));
console.log(`first statement ${execMs[0]!.toFixed(1)} ms; median of the last ${tail.length} ${median(tail).toFixed(1)} ms`);
await client.end();
