/**
 * `pnpm bench:scale`: the same bench at several registry sizes, then one table side by side
 * (issue 16: does the latency stay flat as the registry grows?).
 *
 *   pnpm bench:scale                                   300,000, 1,000,000 and 10,000,000 accounts
 *   pnpm bench:scale --sizes 300000,1000000 --rounds 2 --out docs/benchmarks/scale.md
 *   pnpm bench:scale --table FILE.json FILE.json …     only the table, from earlier raw results
 *
 * Each size runs `pnpm bench --db postgres --reuse-db --no-profile --no-shedding` in a child process
 * on a database of its own (`trust_bench_<size>`, kept: a size loaded earlier the same day is not
 * loaded again), writes its full report beside the table (`<out>-<size>.md`) and its raw results
 * to test/bench/.results/; the table is drawn from those raw results.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { BENCH_DIR, REPO_ROOT, fmt, fmtMs, median, mib, percentile, ratio } from './common.ts';
import type { DataShape } from './data.ts';
import { medianOf, pairedRatio, type DbResult, type HttpRow } from './results.ts';

interface RawResults {
  options: { rounds: number; duration: number; quick: boolean };
  shape: DataShape;
  results: DbResult[];
  /** 1, 5 and 15 min load averages at the start and the end of the run (absent in older raw results). */
  loadAverage?: { start: number[]; end: number[] };
}

const argv = process.argv.slice(2);
const get = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RESULTS_DIR = join(BENCH_DIR, '.results');
const day = new Date().toISOString().slice(0, 10);
const out = resolve(REPO_ROOT, get('out') ?? `docs/benchmarks/${day}-scale.md`);

async function newestResult(before: Set<string>): Promise<string> {
  const now = (await readdir(RESULTS_DIR)).filter((f) => f.endsWith('.json') && !before.has(f)).sort();
  if (!now.length) throw new Error('the bench wrote no raw result');
  return join(RESULTS_DIR, now[now.length - 1]!);
}

async function listResults(): Promise<Set<string>> {
  try {
    return new Set(await readdir(RESULTS_DIR));
  } catch {
    return new Set();
  }
}

/** Runs `pnpm bench` for one size; resolves with its raw results file. */
async function benchAt(accounts: number, rounds: string): Promise<string> {
  const before = await listResults();
  const report = out.replace(/\.md$/, `-${accounts}.md`);
  const args = ['bench', '--db', 'postgres', '--accounts', String(accounts), '--rounds', rounds, '--reuse-db', '--no-profile', '--no-shedding', '--out', report];
  console.log(`[scale] ${fmt(accounts)} accounts: pnpm ${args.join(' ')}`);
  const child = spawn('pnpm', args, { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, BENCH_PG_DATABASE: `trust_bench_${accounts}` } });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`pnpm bench at ${accounts} accounts exited with ${code}`);
  return newestResult(before);
}

function cell(rows: HttpRow[], base: HttpRow[]): string {
  if (!rows.length || !base.length) return '—';
  return `${ratio(pairedRatio(rows, base), 1)}; p50 ${fmtMs(medianOf(rows, (r) => r.result.p50))}, p99 ${fmtMs(medianOf(rows, (r) => r.result.p99))}`;
}

/** The side-by-side table: one column per size, one row per figure (PostgreSQL, 50 connections). */
export function renderScaleTable(runs: RawResults[]): string {
  const sized = runs
    .map((r) => ({ shape: r.shape, options: r.options, loadAverage: r.loadAverage, pg: r.results.find((d) => d.db === 'postgres' && d.available) }))
    .filter((r): r is typeof r & { pg: DbResult } => r.pg !== undefined)
    .sort((a, b) => a.shape.accounts - b.shape.accounts);
  const at = (pg: DbResult, system: HttpRow['system']) => pg.http.filter((h) => h.system === system && h.connections === 50);
  const L: string[] = [];
  L.push(`| PostgreSQL, 50 connections, medians | ${sized.map((r) => `${fmt(r.shape.accounts)} accounts`).join(' | ')} |`);
  L.push(`|---|${sized.map(() => '---').join('|')}|`);
  const line = (label: string, f: (pg: DbResult) => string) => L.push(`| ${label} | ${sized.map((r) => f(r.pg)).join(' | ')} |`);
  line('members / rows loaded', (pg) => `${fmt(pg.load?.rows.Member ?? NaN)} / ${fmt(pg.load?.totalRows ?? NaN)}`);
  line('load time (inserts + indexes + ANALYZE)', (pg) => (pg.load ? `${((pg.load.loadMs + pg.load.indexMs + pg.load.analyzeMs) / 1000).toFixed(0)} s` : '—'));
  line('database on disk', (pg) => (pg.databaseBytes === undefined ? '—' : mib(pg.databaseBytes)));
  line('baseline, warm pool: req/s; p50, p99', (pg) => {
    const b = at(pg, 'baseline');
    return b.length ? `${fmt(medianOf(b, (r) => r.result.rps))}; ${fmtMs(medianOf(b, (r) => r.result.p50))}, ${fmtMs(medianOf(b, (r) => r.result.p99))}` : '—';
  });
  line('GraphQL `verify`, warm pool / baseline', (pg) => cell(at(pg, 'graphql'), at(pg, 'baseline')));
  line('`GET /v1/verify`, warm pool / baseline', (pg) => cell(at(pg, 'rest'), at(pg, 'baseline')));
  line('GraphQL `verify`, cache off / baseline', (pg) => cell(at(pg, 'graphql-nocache'), at(pg, 'baseline')));
  line('`GET /v1/verify`, cache off / baseline', (pg) => cell(at(pg, 'rest-nocache'), at(pg, 'baseline')));
  line('GraphQL `verify`, Zipf / baseline (Zipf)', (pg) => cell(at(pg, 'graphql-zipf'), at(pg, 'baseline-zipf')));
  line('`GET /v1/verify`, Zipf / baseline (Zipf)', (pg) => cell(at(pg, 'rest-zipf'), at(pg, 'baseline-zipf')));
  line('Zipf cache hit rate (GraphQL)', (pg) => {
    const hits = at(pg, 'graphql-zipf').map((r) => r.cacheHitRate).filter((x): x is number => x !== null);
    return hits.length ? `${(median(hits) * 100).toFixed(1)}%` : '—';
  });
  line('service RSS after the Zipf runs', (pg) => {
    const rss = [...at(pg, 'graphql-zipf'), ...at(pg, 'rest-zipf')].map((r) => r.rss).filter((x): x is number => x !== null);
    return rss.length ? mib(median(rss)) : '—';
  });
  for (const [via, label] of [['in-process', '`registry.verifyMany`, in process'], ['graphql', '`verifyMany` over HTTP (GraphQL)']] as const) {
    line(`${label}, 1,000 cold keys: median (p90)`, (pg) => {
      const v = pg.verifyMany.find((x) => x.via === via && x.size === 1000 && (via === 'graphql' || x.state === 'cold'));
      return v ? `${fmtMs(median(v.ms))} (${fmtMs(percentile(v.ms, 90))})` : '—';
    });
  }
  line('`registry.verifyMany`, 1 cold key', (pg) => {
    const v = pg.verifyMany.find((x) => x.via === 'in-process' && x.size === 1 && x.state === 'cold');
    return v ? fmtMs(median(v.ms)) : '—';
  });
  L.push(`| machine load average (1 min) at start → end | ${sized.map((r) => (r.loadAverage ? `${r.loadAverage.start[0]!.toFixed(1)} → ${r.loadAverage.end[0]!.toFixed(1)}` : '— (see the size\'s report)')).join(' | ')} |`);
  L.push(`| rounds × seconds per run | ${sized.map((r) => `${r.options.rounds} × ${r.options.duration} s`).join(' | ')} |`);
  return L.join('\n');
}

async function main(): Promise<void> {
  const tableAt = argv.indexOf('--table');
  const tableFrom = tableAt >= 0 ? argv.slice(tableAt + 1, argv.findIndex((a, i) => i > tableAt && a.startsWith('--')) >>> 0) : null;
  const files: string[] = [];
  if (tableFrom) files.push(...tableFrom.map((f) => resolve(f)));
  else {
    const sizes = (get('sizes') ?? '300000,1000000,10000000').split(',').map((s) => Number(s.replace(/_/g, '')));
    if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes: positive whole numbers, separated by commas');
    for (const accounts of sizes) files.push(await benchAt(accounts, get('rounds') ?? '2'));
  }
  const runs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as RawResults));
  const table = renderScaleTable(runs);
  const text = [
    `# The bench at several sizes (${day})`,
    '',
    `Produced by \`pnpm bench:scale\` (test/bench/scale.ts) from the raw results ${files.map((f) => `\`${relative(REPO_ROOT, f)}\``).join(', ')}; each size's full report is beside this file. Ratios are service / baseline requests per second in the same round; latencies are the service's.`,
    '',
    table,
    '',
  ].join('\n');
  await writeFile(out, text);
  console.log(`[scale] table written to ${relative(REPO_ROOT, out)}\n\n${table}`);
}

await main();
