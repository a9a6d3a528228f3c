/**
 * Shared helpers of the benchmark harness: statistics, child processes speaking one JSON line
 * per message, small typed views of the untyped packages (`pg`, `autocannon`), and the
 * deterministic hash the data generator draws from.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(BENCH_DIR, '../..');
export const requireFromBench = createRequire(import.meta.url);

// ---------------------------------------------------------------- statistics

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n < 1) return `${n.toFixed(3)} ms`;
  if (n < 10) return `${n.toFixed(2)} ms`;
  if (n < 100) return `${n.toFixed(1)} ms`;
  return `${n.toFixed(0)} ms`;
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}×`;
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : 'n/a';
}

// ---------------------------------------------------------------- deterministic randomness

/** A 32-bit avalanche mix (murmur3 finaliser) of several integers. */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5 | 0;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    // high bits of large indexes too
    h ^= Math.floor(part / 4294967296) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform float in [0, 1), a pure function of its arguments: the same seed gives the same data. */
export function uniform(seed: number, salt: number, index: number, draw = 0): number {
  return hash32(seed, salt, index, draw) / 4294967296;
}

/** Picks from `[value, weight]` pairs with a uniform `u`. */
export function weighted<T>(u: number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = u * total;
  for (const [value, w] of table) {
    if (x < w) return value;
    x -= w;
  }
  return table[table.length - 1]![0];
}

// ---------------------------------------------------------------- child processes

/** Runs a TypeScript file of this folder in a new Node process (through tsx), optionally with IPC. */
export function spawnTs(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; ipc?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', resolve(BENCH_DIR, file), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's stdout and stderr, resolving with stdout when it exits 0. */
export function collect(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`child exited with ${code ?? signal}: ${err.slice(-2000)}`));
    });
  });
}

/** The last line of `text` that parses as JSON. */
export function lastJsonLine<T>(text: string): T {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      return JSON.parse(t) as T;
    } catch {
      // not JSON, keep looking
    }
  }
  throw new Error(`no JSON line in output: ${text.slice(-500)}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------- typed views of untyped packages

/** The part of `pg` the harness uses (pg ships no types and @types/pg is not a dependency of test/). */
export interface PgClientLike {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  connect(): Promise<void>;
  end(): Promise<void>;
}
export interface PgPoolLike {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}
export interface PgModule {
  Pool: new (options: { connectionString: string; max?: number }) => PgPoolLike;
  Client: { new (options: { connectionString: string }): PgClientLike; prototype: { query: (...args: unknown[]) => unknown } };
}
export const pg = requireFromBench('pg') as PgModule;

/** Connection strings for the bench database on the loopback PostgreSQL. */
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_DB_NAME = process.env.BENCH_PG_DATABASE ?? 'trust_bench';
export function benchPgUrl(): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${BENCH_DB_NAME}`;
  return url.toString();
}

/** Whether a URL (an HTTP origin, a PostgreSQL connection string) names this machine by a loopback address. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Refuses any target that is not a loopback address. */
export function assertLoopback(origin: string): void {
  if (!isLoopback(origin)) throw new Error(`refusing to load ${origin}: only loopback addresses may be load targets`);
}

/**
 * The PostgreSQL server's buffer pool and huge-page setting, and, when it runs on this machine
 * (`url` on a loopback address), how many huge pages the kernel holds. Without them a new
 * connection maps the pool 4 KiB at a time, and its first large statements are several times
 * slower (pg-backend-warmup.ts).
 */
export async function serverMemory(client: PgClientLike, url: string): Promise<string> {
  const { rows: [row] } = await client.query<{ shared_buffers: string; huge_pages: string }>("SELECT current_setting('shared_buffers') AS shared_buffers, current_setting('huge_pages') AS huge_pages");
  let kernel = '';
  if (isLoopback(url)) {
    try {
      kernel = `; this machine's kernel held ${/HugePages_Total:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? '?'} huge pages`;
    } catch {
      // Not Linux: say nothing of the kernel.
    }
  }
  return `shared_buffers ${row!.shared_buffers}, huge_pages ${row!.huge_pages}${kernel}`;
}

/** The value after `--name` on this script's command line, or undefined. */
export function cliArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A fixed master data key for the bench database (never used outside it). */
export const BENCH_DATA_KEY = Buffer.alloc(32, 7).toString('base64url');
export const BENCH_ISSUER = 'http://127.0.0.1:4000';

/**
 * Reads every relation of the bench database once into the OS page cache (`pg_prewarm`, mode
 * `read`): cold keys then measure the registry, not the disk, as on a database server whose data
 * fits in memory, and runs stop depending on what other work evicted from the cache (a 1,000-key
 * batch at 1,000,000 accounts took 80–100 ms in process with the database's 3 GB cached and
 * 230–300 ms with 2 GB of it). A database larger than memory keeps only its last part cached.
 */
export async function prewarmDatabase(): Promise<{ bytes: number; ms: number } | string> {
  const client = new pg.Client({ connectionString: benchPgUrl() });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const { rows } = await client.query<{ blocks: string }>(
      `SELECT COALESCE(sum(pg_prewarm(c.oid::regclass, 'read')), 0)::text AS blocks
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't', 'm')`,
    );
    const blockSize = Number((await client.query<{ b: string }>('SELECT current_setting(\'block_size\') AS b')).rows[0]!.b);
    return { bytes: Number(rows[0]!.blocks) * blockSize, ms: performance.now() - t0 };
  } catch (error) {
    return `not prewarmed: ${(error as Error).message}`;
  } finally {
    await client.end();
  }
}
