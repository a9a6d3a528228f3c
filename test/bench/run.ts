/**
 * `pnpm bench`: the benchmark harness (never run by `pnpm test`). See docs/BENCHMARKS.md for the
 * last results and how to read them.
 *
 *   pnpm bench                         300,000 accounts / 100,000 members, PostgreSQL and PGlite, 3 rounds
 *   pnpm bench --accounts 1000000      the large data set
 *   pnpm bench --quick --db pglite     small data, 1 round, short runs: a smoke test
 *   pnpm bench --db postgres --replica PostgreSQL on a throwaway primary with a streaming replica
 *                                      (test/scale/pg-cluster.ts), plus a row reading from the replica
 *
 * Flags: --accounts N, --members N (default accounts/3), --db postgres|pglite|both, --rounds N,
 * --duration S (seconds per load run), --warmup S, --quick, --seed N, --no-profile,
 * --keep-db, --reuse-db (keep the loaded database and skip the load next time, same shape and day), --out FILE (default docs/BENCHMARKS.md), --replica, --no-prewarm (PostgreSQL: do not read the bench database into the OS page cache first), --no-shedding (the service's load
 * shedding off: on a machine other work keeps busy, the shedder answers 503 for lag the service
 * did not cause).
 *
 * Beside the warm-pool rows, every round runs a Zipf workload (data.ts `zipfUrls`, exponent
 * ZIPF_EXPONENT): requests drawn from all accounts, the service's lookup cache at its default
 * size, warmed by the sequence's own past (a prefix answered before listening); hit rate, RSS
 * and the cache's heap are reported.
 *
 * Per database: create the bench database (PostgreSQL: `trust_bench`, dropped and recreated;
 * PGlite: a temporary folder), migrate it with `openRegistry`, bulk-load the data (data.ts),
 * time `registry.verifyMany` in process, then run the HTTP comparisons in alternation: the
 * service (service-process.ts) and the baseline (baseline-server.ts) each in their own process,
 * load from a third (load-driver.ts). Then signatures (signatures.ts, own process), then the
 * report. Only loopback addresses are ever loaded.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { openRegistry, type Registry } from '@trust-alliance/core';
import {
  BENCH_DATA_KEY, BENCH_DB_NAME, BENCH_ISSUER, PG_ADMIN_URL, REPO_ROOT,
  type PgClientLike, assertLoopback, serverMemory, benchPgUrl, collect, fmt, fmtMs, lastJsonLine, median, mib, percentile, pg, prewarmDatabase, ratio, spawnTs,
} from './common.ts';
import { dataAnchor, loadData, queryUrls, zipfUrls, ZIPF_EXPONENT, type DataShape, type LoadReport } from './data.ts';
import { VERIFY_MANY_QUERY, VERIFY_QUERY, type LoadResult, type LoadSpec } from './load-driver.ts';
import { medianOf, pairedRatio, type DbKind, type DbResult, type HttpRow, type VerifyManyRow } from './results.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { compileBenchServers, spawnCompiled } from './compiled-servers.ts';
import { SIGNATURE_CASES, type SignatureResults } from './signatures.ts';
import { registryInternals } from '@trust-alliance/core/testing';

// ---------------------------------------------------------------- options

interface Options {
  accounts: number;
  members: number;
  dbs: DbKind[];
  rounds: number;
  duration: number;
  warmup: number;
  quick: boolean;
  seed: number;
  profile: boolean;
  keepDb: boolean;
  /**
   * `--reuse-db`: keep the PostgreSQL bench database and, on the next run with the same shape and
   * data day, skip the bulk load (10,000,000 accounts take tens of minutes to load). Implies --keep-db.
   */
  reuseDb: boolean;
  /** The service's load shedding (main.ts: on); off with --no-shedding. */
  shedding: boolean;
  /** PostgreSQL: read the bench database into the OS page cache before measuring; off with --no-prewarm. */
  prewarm: boolean;
  /** `--from-source`: the servers run through tsx on the TypeScript sources instead of compiled (compiled-servers.ts). */
  fromSource: boolean;
  out: string;
  poolUrls: number;
  verifyManyRuns: number;
  signatureMs: number;
  connections: number[];
  /** Zipf draws answered before the Zipf service listens (its cache's history). */
  zipfPrefill: number;
  /** Zipf draws per measured list (one for GraphQL, one for REST and the baseline). */
  zipfMeasured: number;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const has = (name: string) => argv.includes(`--${name}`);
  const quick = has('quick');
  const num = (name: string, fallback: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v.replace(/[_,]/g, ''));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
    return n;
  };
  const accounts = Math.round(num('accounts', quick ? 3_000 : 300_000));
  const db = get('db') ?? 'both';
  if (!['postgres', 'pglite', 'both'].includes(db)) throw new Error(`--db must be postgres, pglite or both, got ${db}`);
  return {
    accounts,
    members: Math.round(num('members', Math.max(1, Math.round(accounts / 3)))),
    dbs: db === 'both' ? ['postgres', 'pglite'] : [db as DbKind],
    rounds: Math.round(num('rounds', quick ? 1 : 3)),
    duration: num('duration', quick ? 2 : 6),
    warmup: num('warmup', quick ? 1 : 2),
    quick,
    seed: Math.round(num('seed', 20_261_130)),
    profile: !has('no-profile'),
    shedding: !has('no-shedding'),
    prewarm: !has('no-prewarm'),
    fromSource: has('from-source'),
    keepDb: has('keep-db') || has('reuse-db'),
    reuseDb: has('reuse-db'),
    out: resolve(REPO_ROOT, get('out') ?? 'docs/BENCHMARKS.md'),
    poolUrls: quick ? 1_000 : 20_000,
    verifyManyRuns: quick ? 3 : 15,
    signatureMs: quick ? 300 : 1_500,
    connections: [10, 50],
    zipfPrefill: quick ? 20_000 : 240_000,
    zipfMeasured: quick ? 20_000 : 120_000,
  };
}

// ---------------------------------------------------------------- progress

const started = Date.now();
function log(phase: string, message: string): void {
  const secs = Math.round((Date.now() - started) / 1000);
  const clock = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
  console.log(`[${clock}] ${phase.padEnd(18)} ${message}`);
}

// ---------------------------------------------------------------- child servers

interface ServerHandle {
  child: ChildProcess;
  origin: string;
  token: string | null;
  routes: string[];
  prefilled: number | null;
  stats(): Promise<{ rss: number; heapUsed: number; cpu: { user: number; system: number }; cache: { hits: number; misses: number } | null; cacheEntries?: number; routing?: { replicaReads: number; primaryReads: number; fallbacks: number } | null }>;
  /** Sends an IPC message and waits for the answer carrying `field`. */
  request(message: unknown, field: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** How the servers are started: compiled (the default, set in main) or through tsx (`--from-source`). */
let spawnServer: typeof spawnTs = spawnCompiled;

async function startServer(file: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ServerHandle> {
  const child = spawnServer(file, args, { env, nodeArgs, ipc: true });
  const name = file.replace('.ts', '');
  let stderrTail = '';
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    stderrTail = (stderrTail + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) console.error(`    [${name}] ${line}`);
  });
  const ready = await new Promise<{ port: number; token?: string | null; routes?: string[]; prefilled?: number }>((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 180 s: ${stderrTail}`)), 180_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{') && l.includes('"port"'));
      if (line) {
        clearTimeout(timer);
        resolvePromise(JSON.parse(line) as { port: number });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderrTail}`));
    });
  });
  const origin = `http://127.0.0.1:${ready.port}`;
  assertLoopback(origin);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    origin,
    token: ready.token ?? null,
    routes: ready.routes ?? [],
    prefilled: ready.prefilled ?? null,
    stats: () =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error('no stats answer')), 10_000);
        const onMessage = (m: unknown) => {
          if (m && typeof m === 'object' && 'rss' in m) {
            clearTimeout(timer);
            child.off('message', onMessage);
            resolvePromise(m as Awaited<ReturnType<ServerHandle['stats']>>);
          }
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    request: (message, field) =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${field} answer`)), 30_000);
        const onMessage = (m: unknown) => {
          if (m && typeof m === 'object' && field in m) {
            clearTimeout(timer);
            child.off('message', onMessage);
            resolvePromise((m as Record<string, unknown>)[field]);
          }
        };
        child.on('message', onMessage);
        child.send(message as string);
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function drive(spec: LoadSpec): Promise<LoadResult> {
  assertLoopback(spec.origin);
  const child = spawnTs('load-driver.ts', [JSON.stringify(spec)]);
  return lastJsonLine<LoadResult>(await collect(child));
}

// ---------------------------------------------------------------- database setup

async function preparePostgres(reuse?: { shape: DataShape }): Promise<{ url: string; version: string; memory: string; reused?: LoadReport }> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const memory = await serverMemory(admin, PG_ADMIN_URL);
    if (reuse) {
      const loaded = await loadedMarker(admin, reuse.shape);
      if (loaded) return { url: benchPgUrl(), version: `PostgreSQL ${version}`, memory, reused: loaded };
    }
    await admin.query(`DROP DATABASE IF EXISTS "${BENCH_DB_NAME}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${BENCH_DB_NAME}"`);
    // Bench data only: no WAL flush wait at each commit of the bulk load (reads are unaffected).
    await admin.query(`ALTER DATABASE "${BENCH_DB_NAME}" SET synchronous_commit = off`);
    await admin.query(`ALTER DATABASE "${BENCH_DB_NAME}" SET maintenance_work_mem = '256MB'`);
    return { url: benchPgUrl(), version: `PostgreSQL ${version}`, memory };
  } finally {
    await admin.end();
  }
}

/**
 * A loaded bench database carries its shape, data day and load figures as the database's comment
 * (written only after the load finished, so a load cut short is never reused).
 */
const LOADED_MARK = 'trust-bench loaded ';

async function loadedMarker(admin: PgClientLike, shape: DataShape): Promise<LoadReport | undefined> {
  const { rows } = await admin.query<{ c: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [BENCH_DB_NAME]);
  const comment = rows[0]?.c;
  if (!comment?.startsWith(LOADED_MARK)) return undefined;
  const mark = JSON.parse(comment.slice(LOADED_MARK.length)) as { shape: DataShape; load: LoadReport };
  const sameShape = mark.shape.accounts === shape.accounts && mark.shape.members === shape.members && mark.shape.seed === shape.seed;
  // Dates in the data are relative to the day it was loaded: another day, other answers.
  const sameDay = mark.load.anchor === new Date(dataAnchor()).toISOString();
  return sameShape && sameDay ? mark.load : undefined;
}

async function databaseBytes(): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: string }>('SELECT pg_database_size($1)::text AS n', [BENCH_DB_NAME]);
    return Number(rows[0]!.n);
  } finally {
    await admin.end();
  }
}

async function markLoaded(shape: DataShape, load: LoadReport): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const text = LOADED_MARK + JSON.stringify({ shape, load });
    await admin.query(`COMMENT ON DATABASE "${BENCH_DB_NAME}" IS '${text.replace(/'/g, "''")}'`);
  } finally {
    await admin.end();
  }
}

async function dropPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${BENCH_DB_NAME}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function pgliteVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'packages/core/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return `PGlite ${pkg.dependencies?.['@electric-sql/pglite'] ?? '?'} (in process, WebAssembly)`;
  } catch {
    return 'PGlite';
  }
}

// ---------------------------------------------------------------- verifyMany, in process

const SIZES = [1, 100, 1000];

/**
 * Unmeasured 1,000-key batches before the timed ones, in process and over HTTP. A process that has
 * not answered one yet is slow for several: its code for a batch is not compiled yet, and on
 * PostgreSQL without huge pages each pooled connection maps the server's shared buffers as it first
 * touches them (a new connection's first 500-key lookups took 171–299 ms against 33–78 ms once it
 * had run six or so, test/bench/pg-backend-warmup.ts; a fresh service answered its first ten
 * batches over HTTP in 548, 374, 358, 209, 210, 211, 172, 172, 150 and 154 ms). A platform's
 * batches reach a service that has been up a while, so the timed calls come after these; the
 * report lists them too.
 */
const BATCH_WARMUPS = 8;

/**
 * How many unmeasured calls of `size` keys come before the timed ones, in process or over HTTP:
 * 1,000 keys {@link BATCH_WARMUPS} times (2 with --quick); smaller sizes twice in process (the bench
 * process also loads their code) and once over HTTP. The report's "How to read" says the same from here.
 */
function warmupsOf(size: number, opts: Options, via: 'in-process' | 'graphql'): number {
  if (size === 1000) return opts.quick ? 2 : BATCH_WARMUPS;
  return via === 'in-process' ? 2 : 1;
}

/** A count in words for the report: "once", "twice", "8 times". */
function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** Counts SQL statements: through `registryInternals(registry).db.sql` and, on PostgreSQL, at the `pg` driver. */
function countQueries(registry: Registry): { sql: () => number; driver: () => number; reset(): void } {
  let sql = 0;
  let driver = 0;
  const executor = registryInternals(registry).db.sql as unknown as Record<'query' | 'exec', (...args: unknown[]) => Promise<unknown>>;
  for (const method of ['query', 'exec'] as const) {
    const original = executor[method]!.bind(executor);
    executor[method] = (...args: unknown[]) => {
      sql++;
      return original(...args);
    };
  }
  const proto = pg.Client.prototype;
  const originalQuery = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    driver++;
    return originalQuery.apply(this, args);
  };
  return { sql: () => sql, driver: () => driver, reset: () => ((sql = 0), (driver = 0)) };
}

async function verifyManyInProcess(registry: Registry, shape: DataShape, opts: Options, db: DbKind): Promise<VerifyManyRow[]> {
  const counter = countQueries(registry);
  const rows: VerifyManyRow[] = [];
  let salt = 1_000;
  // Up to `runs` runs per size and state, but stop after `budget` ms once 3 runs are in (a slow
  // build must not take the whole bench).
  const budget = opts.quick ? 4_000 : 12_000;
  for (const size of SIZES) {
    const runs = size === 1000 ? Math.max(3, Math.round(opts.verifyManyRuns * 0.67)) : opts.verifyManyRuns;
    const cold: VerifyManyRow = { db, via: 'in-process', size, state: 'cold', ms: [], sqlQueries: [], driverQueries: [], warmupMs: [] };
    // Warm-up with inputs never used again (JIT, connections, plans).
    for (let w = 0; w < warmupsOf(size, opts, 'in-process'); w++) {
      const t0 = performance.now();
      await registry.verifyMany(queryUrls(shape, size, salt++).map((q) => ({ url: q.url })));
      cold.warmupMs!.push(performance.now() - t0);
    }
    const hot: VerifyManyRow = { db, via: 'in-process', size, state: 'hot', ms: [], sqlQueries: [], driverQueries: [] };
    const inputsOfRuns: { url: string }[][] = [];
    const measure = async (row: VerifyManyRow, inputs: { url: string }[]) => {
      counter.reset();
      const t0 = performance.now();
      const answers = await registry.verifyMany(inputs);
      row.ms.push(performance.now() - t0);
      row.sqlQueries.push(counter.sql());
      row.driverQueries.push(counter.driver());
      if (answers.length !== size) throw new Error(`verifyMany answered ${answers.length} of ${size}`);
    };
    let t0 = performance.now();
    for (let r = 0; r < runs && (r < 3 || performance.now() - t0 < budget); r++) {
      const inputs = queryUrls(shape, size, salt++).map((q) => ({ url: q.url }));
      inputsOfRuns.push(inputs);
      await measure(cold, inputs);
    }
    t0 = performance.now();
    for (let r = 0; r < inputsOfRuns.length && (r < 3 || performance.now() - t0 < budget); r++) await measure(hot, inputsOfRuns[r]!);
    rows.push(cold, hot);
    log(`[${db}] verifyMany`, `${size} input(s): cold ${fmtMs(median(cold.ms))} (${median(cold.sqlQueries)} SQL), hot ${fmtMs(median(hot.ms))} (${median(hot.sqlQueries)} SQL), median of ${cold.ms.length}`);
  }
  return rows;
}

async function verifyManyThroughGraphql(server: ServerHandle, shape: DataShape, opts: Options, db: DbKind, round: number): Promise<VerifyManyRow[] | string> {
  if (!server.token) return 'no PLATFORM access token could be issued by the service';
  const query = VERIFY_MANY_QUERY;
  const rows: VerifyManyRow[] = [];
  let salt = 50_000 + round * 1_000;
  const budget = opts.quick ? 3_000 : 8_000;
  for (const size of SIZES) {
    const runs = Math.max(3, Math.round(opts.verifyManyRuns / 3));
    const row: VerifyManyRow = { db, via: 'graphql', size, state: 'cold', ms: [], sqlQueries: [], driverQueries: [], warmupMs: [] };
    // Unmeasured warm-ups for every size, as in process: the service has answered single verifies
    // before, never a batch of this size (BATCH_WARMUPS says why 1,000 gets more).
    const warmups = warmupsOf(size, opts, 'graphql');
    // The time budget counts the timed runs only.
    let timedFrom = performance.now();
    for (let r = -warmups; r < runs && (r < 1 || performance.now() - timedFrom < budget); r++) {
      if (r === 0) timedFrom = performance.now();
      const inputs = queryUrls(shape, size, salt++).map((q) => ({ url: q.url }));
      const t0 = performance.now();
      const res = await fetch(`${server.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query, variables: { inputs } }),
      });
      const body = (await res.json()) as { data?: { verifyMany?: unknown[] }; errors?: Array<{ message: string }> };
      const ms = performance.now() - t0;
      if (!body.data?.verifyMany) return `verifyMany through GraphQL failed: ${JSON.stringify(body.errors ?? res.status).slice(0, 300)}`;
      (r >= 0 ? row.ms : row.warmupMs!).push(ms);
    }
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------- sample answers (sanity)

async function sampleAnswers(origin: string, kind: 'graphql' | 'rest' | 'baseline', urls: string[], budgetMs: number): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = new Array(urls.length);
  const ask = async (url: string): Promise<string> => {
    try {
      if (kind === 'graphql') {
        const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: VERIFY_QUERY, variables: { url } }) });
        const body = (await res.json()) as { data?: { verify?: { status: string } }; errors?: unknown };
        return body.data?.verify?.status ?? `ERROR ${JSON.stringify(body.errors).slice(0, 200)}`;
      }
      const res = await fetch(`${origin}${kind === 'rest' ? '/v1/verify' : '/verify'}?url=${encodeURIComponent(url)}`);
      const body = (await res.json()) as { status?: string; result?: { status?: string } };
      return body.status ?? body.result?.status ?? `HTTP ${res.status}`;
    } catch (error) {
      return `ERROR ${(error as Error).message}`;
    }
  };
  // Ten at a time, until done or out of time (a slow build must not stall the bench).
  const deadline = performance.now() + budgetMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < urls.length && performance.now() < deadline) {
        const i = next++;
        out[i] = await ask(urls[i]!);
      }
    }),
  );
  return out;
}

/** The check page's answer and the live badge of one URL: served (200, HTML and SVG) or why not. */
async function probeWeb(origin: string, url: string): Promise<{ ok: boolean; note: string }> {
  const page = await fetch(`${origin}/?url=${encodeURIComponent(url)}`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const badge = await fetch(`${origin}/badge/account.svg?url=${encodeURIComponent(url)}`);
  const svg = await badge.text();
  if (page.status !== 200 || !/^text\/html/.test(page.headers.get('content-type') ?? '') || !html.includes('<h1>')) return { ok: false, note: `GET /?url= answered HTTP ${page.status}: ${html.slice(0, 120)}` };
  if (badge.status !== 200 || !/^image\/svg\+xml/.test(badge.headers.get('content-type') ?? '') || !svg.startsWith('<svg')) return { ok: false, note: `GET /badge/account.svg answered HTTP ${badge.status}: ${svg.slice(0, 120)}` };
  return { ok: true, note: `GET /?url= (${fmt(html.length)} bytes of HTML) and GET /badge/account.svg?url= (${fmt(svg.length)} bytes of SVG) served` };
}

async function probeRest(origin: string, url: string): Promise<{ ok: boolean; note: string }> {
  const res = await fetch(`${origin}/v1/verify?url=${encodeURIComponent(url)}`);
  const text = await res.text();
  if (res.status === 404 && /not found/i.test(text) && !/status/i.test(text)) return { ok: false, note: 'GET /v1/verify is not served by the API yet (404)' };
  if (res.status !== 200) return { ok: false, note: `GET /v1/verify answered HTTP ${res.status}: ${text.slice(0, 200)}` };
  const etag = res.headers.get('etag');
  const cc = res.headers.get('cache-control');
  return { ok: true, note: `GET /v1/verify served (ETag ${etag ? 'present' : 'absent'}, Cache-Control: ${cc ?? 'absent'})` };
}

// ---------------------------------------------------------------- one database

async function benchDatabase(db: DbKind, opts: Options, shape: DataShape, workDir: string): Promise<DbResult> {
  const result: DbResult = { db, available: true, http: [], verifyMany: [], rss: [], restAvailable: false, restNote: '', webAvailable: false, webNote: '', routes: [], startMs: [], prefilled: [], zipfPrefilled: [], cacheMemory: [] };
  const phase = `[${db}]`;

  // Setup
  let env: NodeJS.ProcessEnv;
  let baselineArgs: string[];
  let pgliteDir: string | null = null;
  let reused: LoadReport | undefined;
  log(`${phase} setup`, db === 'postgres' ? `${opts.reuseDb ? 'reusing (when loaded today with this shape) or recreating' : 'recreating'} database ${BENCH_DB_NAME}` : 'creating a temporary PGlite folder');
  if (db === 'postgres') {
    try {
      const { url, version, memory, reused: loaded } = await preparePostgres(opts.reuseDb ? { shape } : undefined);
      reused = loaded;
      result.serverVersion = version;
      result.serverMemory = memory;
      env = { DATABASE_URL: url, TRUST_DATA_DIR: '' };
      baselineArgs = ['postgres', url];
    } catch (error) {
      log(`${phase} setup`, `PostgreSQL unavailable (${(error as Error).message}); skipping`);
      return { ...result, available: false, why: `PostgreSQL at ${PG_ADMIN_URL} unavailable: ${(error as Error).message}` };
    }
  } else {
    pgliteDir = await mkdtemp(join(os.tmpdir(), 'trust-bench-pglite-'));
    result.serverVersion = await pgliteVersion();
    env = { DATABASE_URL: '', TRUST_DATA_DIR: pgliteDir };
    baselineArgs = ['pglite', pgliteDir];
  }
  env = { ...env, TRUST_DATA_KEY: BENCH_DATA_KEY, TRUST_ISSUER: BENCH_ISSUER, NODE_ENV: 'production', BENCH_DB: db, ...(opts.shedding ? {} : { BENCH_LOAD_SHEDDING: 'off' }) };

  // Migrate and load
  const t0 = performance.now();
  const registry = await openRegistry({ databaseUrl: env.DATABASE_URL || undefined, dataDir: pgliteDir ?? undefined, dataKey: BENCH_DATA_KEY, issuer: BENCH_ISSUER });
  result.migrateMs = performance.now() - t0;
  log(`${phase} migrate`, `migrations applied in ${fmtMs(result.migrateMs)}`);
  let lastShown = -1;
  if (reused) log(`${phase} load`, `reusing the data loaded earlier today (--reuse-db): ${fmt(reused.totalRows)} rows`);
  result.load = reused ?? await loadData(registryInternals(registry).db.sql, shape, {
    onProgress: (table, done, expected) => {
      const pct = Math.min(100, Math.floor((done / expected) * 100));
      if (table.startsWith('index ')) log(`${phase} load`, `re-creating ${table}`);
      else if (pct >= lastShown + 5 || (pct === 100 && lastShown < 100)) {
        lastShown = pct;
        log(`${phase} load`, `${String(pct).padStart(3)}%  ${fmt(done)} rows (${table})`);
      }
    },
  });
  if (db === 'postgres' && opts.reuseDb && !reused) await markLoaded(shape, result.load);
  if (db === 'postgres') result.databaseBytes = await databaseBytes();
  log(`${phase} load`, `${fmt(result.load.totalRows)} rows in ${(result.load.loadMs / 1000).toFixed(1)} s, + ${result.load.indexes} indexes ${(result.load.indexMs / 1000).toFixed(1)} s, + ANALYZE ${(result.load.analyzeMs / 1000).toFixed(1)} s`);
  if (db === 'postgres' && opts.prewarm) {
    result.prewarm = await prewarmDatabase();
    log(`${phase} prewarm`, typeof result.prewarm === 'string' ? result.prewarm : `${mib(result.prewarm.bytes)} read into the OS page cache in ${(result.prewarm.ms / 1000).toFixed(1)} s`);
  }

  // verifyMany in process
  log(`${phase} verifyMany`, 'timing registry.verifyMany in process (cold = keys never asked before, hot = asked again)');
  result.verifyMany.push(...(await verifyManyInProcess(registry, shape, opts, db)));
  await registry.close();

  // URL pool for HTTP load, and the prefill list (a service that has been up a while).
  const pool = queryUrls(shape, opts.poolUrls, 0).map((q) => q.url);
  const urlsFile = join(workDir, `${db}-urls.json`);
  await writeFile(urlsFile, JSON.stringify(pool));
  const sample = queryUrls(shape, opts.quick ? 60 : 200, 7).map((q) => q.url);
  // The Zipf workload: one sequence of draws; its prefix warms the service, the rest is measured.
  const zipf = zipfUrls(shape, opts.zipfPrefill + 2 * opts.zipfMeasured);
  const zipfFiles = { prefill: join(workDir, `${db}-zipf-prefill.json`), graphql: join(workDir, `${db}-zipf-graphql.json`), rest: join(workDir, `${db}-zipf-rest.json`) };
  await writeFile(zipfFiles.prefill, JSON.stringify(zipf.slice(0, opts.zipfPrefill)));
  await writeFile(zipfFiles.graphql, JSON.stringify(zipf.slice(opts.zipfPrefill, opts.zipfPrefill + opts.zipfMeasured)));
  await writeFile(zipfFiles.rest, JSON.stringify(zipf.slice(opts.zipfPrefill + opts.zipfMeasured)));
  const zipfPeak = new Map<string, number>();
  for (const url of zipf) zipfPeak.set(url, (zipfPeak.get(url) ?? 0) + 1);
  // Not Math.max(...values): millions of arguments overflow the stack at 10,000,000 accounts.
  let mostAsked = 0;
  for (const n of zipfPeak.values()) if (n > mostAsked) mostAsked = n;
  log(`${phase} zipf`, `${fmt(zipf.length)} draws (exponent ${ZIPF_EXPONENT}) over ${fmt(shape.accounts)} accounts: ${fmt(zipfPeak.size)} distinct URLs, the most asked ${fmt(mostAsked)} times`);
  // The replica row (--replica): the bench database on the throwaway primary streams to its replica.
  const replicaUrl = db === 'postgres' && process.env.BENCH_REPLICA_ADMIN_URL ? (() => {
    const u = new URL(process.env.BENCH_REPLICA_ADMIN_URL!);
    u.pathname = `/${BENCH_DB_NAME}`;
    return u.toString();
  })() : null;
  const sampleBudget = opts.quick ? 10_000 : 30_000;

  const serviceEnv = { ...env, BENCH_PREFILL: urlsFile, BENCH_PREFILL_BUDGET_MS: String(opts.quick ? 5_000 : 10_000) };
  const answers: Record<string, Array<string | undefined>> = {};

  const runService = async (round: number, cache: boolean) => {
    const system = cache ? 'graphql' : 'graphql-nocache';
    const tStart = performance.now();
    const server = await startServer('service-process.ts', [], cache ? serviceEnv : { ...env, BENCH_LOOKUP_CACHE: 'off' });
    result.startMs.push({ system: cache ? 'service' : 'service (cache off)', ms: performance.now() - tStart });
    if (cache && server.prefilled !== null) result.prefilled.push(server.prefilled);
    try {
      if (round === 0 && cache) {
        result.routes = server.routes;
        const probe = await probeRest(server.origin, pool[0]!);
        result.restAvailable = probe.ok;
        result.restNote = probe.note;
        log(`${phase} service`, `${server.origin}; ${probe.note}; extra routes: ${server.routes.join('; ') || 'none'}`);
        answers.graphql = await sampleAnswers(server.origin, 'graphql', sample, sampleBudget);
        if (probe.ok) answers.rest = await sampleAnswers(server.origin, 'rest', sample, sampleBudget);
      }
      if (round === 0 && cache) {
        const pages = await probeWeb(server.origin, pool[0]!);
        result.webAvailable = pages.ok;
        result.webNote = pages.note;
        log(`${phase} service`, pages.note);
      }
      const kinds: Array<'graphql' | 'rest' | 'page' | 'badge'> = cache ? ['graphql', ...(result.restAvailable ? (['rest'] as const) : []), ...(result.webAvailable ? (['page', 'badge'] as const) : [])] : ['graphql', ...(result.restAvailable ? (['rest'] as const) : [])];
      const conns = cache ? opts.connections : [Math.max(...opts.connections)];
      let prefilledAt = performance.now();
      for (const connections of conns) {
        for (const kind of kinds) {
          // The lookup cache keeps an answer 60 s: every measured run (warm-up + run < 15 s) starts
          // with entries under 30 s old, whichever kind runs late in the round (page and badge did not).
          if (cache && performance.now() - prefilledAt > 30_000) {
            await server.request('prefill', 'refilled');
            prefilledAt = performance.now();
          }
          const before = await server.stats();
          const r = await drive({ origin: server.origin, kind, urlsFile, connections, duration: opts.duration, warmup: opts.warmup });
          const after = await server.stats();
          const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
          const hits = after.cache && before.cache ? after.cache.hits - before.cache.hits : null;
          const misses = after.cache && before.cache ? after.cache.misses - before.cache.misses : null;
          const row: HttpRow = {
            db, system: kind === 'graphql' ? system : cache ? kind : 'rest-nocache', connections, round, result: r,
            // CPU of the warm-up and the measured run, over their requests (the warm-up's count is estimated at the same rate).
            cpuUsPerRequest: cpuUs / (r.requests * (1 + opts.warmup / opts.duration)),
            cacheHitRate: hits !== null && misses !== null && hits + misses > 0 ? hits / (hits + misses) : null,
            rss: after.rss,
            cacheEntries: cache ? (after.cacheEntries ?? null) : null,
          };
          result.http.push(row);
          log(`${phase} round ${round + 1}`, `${row.system.padEnd(15)} ${String(connections).padStart(2)} conns: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx || r.errors ? `, non-2xx ${r.non2xx}, errors ${r.errors}` : ''}`);
        }
      }
      if (cache && round === 0) {
        const vm = await verifyManyThroughGraphql(server, shape, opts, db, round);
        if (typeof vm === 'string') result.graphqlVerifyManyNote = vm;
        else {
          for (const row of vm) {
            const existing = result.verifyMany.find((x) => x.via === 'graphql' && x.size === row.size && x.db === db);
            if (existing) existing.ms.push(...row.ms);
            else result.verifyMany.push(row);
          }
          log(`${phase} round ${round + 1}`, `verifyMany via GraphQL: ${vm.map((r) => `${r.size}: ${fmtMs(median(r.ms))}`).join(', ')}`);
        }
      }
      const s = await server.stats();
      result.rss.push({ system, round, rss: s.rss, heapUsed: s.heapUsed });
      log(`${phase} round ${round + 1}`, `${system} RSS after the load: ${mib(s.rss)}`);
    } finally {
      await server.stop();
    }
  };

  const runBaseline = async (round: number) => {
    const tStart = performance.now();
    const server = await startServer('baseline-server.ts', baselineArgs, env);
    result.startMs.push({ system: 'baseline', ms: performance.now() - tStart });
    try {
      if (round === 0) answers.baseline = await sampleAnswers(server.origin, 'baseline', sample, sampleBudget);
      for (const connections of opts.connections) {
        const before = await server.stats();
        const r = await drive({ origin: server.origin, kind: 'baseline', urlsFile, connections, duration: opts.duration, warmup: opts.warmup });
        const after = await server.stats();
        const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
        result.http.push({ db, system: 'baseline', connections, round, result: r, cpuUsPerRequest: cpuUs / (r.requests * (1 + opts.warmup / opts.duration)), cacheHitRate: null, rss: after.rss, cacheEntries: null });
        log(`${phase} round ${round + 1}`, `${'baseline'.padEnd(15)} ${String(connections).padStart(2)} conns: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx || r.errors ? `, non-2xx ${r.non2xx}, errors ${r.errors}` : ''}`);
      }
      {
        // The Zipf sequence (the REST list), at 50 connections.
        const connections = Math.max(...opts.connections);
        const before = await server.stats();
        const r = await drive({ origin: server.origin, kind: 'baseline', urlsFile: zipfFiles.rest, connections, duration: opts.duration, warmup: opts.warmup });
        const after = await server.stats();
        const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
        result.http.push({ db, system: 'baseline-zipf', connections, round, result: r, cpuUsPerRequest: cpuUs / (r.requests * (1 + opts.warmup / opts.duration)), cacheHitRate: null, rss: after.rss, cacheEntries: null });
        log(`${phase} round ${round + 1}`, `${'baseline-zipf'.padEnd(15)} ${String(connections).padStart(2)} conns: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
      }
      const s = await server.stats();
      result.rss.push({ system: 'baseline', round, rss: s.rss, heapUsed: s.heapUsed });
    } finally {
      await server.stop();
    }
  };

  /**
   * The Zipf workload on a service whose cache (default size) has answered the sequence's prefix.
   * With `heapLimitMb`, the same service started with `--max-old-space-size` (the README's memory
   * knob), GraphQL only: what the lower RSS costs in requests per second and CPU.
   */
  const runZipf = async (round: number, heapLimitMb?: number) => {
    const tStart = performance.now();
    const nodeArgs = ['--expose-gc', ...(heapLimitMb ? [`--max-old-space-size=${heapLimitMb}`] : [])];
    const server = await startServer('service-process.ts', [], { ...env, BENCH_PREFILL: zipfFiles.prefill, BENCH_PREFILL_BUDGET_MS: String(opts.quick ? 5_000 : 45_000) }, nodeArgs);
    result.startMs.push({ system: heapLimitMb ? `service (Zipf, heap limit ${heapLimitMb} MB)` : 'service (Zipf)', ms: performance.now() - tStart });
    if (server.prefilled !== null && !heapLimitMb) result.zipfPrefilled.push(server.prefilled);
    try {
      const connections = Math.max(...opts.connections);
      for (const kind of result.restAvailable && !heapLimitMb ? (['graphql', 'rest'] as const) : (['graphql'] as const)) {
        const before = await server.stats();
        const r = await drive({ origin: server.origin, kind, urlsFile: zipfFiles[kind], connections, duration: opts.duration, warmup: opts.warmup });
        const after = await server.stats();
        const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
        const hits = after.cache && before.cache ? after.cache.hits - before.cache.hits : null;
        const misses = after.cache && before.cache ? after.cache.misses - before.cache.misses : null;
        const row: HttpRow = {
          db, system: heapLimitMb ? 'graphql-zipf-heap-limit' : kind === 'rest' ? 'rest-zipf' : 'graphql-zipf', connections, round, result: r,
          cpuUsPerRequest: cpuUs / (r.requests * (1 + opts.warmup / opts.duration)),
          cacheHitRate: hits !== null && misses !== null && hits + misses > 0 ? hits / (hits + misses) : null,
          rss: after.rss, cacheEntries: after.cacheEntries ?? null,
        };
        result.http.push(row);
        log(`${phase} round ${round + 1}`, `${row.system.padEnd(15)} ${String(connections).padStart(2)} conns: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, cache hits ${row.cacheHitRate === null ? '—' : `${(row.cacheHitRate * 100).toFixed(0)}%`}, ${fmt(row.cacheEntries ?? 0)} entries, RSS ${mib(after.rss)}`);
      }
      if (heapLimitMb) return;
      const memory = (await server.request('cache-memory', 'cacheMemory')) as DbResult['cacheMemory'][number];
      result.cacheMemory.push(memory);
      log(`${phase} round ${round + 1}`, `lookup cache: ${fmt(memory.entries)} entries${memory.ring ? `, ${mib(memory.ring.liveBytes)} of records (${fmt(memory.ring.liveBytes / Math.max(1, memory.entries))} bytes per entry), ring pages written ${mib(memory.ring.ringBytesTouched)}, index ${mib(memory.ring.indexBytes)}` : ''}; heap and buffers freed by clearing it ${memory.bytes === null ? 'not measured' : mib(memory.bytes)}`);
    } finally {
      await server.stop();
    }
  };

  /** --replica: the service with its cache off, verify reading from the streaming replica (correctness and overhead on one machine, not capacity). */
  const runReplica = async (round: number) => {
    if (!replicaUrl) return;
    const server = await startServer('service-process.ts', [], { ...env, BENCH_LOOKUP_CACHE: 'off', DATABASE_READ_URL: replicaUrl });
    try {
      if (round === 0 && answers.graphql) {
        const viaReplica = await sampleAnswers(server.origin, 'graphql', sample, sampleBudget);
        let same = 0;
        let compared = 0;
        viaReplica.forEach((a, i) => {
          if (a === undefined || answers.graphql![i] === undefined) return;
          compared++;
          if (a === answers.graphql![i]) same++;
        });
        result.replicaAgreement = { sample: compared, same };
        log(`${phase} replica`, `answers through the replica = through the primary on ${same}/${compared} sample URLs`);
      }
      const connections = Math.max(...opts.connections);
      const before = await server.stats();
      const r = await drive({ origin: server.origin, kind: 'graphql', urlsFile, connections, duration: opts.duration, warmup: opts.warmup });
      const after = await server.stats();
      const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
      const replicaReads = (after.routing?.replicaReads ?? 0) - (before.routing?.replicaReads ?? 0);
      const primaryReads = (after.routing?.primaryReads ?? 0) - (before.routing?.primaryReads ?? 0);
      const row: HttpRow = {
        db, system: 'graphql-nocache-replica', connections, round, result: r, cpuUsPerRequest: cpuUs / (r.requests * (1 + opts.warmup / opts.duration)),
        cacheHitRate: null, rss: after.rss, cacheEntries: null, replicaShare: replicaReads + primaryReads > 0 ? replicaReads / (replicaReads + primaryReads) : null,
      };
      result.http.push(row);
      log(`${phase} round ${round + 1}`, `${row.system.padEnd(15)} ${String(connections).padStart(2)} conns: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${row.replicaShare == null ? '—' : `${(row.replicaShare * 100).toFixed(0)}%`} of reads on the replica (fallbacks ${(after.routing?.fallbacks ?? 0) - (before.routing?.fallbacks ?? 0)})`);
    } finally {
      await server.stop();
    }
  };

  for (let round = 0; round < opts.rounds; round++) {
    log(`${phase} round ${round + 1}`, `of ${opts.rounds}: ${round % 2 === 0 ? 'service, then baseline' : 'baseline, then service'} (${opts.duration} s per run after ${opts.warmup} s warm-up)`);
    const steps = [() => runService(round, true), () => runBaseline(round), () => runService(round, false), () => runZipf(round), () => runZipf(round, ZIPF_HEAP_LIMIT_MB), () => runReplica(round)];
    const order = round % 2 === 0 ? steps : [steps[1]!, steps[0]!, steps[2]!, steps[3]!, steps[4]!];
    for (const step of order) await step();
  }

  if (answers.graphql && answers.baseline) {
    const differences: Record<string, number> = {};
    let same = 0;
    let errors = 0;
    let compared = 0;
    answers.graphql.forEach((g, i) => {
      const b = answers.baseline![i];
      if (g === undefined || b === undefined) return;
      compared++;
      if (g.startsWith('ERROR') || b.startsWith('ERROR')) errors++;
      if (g === b) same++;
      else differences[`${g} vs ${b}`] = (differences[`${g} vs ${b}`] ?? 0) + 1;
    });
    const restSame = answers.rest ? answers.rest.filter((r, i) => r !== undefined && r === answers.graphql![i]).length : null;
    result.agreement = { sample: compared, same, differences, restSame, errors };
    log(`${phase} answers`, `service and baseline agree on ${same}/${compared} sample URLs${compared < sample.length ? ` (of ${sample.length}: the rest ran out of time)` : ''}${restSame !== null ? `; REST = GraphQL on ${restSame}` : ''}`);
  }

  if (!opts.keepDb) {
    if (db === 'postgres') await dropPostgres().catch(() => {});
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- CPU profile of the service

async function profileService(db: 'postgres', opts: Options, shape: DataShape, workDir: string): Promise<{ summary: ProfileSummary; file: string; db: DbKind; note: string } | null> {
  void shape;
  const env: NodeJS.ProcessEnv = { DATABASE_URL: benchPgUrl(), TRUST_DATA_DIR: '' };
  const urlsFile = join(workDir, `${db}-urls.json`);
  const server = await startServer('service-process.ts', [], { ...env, TRUST_DATA_KEY: BENCH_DATA_KEY, TRUST_ISSUER: BENCH_ISSUER, NODE_ENV: 'production', BENCH_PREFILL: urlsFile, BENCH_PREFILL_BUDGET_MS: String(opts.quick ? 5_000 : 10_000) });
  const file = join(workDir, 'service.cpuprofile');
  let note = '';
  try {
    // Warm up unprofiled, then profile exactly the measured window.
    await drive({ origin: server.origin, kind: 'graphql', urlsFile, connections: 50, duration: opts.warmup });
    await server.request('profile-start', 'profiling');
    const r = await drive({ origin: server.origin, kind: 'graphql', urlsFile, connections: 50, duration: opts.duration });
    const done = await server.request({ profileStop: file }, 'profiled');
    if (!done) return null;
    note = `GraphQL verify at 50 connections for ${opts.duration} s after ${opts.warmup} s of warm-up (lookup cache on, prefilled), ${fmt(r.rps)} req/s while profiling (sampling every 200 µs)`;
  } finally {
    await server.stop();
  }
  return { summary: await summarizeProfile(file, 12), file, db, note };
}

// ---------------------------------------------------------------- report

const rest50 = (d: DbResult) => d.http.filter((h) => h.system === 'rest' && h.connections === 50);


/** Answers per second that were 2xx: a 503 from the load shedder (or a 429) is not a served answer. */
function goodput(r: LoadResult): number {
  return (r.requests - r.non2xx - r.errors) / r.duration;
}

/** As pairedRatio, over 2xx answers per second only. */
function pairedGoodputRatio(service: HttpRow[], baseline: HttpRow[]): number {
  const ratios: number[] = [];
  for (const s of service) {
    const b = baseline.find((x) => x.round === s.round && x.connections === s.connections);
    if (b) ratios.push(goodput(s.result) / goodput(b.result));
  }
  return median(ratios);
}

function rssCell(rows: HttpRow[]): string {
  const rss = rows.map((r) => r.rss).filter((x): x is number => x !== null);
  return rss.length ? mib(median(rss)) : '—';
}


/** The heap limit of the Zipf row that measures the README's memory knob ("Run in production", Memory). */
const ZIPF_HEAP_LIMIT_MB = 512;

const SYSTEM_LABEL: Record<HttpRow['system'], string> = {
  baseline: 'baseline (node:http + one indexed query)',
  graphql: 'service: GraphQL `verify`',
  rest: 'service: `GET /v1/verify`',
  page: 'service: answer page `GET /?url=` (HTML)',
  badge: 'service: live badge `GET /badge/account.svg?url=`',
  'graphql-nocache': 'service: GraphQL `verify`, lookup cache off',
  'rest-nocache': 'service: `GET /v1/verify`, lookup cache off',
  'graphql-zipf': 'service: GraphQL `verify`, Zipf',
  'rest-zipf': 'service: `GET /v1/verify`, Zipf',
  'graphql-zipf-heap-limit': `service: GraphQL \`verify\`, Zipf, \`node --max-old-space-size=${ZIPF_HEAP_LIMIT_MB}\``,
  'baseline-zipf': 'baseline, Zipf',
  'graphql-nocache-replica': 'service: GraphQL `verify`, lookup cache off, reads on 1 replica',
};

function renderReport(opts: Options, shape: DataShape, dbs: DbResult[], signatures: SignatureResults | string, profile: Awaited<ReturnType<typeof profileService>> | string | null, env: { loadBefore: number[]; loadAfter: number[]; totalSeconds: number; kept: string }): string {
  const cmd = `pnpm bench${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
  const cpus = os.cpus();
  const L: string[] = [];
  const quickBanner = opts.quick ? '**QUICK RUN (`--quick`): small data, 1 round, short runs. These figures are a smoke test, not measurements.** ' : '';
  L.push('# Benchmarks');
  L.push('');
  L.push(`${quickBanner}Written by \`${cmd}\` (test/bench/run.ts) on ${new Date().toISOString()}; the whole run took ${Math.round(env.totalSeconds / 60)} min.`);
  L.push('');
  L.push('## How to read this');
  L.push('');
  L.push('- Everything here was measured **side by side in one run on one noisy 2-core machine**. Absolute numbers move from run to run (other work shares the cores); the **ratios** between systems measured in alternation are what to compare. Nothing in `pnpm test` asserts a timing.');
  const serviceBuild = opts.fromSource
    ? '**run through tsx on the TypeScript sources** (`--from-source`; tsx\'s loader thread adds about 100 MiB of RSS that production does not have)'
    : 'run as production runs it: compiled (`pnpm build`; the bench entry bundled with esbuild, test/bench/compiled-servers.ts), `node --conditions=trust-alliance-dist`, no tsx; the baseline too';
  L.push('- **Service** = the real API (`createApp` + `listen` from services/api/src/server, NODE_ENV=production) in its own process, on the bench database, ' + serviceBuild + '. **Baseline** = a bare `node:http` server doing the same indexed lookup with `pg` and answering JSON (test/bench/baseline-server.ts): the naive hand-written service. **Load** comes from a third process (autocannon). Ratio = service / baseline requests per second, median of the per-round ratios (each round runs both).');
  L.push('- The **answer page** (`GET /?url=`, the check page rendered to HTML with preact-render-to-string) and the **live badge** (`GET /badge/account.svg?url=`, badge-maker SVG) run the same `registry.verify` as `/v1/verify`, over the same rotating URLs, and are compared with the same baseline (issue 12\'s targets: 0.5× and 0.8×). The bench service serves `webRoutes(registry)` beside `publicRoutes(registry)`, as main.ts does.');
  L.push('- Each HTTP figure is the **median over rounds** of one run of the stated duration after a warm-up; p50 / p99 are autocannon\'s latency percentiles of that run (median over rounds). "CPU/req" is the server process\'s own CPU time (user + system) per request; on PostgreSQL the database server\'s CPU is not in it, on PGlite it is (the database runs inside the process).');
  L.push(`- Requests rotate over ${fmt(opts.poolUrls)} distinct URLs (85% registered accounts, a third of them spelled another usual way such as \`m.facebook.com/Kol.123/?ref=share\`; 10% unknown pages; 5% flagged scam pages). The service is started, answers the pool once through \`registry.verifyMany\` (the state of a service that has been up a while: its hot-lookup cache holds them; emptied and filled again before a run when the last fill is over 30 s old, as the cache keeps an answer 60 s from when it was stored), then is measured. The "lookup cache off" row shows the same service with \`lookupCache: false\`: every request pays the SQL lookup.`);
  L.push('- `verifyMany`: **cold** = keys never asked before in that process (the SQL lookup runs), **hot** = the same inputs again (served by the lookup cache when there is one). Each size is asked before its timed calls, unmeasured (the service of the GraphQL row has answered single verifies, never a batch): 1 and 100 keys ' + times(warmupsOf(100, opts, 'in-process')) + ' in process and ' + times(warmupsOf(100, opts, 'graphql')) + ' over HTTP, 1,000 keys ' + times(warmupsOf(1000, opts, 'in-process')) + ' in both, since the first batches of a process are slow while its code compiles and, on PostgreSQL without huge pages, while each pooled connection maps the shared buffers of the server (the times of those batches follow the table). SQL queries are counted by wrapping `registryInternals(registry).db.sql` (and, on PostgreSQL, at the `pg` driver, which also sees Prisma).');
  L.push('');
  L.push('Command:');
  L.push('');
  L.push('```sh');
  L.push(cmd);
  L.push('```');
  L.push('');
  L.push('## Machine and data');
  L.push('');
  L.push(`- ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node.js ${process.version}.`);
  L.push(`- Load average (1/5/15 min) at the start: ${env.loadBefore.map((x) => x.toFixed(2)).join(' / ')}; at the end: ${env.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`);
  if (process.env.BENCH_REPLICA_ADMIN_URL) L.push('- `--replica`: PostgreSQL is a throwaway primary started for this run (Debian\'s PostgreSQL 15 binaries, fsync off, shared_buffers 256MB) with one streaming replica (pg_basebackup -R) on the same machine, not the system server.');
  L.push(`- Data: ${fmt(shape.members)} members, ${fmt(shape.accounts)} accounts, seed ${shape.seed} (test/bench/data.ts; dates relative to the day of the run). Rounds: ${opts.rounds}; ${opts.duration} s per load run after ${opts.warmup} s of warm-up; connections ${opts.connections.join(' and ')}.`);
  for (const d of dbs) {
    if (!d.available) {
      L.push(`- ${d.db}: **not measured** — ${d.why}`);
      continue;
    }
    const rows = d.load ? Object.entries(d.load.rows).map(([t, n]) => `${t} ${fmt(n)}`).join(', ') : '';
    const l = d.load;
    const total = l ? l.loadMs + l.indexMs + l.analyzeMs : NaN;
    L.push(`- ${d.serverVersion}: loaded ${fmt(l?.totalRows ?? 0)} rows in **${(total / 1000).toFixed(1)} s** (inserts ${((l?.loadMs ?? 0) / 1000).toFixed(1)} s, re-creating ${l?.indexes ?? 0} secondary indexes ${((l?.indexMs ?? 0) / 1000).toFixed(1)} s, ANALYZE ${((l?.analyzeMs ?? 0) / 1000).toFixed(1)} s; migrations before that ${fmtMs(d.migrateMs ?? NaN)})${d.databaseBytes !== undefined ? `, **${mib(d.databaseBytes)}** on disk after the load` : ''}: ${rows}.`);
    if (d.serverMemory) L.push(`- ${d.serverVersion} memory: ${d.serverMemory}. Without huge pages a new connection maps the buffer pool 4 KiB at a time, and its first few large lookups are several times slower (\`test/bench/pg-backend-warmup.ts\`); the service keeps the connections it opens.`);
    if (d.prewarm !== undefined) L.push(`- Before measuring, ${typeof d.prewarm === 'string' ? d.prewarm : `the bench database's relations (${mib(d.prewarm.bytes)}) were read once into the OS page cache with \`pg_prewarm\` (mode \`read\`, ${(d.prewarm.ms / 1000).toFixed(1)} s)`}, so that cold keys measure the registry rather than the disk (\`--no-prewarm\` skips it). PostgreSQL's own shared_buffers stay as configured.`);
  }
  L.push('');

  // Headline
  L.push('## Headline');
  L.push('');
  L.push('| Database | Comparison | 10 connections | 50 connections |');
  L.push('|---|---|---|---|');
  for (const d of dbs.filter((x) => x.available)) {
    for (const system of ['graphql', 'rest', 'page', 'badge', 'graphql-nocache', 'rest-nocache'] as const) {
      const cells = opts.connections.map((c) => {
        const s = d.http.filter((h) => h.system === system && h.connections === c);
        const b = d.http.filter((h) => h.system === 'baseline' && h.connections === c);
        return s.length ? ratio(pairedRatio(s, b), 1) : system === 'rest' || system === 'page' || system === 'badge' ? 'not available' : '—';
      });
      L.push(`| ${d.db} | ${SYSTEM_LABEL[system]} / baseline | ${cells.join(' | ')} |`);
    }
  }
  L.push('');

  // Targets of issue 5 (PostgreSQL, medians)
  const pgRes = dbs.find((x) => x.db === 'postgres' && x.available);
  if (pgRes) {
    const at50 = (system: HttpRow['system']) => pgRes.http.filter((h) => h.system === system && h.connections === 50);
    const base50 = at50('baseline');
    const gq = at50('graphql');
    const rest = at50('rest');
    const vm = pgRes.verifyMany.find((v) => v.via === 'in-process' && v.size === 1000 && v.state === 'cold');
    const sig = typeof signatures === 'string' ? null : signatures.opsPerSecond;
    const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
    const gqRatio = gq.length ? pairedRatio(gq, base50) : NaN;
    const gqP99 = gq.length ? medianOf(gq, (r) => r.result.p99) : NaN;
    const restRatio = rest.length ? pairedRatio(rest, base50) : NaN;
    const vmMs = vm ? median(vm.ms) : NaN;
    const vmQ = vm ? median(vm.sqlQueries) : NaN;
    const sigRatio = sig ? sig['verifyAttestation skip batch']! / sig['raw verify']! : NaN;
    L.push(`## Targets of issue 5 (PostgreSQL, medians${opts.quick ? ' — QUICK RUN, not a measurement' : ''})`);
    L.push('');
    L.push('| Target | Measured | |');
    L.push('|---|---|---|');
    L.push(`| GraphQL \`verify\` at 50 connections ≥ 0.6 of the baseline, p99 < 50 ms | ${ratio(gqRatio, 1)}, p99 ${fmtMs(gqP99)} | ${mark(gq.length ? gqRatio >= 0.6 && gqP99 < 50 : null)} |`);
    L.push(`| \`GET /v1/verify\` ≥ 1.5 × the baseline (50 connections) | ${rest.length ? ratio(restRatio, 1) : 'route not available'} | ${mark(rest.length ? restRatio >= 1.5 : null)} |`);
    L.push(`| \`verifyMany\` of 1,000 inputs: ≤ 3 SQL queries, < 100 ms server time (cold keys) | ${vm ? `${vmQ} queries, ${fmtMs(vmMs)}` : 'n/a'} | ${mark(vm ? vmQ <= 3 && vmMs < 100 : null)} |`);
    L.push(`| \`verifyAttestation\` batch of 1,000 ≥ 0.9 of a sync \`node:crypto\` verify loop | ${ratio(sigRatio, 1)} (one at a time: ${sig ? ratio(sig['verifyAttestation skip one at a time']!, sig['raw verify']!) : 'n/a'}) | ${mark(sig ? sigRatio >= 0.9 : null)} |`);
    L.push('');
  }

  // Targets of issue 16: the miss path, the long tail, large batches over HTTP, memory (PostgreSQL)
  if (pgRes) {
    const at50 = (system: HttpRow['system']) => pgRes.http.filter((h) => h.system === system && h.connections === 50);
    const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
    const row = (label: string, rows: HttpRow[], base: HttpRow[], target: number, p99Below?: number) => {
      if (!rows.length || !base.length) return `| ${label} | not measured | not measured |`;
      const r = pairedRatio(rows, base);
      const p99 = medianOf(rows, (x) => x.result.p99);
      return `| ${label} | ${ratio(r, 1)}, p99 ${fmtMs(p99)} | ${mark(r >= target && (p99Below === undefined || p99 < p99Below))} |`;
    };
    const vmHttp = pgRes.verifyMany.find((v) => v.via === 'graphql' && v.size === 1000);
    const vmIn = pgRes.verifyMany.find((v) => v.via === 'in-process' && v.size === 1000 && v.state === 'cold');
    const zipfRss = [...at50('graphql-zipf'), ...at50('rest-zipf')].map((x) => x.rss).filter((x): x is number => x !== null);
    L.push(`## Targets of issue 16 (PostgreSQL, ${fmt(shape.accounts)} accounts, 50 connections, medians${opts.quick ? ' — QUICK RUN, not a measurement' : ''})`);
    L.push('');
    L.push('| Target | Measured | |');
    L.push('|---|---|---|');
    L.push(row('GraphQL `verify`, lookup cache off, ≥ 0.6 × the baseline', at50('graphql-nocache'), at50('baseline'), 0.6));
    L.push(row('`GET /v1/verify`, lookup cache off, ≥ 1.5 × the baseline', at50('rest-nocache'), at50('baseline'), 1.5));
    L.push(row('GraphQL `verify`, Zipf workload, ≥ 1.0 × the baseline (Zipf), p99 < 50 ms', at50('graphql-zipf'), at50('baseline-zipf'), 1.0, 50));
    L.push(`| \`verifyMany\` of 1,000 cold keys over HTTP (GraphQL round trip) < 150 ms | ${vmHttp ? `${fmtMs(median(vmHttp.ms))} (p90 ${fmtMs(percentile(vmHttp.ms, 90))})` : 'not measured'} | ${mark(vmHttp ? median(vmHttp.ms) < 150 : null)} |`);
    L.push(`| \`verifyMany\` of 1,000 cold keys in process < 100 ms | ${vmIn ? fmtMs(median(vmIn.ms)) : 'not measured'} | ${mark(vmIn ? median(vmIn.ms) < 100 : null)} |`);
    L.push(`| service RSS on the Zipf workload < 300 MB | ${zipfRss.length ? `${mib(median(zipfRss))} (highest ${mib(Math.max(...zipfRss))})` : 'not measured'} | ${mark(zipfRss.length ? Math.max(...zipfRss) < 300e6 : null)} |`);
    const knob = at50('graphql-zipf-heap-limit');
    const knobRss = knob.map((x) => x.rss).filter((x): x is number => x !== null);
    if (knob.length) L.push(`| (the README's memory knob) GraphQL Zipf with \`--max-old-space-size=${ZIPF_HEAP_LIMIT_MB}\`: RSS < 300 MB; its ratio and p99 | ${knobRss.length ? `${mib(median(knobRss))} (highest ${mib(Math.max(...knobRss))})` : 'not measured'}; ${ratio(pairedRatio(knob, at50('baseline-zipf')), 1)}, p99 ${fmtMs(medianOf(knob, (x) => x.result.p99))} | ${mark(knobRss.length ? Math.max(...knobRss) < 300e6 : null)} |`);
    if (pgRes.databaseBytes !== undefined) L.push(`| (size) database on disk | ${mib(pgRes.databaseBytes)} | |`);
    L.push('');
  }

  // Targets of issue 12: the public pages against the same baseline as /v1/verify (every measured database)
  for (const d of dbs.filter((x) => x.available)) {
    const base50 = d.http.filter((h) => h.system === 'baseline' && h.connections === 50);
    const page = d.http.filter((h) => h.system === 'page' && h.connections === 50);
    const badge = d.http.filter((h) => h.system === 'badge' && h.connections === 50);
    const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
    // Judged on 2xx answers only: a request the shedder refused (503) served no page.
    const pageRatio = page.length ? pairedGoodputRatio(page, base50) : NaN;
    const badgeRatio = badge.length ? pairedGoodputRatio(badge, base50) : NaN;
    const shed = (rows: HttpRow[]) => rows.reduce((n, r) => n + r.result.non2xx, 0);
    L.push(`## Targets of issue 12 (${d.db}, 50 connections, medians${opts.quick ? ' — QUICK RUN, not a measurement' : ''})`);
    L.push('');
    L.push('| Target | Measured | |');
    L.push('|---|---|---|');
    L.push(`| answer page \`GET /?url=\` ≥ 0.5 × the baseline (2xx answers/s) | ${page.length ? `${ratio(pageRatio, 1)} (all answers ${ratio(pairedRatio(page, base50), 1)}), p99 ${fmtMs(medianOf(page, (r) => r.result.p99))}, non-2xx ${fmt(shed(page))}` : d.webNote || 'not available'} | ${mark(page.length ? pageRatio >= 0.5 : null)} |`);
    L.push(`| live badge \`GET /badge/account.svg?url=\` ≥ 0.8 × the baseline (2xx answers/s) | ${badge.length ? `${ratio(badgeRatio, 1)} (all answers ${ratio(pairedRatio(badge, base50), 1)}), p99 ${fmtMs(medianOf(badge, (r) => r.result.p99))}, non-2xx ${fmt(shed(badge))}` : d.webNote || 'not available'} | ${mark(badge.length ? badgeRatio >= 0.8 : null)} |`);
    L.push(`| (for comparison) \`GET /v1/verify\` (2xx answers/s) | ${rest50(d).length ? ratio(pairedGoodputRatio(rest50(d), base50), 1) : 'not available'} | |`);
    L.push('');
    L.push(`Load shedding in the bench service: ${opts.shedding ? 'on, as main.ts runs it (503 + Retry-After when the event loop lags; those answers are the non-2xx counts)' : 'off (`--no-shedding`)'}.`);
    L.push('');
  }

  // HTTP table
  L.push('## Single verify over HTTP');
  L.push('');
  for (const d of dbs.filter((x) => x.available)) {
    L.push(`### ${d.serverVersion}`);
    L.push('');
    L.push('| System | Conns | Requests/s | p50 | p99 | Service/baseline | CPU/req | Cache hits | RSS after | Rounds (req/s) |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const c of opts.connections) {
      const base = d.http.filter((h) => h.system === 'baseline' && h.connections === c);
      for (const system of ['baseline', 'graphql', 'rest', 'page', 'badge', 'graphql-nocache', 'rest-nocache', 'graphql-nocache-replica'] as const) {
        const rows = d.http.filter((h) => h.system === system && h.connections === c);
        if (!rows.length) {
          if (system === 'rest') L.push(`| ${SYSTEM_LABEL[system]} | ${c} | not available | | | | | | | ${d.restNote} |`);
          if (system === 'page' || system === 'badge') L.push(`| ${SYSTEM_LABEL[system]} | ${c} | not available | | | | | | | ${d.webNote} |`);
          continue;
        }
        const hit = rows.map((r) => r.cacheHitRate).filter((x): x is number => x !== null);
        const bad = rows.reduce((s, r) => s + r.result.non2xx + r.result.errors, 0);
        L.push(`| ${SYSTEM_LABEL[system]} | ${c} | ${fmt(medianOf(rows, (r) => r.result.rps))} | ${fmtMs(medianOf(rows, (r) => r.result.p50))} | ${fmtMs(medianOf(rows, (r) => r.result.p99))} | ${system === 'baseline' ? '1.00×' : ratio(pairedRatio(rows, base), 1)} | ${fmt(medianOf(rows, (r) => r.cpuUsPerRequest ?? NaN))} µs | ${hit.length ? `${(median(hit) * 100).toFixed(0)}%` : '—'} | ${rssCell(rows)} | ${rows.map((r) => fmt(r.result.rps)).join(', ')}${bad ? ` (non-2xx/errors: ${bad})` : ''} |`);
      }
    }
    L.push('');
    const replicaRows = d.http.filter((h) => h.system === 'graphql-nocache-replica');
    if (replicaRows.length) {
      const share = replicaRows.map((r) => r.replicaShare).filter((x): x is number => typeof x === 'number');
      const nocache = d.http.filter((h) => h.system === 'graphql-nocache' && h.connections === replicaRows[0]!.connections);
      const vsPrimary = median(replicaRows.flatMap((r) => nocache.filter((n) => n.round === r.round).map((n) => r.result.rps / n.result.rps)));
      L.push(`- Read replica row (\`--replica\`): the same cache-off service with \`DATABASE_READ_URL\` naming a streaming replica of the bench database on the same machine; ${share.length ? `${(median(share) * 100).toFixed(0)}%` : 'an unknown share'} of verify's database reads were answered by the replica; ${ratio(vsPrimary, 1)} the requests per second of the cache-off row on the primary alone (same round).${d.replicaAgreement ? ` Answers through the replica = through the primary on ${d.replicaAgreement.same}/${d.replicaAgreement.sample} sample URLs.` : ''} On one 2-core machine both servers share the same cores, so this row shows correctness and routing overhead, not added capacity.`);
    }
    if (!d.restAvailable) L.push(`- \`GET /v1/verify\`: ${d.restNote || 'not measured'}.`);
    else L.push(`- ${d.restNote}.`);
    if (d.agreement) {
      const diffs = Object.entries(d.agreement.differences).map(([k, n]) => `${k}: ${n}`).join('; ');
      L.push(`- Sanity: on ${d.agreement.sample} sample URLs the service (GraphQL) and the baseline gave the same status for ${d.agreement.same}${diffs ? ` (differences, service vs baseline: ${diffs})` : ''}${d.agreement.restSame !== null ? `; \`/v1/verify\` agreed with GraphQL on ${d.agreement.restSame}` : ''}. (The baseline reads the current status columns; the service evaluates the histories, pledge standing included.)`);
    }
    if (d.prefilled.length) L.push(`- Prefill before measuring: ${d.prefilled.map((n) => fmt(n)).join(', ')} of the ${fmt(opts.poolUrls)} pool URLs answered once (per round; capped at ${opts.quick ? 5 : 10} s).`);
    const starts = d.startMs.map((s) => `${s.system} ${(s.ms / 1000).toFixed(1)} s`);
    if (starts.length) L.push(`- Start-up to listening (including prefill for the service): ${[...new Set(starts)].slice(0, 6).join(', ')}.`);
    L.push('');
  }

  // Zipf
  L.push(`## Zipf workload (exponent ${ZIPF_EXPONENT}, all accounts)`);
  L.push('');
  L.push(`Requests drawn from **all ${fmt(shape.accounts)} accounts** with a Zipf distribution of exponent **${ZIPF_EXPONENT}** (account of popularity rank r asked with probability ∝ 1/r; ranks spread over the accounts by a fixed permutation; a third spelled another usual way; test/bench/data.ts \`zipfUrls\`). The service runs with its lookup cache at the **default size** (at most 100,000 entries and a 32 MiB ring outside the JS heap, 60 s), after answering the first ${fmt(opts.zipfPrefill)} draws of the same sequence through \`registry.verifyMany\` (its recent past; capped at ${opts.quick ? 5 : 45} s); the measured runs go on with the next draws (GraphQL and REST each their own ${fmt(opts.zipfMeasured)} draws; the baseline the REST ones). Hit rate = cache hits / lookups during the run (warm-up included); RSS = the server process after the run. The last row is the GraphQL run again on a service started with \`node --max-old-space-size=${ZIPF_HEAP_LIMIT_MB}\` (the README's memory knob for a memory-bound host): V8 then grows the heap less far past its live size, for more collections.`);
  L.push('');
  L.push('| Database | System | Conns | Requests/s | p50 | p99 | Service/baseline (Zipf) | CPU/req | Cache hits | Cache entries | RSS after | Rounds (req/s) |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const d of dbs.filter((x) => x.available)) {
    const base = d.http.filter((h) => h.system === 'baseline-zipf');
    for (const system of ['baseline-zipf', 'graphql-zipf', 'rest-zipf', 'graphql-zipf-heap-limit'] as const) {
      const rows = d.http.filter((h) => h.system === system);
      if (!rows.length) continue;
      const hit = rows.map((r) => r.cacheHitRate).filter((x): x is number => x !== null);
      const entries = rows.map((r) => r.cacheEntries).filter((x): x is number => x !== null);
      L.push(`| ${d.db} | ${SYSTEM_LABEL[system]} | ${rows[0]!.connections} | ${fmt(medianOf(rows, (r) => r.result.rps))} | ${fmtMs(medianOf(rows, (r) => r.result.p50))} | ${fmtMs(medianOf(rows, (r) => r.result.p99))} | ${system === 'baseline-zipf' ? '1.00×' : ratio(pairedRatio(rows, base), 1)} | ${fmt(medianOf(rows, (r) => r.cpuUsPerRequest ?? NaN))} µs | ${hit.length ? `${(median(hit) * 100).toFixed(1)}%` : '—'} | ${entries.length ? fmt(median(entries)) : '—'} | ${rssCell(rows)} | ${rows.map((r) => fmt(r.result.rps)).join(', ')} |`);
    }
    if (d.zipfPrefilled.length) L.push(`| ${d.db} | prefill: draws answered before listening | | ${d.zipfPrefilled.map((n) => fmt(n)).join(', ')} of ${fmt(opts.zipfPrefill)} | | | | | | | | |`);
  }
  L.push('');
  for (const d of dbs.filter((x) => x.available && x.cacheMemory.length)) {
    const ring = d.cacheMemory.flatMap((m) => (m.ring ? [{ ...m.ring, entries: m.entries }] : []));
    if (!ring.length) continue;
    const measured = d.cacheMemory.filter((m) => m.bytes !== null);
    const perEntry = median(ring.map((r) => r.liveBytes / Math.max(1, r.entries)));
    L.push(`- ${d.db}: the lookup cache held ${d.cacheMemory.map((m) => fmt(m.entries)).join(', ')} entries after the Zipf runs (per round), outside the JS heap in its ring (kernel/byte-ring-index.ts): records ${ring.map((r) => mib(r.liveBytes)).join(', ')} (**${fmt(perEntry)} bytes per entry**, so 100,000 entries take about ${mib(perEntry * 100_000)}), ring pages written **${ring.map((r) => mib(r.ringBytesTouched)).join(', ')}** (the ring is the \`maxBytes\` bound, default 32 MiB), index ${ring.map((r) => mib(r.indexBytes)).join(', ')}, lookalike answers on the heap ${ring.map((r) => mib(r.lookalikeBytes)).join(', ')}.${measured.length ? ` Heap and buffer memory freed by clearing it (after full GCs; the ring stays allocated): ${measured.map((m) => mib(m.bytes!)).join(', ')}.` : ''}`);
  }
  L.push('');

  // verifyMany
  L.push('## verifyMany');
  L.push('');
  L.push('| Database | Via | Inputs | State | Time per call (median) | p90 | Per input | SQL queries per call (executor / pg driver) | Runs |');
  L.push('|---|---|---:|---|---:|---:|---:|---|---:|');
  for (const d of dbs.filter((x) => x.available)) {
    for (const v of d.verifyMany) {
      const m = median(v.ms);
      const queries = v.via === 'graphql' ? 'n/a (other process)' : `${median(v.sqlQueries)} / ${d.db === 'postgres' ? median(v.driverQueries) : 'n/a'}`;
      L.push(`| ${d.db} | ${v.via === 'graphql' ? 'GraphQL over HTTP (round trip)' : '`registry.verifyMany` in process'} | ${fmt(v.size)} | ${v.state} | ${fmtMs(m)} | ${fmtMs(percentile(v.ms, 90))} | ${fmtMs(m / v.size)} | ${queries} | ${v.ms.length} |`);
    }
    if (d.graphqlVerifyManyNote) L.push(`| ${d.db} | GraphQL | — | — | ${d.graphqlVerifyManyNote} | | | | |`);
  }
  L.push('');
  for (const d of dbs.filter((x) => x.available)) {
    // Every round's warm-ups, in order: what a process's first batches of that size cost.
    for (const via of ['in-process', 'graphql'] as const) {
      const warm = d.verifyMany.filter((v) => v.via === via && v.size === 1000 && v.state === 'cold' && v.warmupMs?.length);
      if (warm.length) L.push(`- ${d.db}, ${via === 'graphql' ? 'over HTTP' : 'in process'}: the unmeasured 1,000-key batches before the timed ones, in order (the first batches that process made; one list per run of the row): ${warm.map((v) => v.warmupMs!.map(fmtMs).join(', ')).join('; ')}.`);
    }
  }
  L.push('');

  // Signatures
  L.push('## Signatures (`@trust-alliance/verifier` against raw `node:crypto` Ed25519)');
  L.push('');
  if (typeof signatures === 'string') {
    L.push(`Not measured: ${signatures}`);
  } else {
    const o = signatures.opsPerSecond;
    const rawSign = o['raw sign']!;
    const rawVerify = o['raw verify']!;
    L.push(`Ed25519 (EdDSA) key; a realistic attestation (${signatures.jwsBytes} bytes of JWS, three accounts); raw = \`crypto.sign\`/\`crypto.verify\` of the same signing input in a synchronous loop on one core. "Batch" = ${fmt(signatures.batch)} calls at once with \`Promise.all\` (WebCrypto runs them on libuv's thread pool, ${signatures.threadpool} threads). ${fmt(signatures.msPerMeasurement)} ms per measurement, median of ${signatures.rounds['raw sign']?.length ?? 0} rounds.`);
    L.push('');
    L.push('| Operation | ops/s | vs raw node:crypto |');
    L.push('|---|---:|---:|');
    for (const name of SIGNATURE_CASES) {
      const base = name.includes('sign') ? rawSign : rawVerify;
      L.push(`| ${name.replace('raw sign', 'raw `crypto.sign` (sync loop)').replace('raw verify', 'raw `crypto.verify` (sync loop)').replace('skip', "(statusList: 'skip')").replace('cache', '(pre-warmed StatusListCache)')} | ${fmt(o[name] ?? NaN)} | ${name.startsWith('raw') ? '1.00×' : ratio(o[name] ?? NaN, base)} |`);
    }
  }
  L.push('');

  // RSS
  L.push('## Resident memory of the service after the load');
  L.push('');
  L.push('| Database | Process | RSS (median over rounds) | JS heap used | Rounds |');
  L.push('|---|---|---:|---:|---|');
  for (const d of dbs.filter((x) => x.available)) {
    for (const system of ['graphql', 'graphql-nocache', 'baseline']) {
      const rows = d.rss.filter((r) => r.system === system);
      if (!rows.length) continue;
      const label = system === 'graphql' ? 'service' : system === 'graphql-nocache' ? 'service, lookup cache off' : 'baseline';
      L.push(`| ${d.db} | ${label} | ${mib(median(rows.map((r) => r.rss)))} | ${mib(median(rows.map((r) => r.heapUsed)))} | ${rows.map((r) => mib(r.rss)).join(', ')} |`);
    }
  }
  L.push('');

  // Profile
  L.push('## CPU profile of the service (verify path)');
  L.push('');
  if (profile === null) L.push('No profile was written.');
  else if (typeof profile === 'string') L.push(profile);
  else {
    L.push(`A V8 CPU profile (node:inspector's Profiler, the format of \`node --cpu-prof\`) of the service process (${profile.db}), ${profile.note}; ${fmt(profile.summary.totalMs)} ms of CPU samples (idle excluded). Self time, all functions (native ones such as \`writev\` include time the process waited for a core while the database used both):`);
    L.push('');
    L.push('| Function | Where | Self ms | Share |');
    L.push('|---|---|---:|---:|');
    for (const f of profile.summary.functions) L.push(`| \`${f.name}\` | ${f.where} | ${fmt(f.selfMs)} | ${(f.share * 100).toFixed(1)}% |`);
    L.push('');
    L.push('JavaScript functions only (the application and its packages, without Node\'s internals):');
    L.push('');
    L.push('| Function | Where | Self ms | Share |');
    L.push('|---|---|---:|---:|');
    for (const f of profile.summary.jsFunctions) L.push(`| \`${f.name}\` | ${f.where} | ${fmt(f.selfMs)} | ${(f.share * 100).toFixed(1)}% |`);
    L.push('');
    L.push('By package (self time):');
    L.push('');
    L.push('| Package / area | Self ms | Share |');
    L.push('|---|---:|---:|');
    for (const p of profile.summary.packages) L.push(`| ${p.name} | ${fmt(p.selfMs)} | ${(p.share * 100).toFixed(1)}% |`);
  }
  L.push('');
  L.push('## Method notes');
  L.push('');
  L.push('- Data is bulk-loaded with multi-row `INSERT … SELECT FROM unnest($1::text[], …)` in chunks of 10,000 rows into the tables the registry\'s migrator created (secondary indexes dropped during the inserts and re-created from their own `pg_indexes` definitions afterwards), then `ANALYZE`. Keys are exactly `normalizeAccount(url).key`; the lookalike columns (`Account.skeleton`, `skeletonVariants`) are filled with core\'s `accountSkeleton`.');
  L.push('- PostgreSQL: database `' + BENCH_DB_NAME + '` on 127.0.0.1, ' + (opts.reuseDb ? 'reused when a run earlier the same day loaded the same shape (`--reuse-db`; the load figures are that run\'s), else recreated, and kept' : 'dropped and recreated each run' + (opts.keepDb ? ' (kept after this run: `--keep-db`)' : ' and dropped at the end')) + '. The service and the baseline each use a pool of at most 10 connections.');
  L.push('- PGlite: a temporary data folder. PGlite admits one process at a time, so the service and the baseline never run at once (every server is started for its part of a round and stopped after it, on both databases); there is no `pg` server, so the PGlite baseline runs the same SQL in process through core\'s `openDatabase().sql.query` (a direct `pglite.query`, no Prisma).');
  L.push('- The baseline places URLs with core\'s `normalizeAccount` (pure JS, as a hand-written service would need something equivalent), and answers from the current status columns; it has no GraphQL, no auth, no history ("as of") and no cache.');
  L.push(`- ${env.kept}`);
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const shape: DataShape = { accounts: opts.accounts, members: opts.members, seed: opts.seed };
  const loadBefore = os.loadavg();
  log('start', `${opts.quick ? 'QUICK ' : ''}bench: ${fmt(shape.accounts)} accounts, ${fmt(shape.members)} members, db ${opts.dbs.join('+')}, ${opts.rounds} round(s), ${opts.duration} s runs; report → ${relative(REPO_ROOT, opts.out)}`);
  log('start', `${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);
  const workDir = await mkdtemp(join(os.tmpdir(), 'trust-bench-'));
  if (opts.fromSource) {
    spawnServer = spawnTs;
    log('build', 'servers run through tsx on the TypeScript sources (--from-source)');
  } else {
    log('build', 'pnpm build, then the service and the baseline bundled with esbuild (compiled, as in production)');
    await compileBenchServers(['service-process.ts', 'baseline-server.ts']);
  }

  const results: DbResult[] = [];
  let profile: Awaited<ReturnType<typeof profileService>> | string | null = null;
  for (const db of opts.dbs) {
    const r = await benchDatabase(db, { ...opts, keepDb: opts.keepDb || (opts.profile && db === 'postgres') }, shape, workDir);
    results.push(r);
    if (opts.profile && db === 'postgres' && r.available) {
      log('[postgres] profile', 'CPU profile of the service under GraphQL verify load (node:inspector)');
      try {
        profile = await profileService('postgres', opts, shape, workDir);
        if (profile) {
          log('[postgres] profile', `top self time: ${profile.summary.functions.slice(0, 5).map((f) => `${f.name} (${(f.share * 100).toFixed(1)}%)`).join(', ')}`);
          log('[postgres] profile', `top JS: ${profile.summary.jsFunctions.slice(0, 5).map((f) => `${f.name} ${f.where} (${(f.share * 100).toFixed(1)}%)`).join(', ')}`);
          const kept = resolve(REPO_ROOT, 'test/bench/.profiles');
          await mkdir(kept, { recursive: true });
          const dest = join(kept, `service-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
          await writeFile(dest, await readFile(profile.file));
          profile.file = dest;
        }
      } catch (error) {
        profile = `Profiling failed: ${(error as Error).message}`;
      }
      if (!opts.keepDb) await dropPostgres().catch(() => {});
    }
  }
  if (!opts.profile) profile = 'Not taken (`--no-profile`).';
  else if (!profile) profile = opts.dbs.includes('postgres') ? 'Not taken (PostgreSQL unavailable).' : 'Not taken: the profile is taken on PostgreSQL (run with `--db postgres` or `--db both`).';

  log('signatures', `signAttestation / verifyAttestation against raw node:crypto, ${opts.rounds} round(s)`);
  let signatures: SignatureResults | string;
  try {
    const child = spawnTs('signatures.ts', [JSON.stringify({ rounds: opts.rounds, ms: opts.signatureMs })]);
    child.stderr?.on('data', (d: Buffer) => process.stdout.write(d.toString().replace(/^/gm, '                            ').replace(/ +$/, '')));
    signatures = lastJsonLine<SignatureResults>(await collect(child));
    const o = signatures.opsPerSecond;
    log('signatures', `verify batch ${fmt(o['verifyAttestation skip batch']!)} ops/s vs raw ${fmt(o['raw verify']!)} (${ratio(o['verifyAttestation skip batch']!, o['raw verify']!)}); sign batch ${ratio(o['signAttestation batch']!, o['raw sign']!)} of raw`);
  } catch (error) {
    signatures = (error as Error).message;
  }

  const totalSeconds = (Date.now() - started) / 1000;
  const kept = opts.profile && profile && typeof profile !== 'string' ? `The CPU profile is kept in ${relative(REPO_ROOT, profile.file)} (open it in Chrome DevTools → Performance, or VS Code).` : 'No CPU profile kept.';
  const report = renderReport(opts, shape, results, signatures, profile, { loadBefore, loadAfter: os.loadavg(), totalSeconds, kept });

  // Keep anything a person wrote below the marker (e.g. before/after notes of optimisation work).
  const MARK = '<!-- notes below this line are kept by pnpm bench -->';
  let tail = `\n${MARK}\n`;
  try {
    const previous = await readFile(opts.out, 'utf8');
    const at = previous.indexOf(MARK);
    if (at >= 0) tail = `\n${previous.slice(at)}`;
  } catch {
    // first report
  }
  await mkdir(resolve(opts.out, '..'), { recursive: true });
  await writeFile(opts.out, report + tail);
  // The raw figures, for anyone who wants to re-read or compare runs (not committed: see .gitignore).
  const rawDir = resolve(REPO_ROOT, 'test/bench/.results');
  await mkdir(rawDir, { recursive: true });
  await writeFile(join(rawDir, `${new Date().toISOString().replace(/[:.]/g, '-')}${opts.quick ? '-quick' : ''}.json`), JSON.stringify({ options: opts, shape, results, signatures, profile, loadAverage: { start: loadBefore, end: os.loadavg() } }, null, 1));
  await rm(workDir, { recursive: true, force: true });
  log('done', `report written to ${relative(REPO_ROOT, opts.out)} in ${Math.round(totalSeconds)} s`);

  // Headline on the console
  for (const d of results.filter((x) => x.available)) {
    for (const c of opts.connections) {
      const b = d.http.filter((h) => h.system === 'baseline' && h.connections === c);
      const parts = (['graphql', 'rest', 'page', 'badge', 'graphql-nocache', 'rest-nocache'] as const)
        .map((s) => [s, d.http.filter((h) => h.system === s && h.connections === c)] as const)
        .filter(([, rows]) => rows.length)
        .map(([s, rows]) => `${s} ${ratio(pairedRatio(rows, b), 1)} (p99 ${fmtMs(medianOf(rows, (r) => r.result.p99))})`);
      log('headline', `${d.db} @${c}: ${parts.join(', ')} of baseline ${fmt(medianOf(b, (r) => r.result.rps))} req/s`);
    }
  }
}

/**
 * `--replica`: starts a throwaway PostgreSQL primary with a streaming replica (test/scale/pg-cluster.ts),
 * runs this bench against that primary in a child process (BENCH_PG_ADMIN_URL, BENCH_REPLICA_ADMIN_URL),
 * then stops and removes both servers.
 */
async function withReplica(): Promise<number> {
  const { clusterUnavailable, startReplicatedCluster } = await import('../scale/pg-cluster.ts');
  const why = clusterUnavailable();
  if (why) throw new Error(`--replica: ${why}`);
  log('replica', 'starting a throwaway primary and streaming replica (PostgreSQL 15, fsync off, shared_buffers 256MB)');
  const cluster = await startReplicatedCluster({ settings: '-c shared_buffers=256MB -c max_connections=200 -c maintenance_work_mem=256MB', logStatements: false });
  try {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PG_ADMIN_URL: cluster.primaryUrl, BENCH_REPLICA_ADMIN_URL: cluster.replicaUrl },
    });
    return await new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1)));
  } finally {
    await cluster.stop();
    log('replica', 'throwaway servers stopped and removed');
  }
}

(process.argv.includes('--replica') && !process.env.BENCH_REPLICA_ADMIN_URL ? withReplica() : main().then(() => 0)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
