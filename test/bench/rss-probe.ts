/**
 * Why the service's RSS is far above its JS heap on the Zipf workload (issue 16), reproduced
 * small: starts service-process.ts against a PostgreSQL bench database (made by
 * `BENCH_PG_DATABASE=trust_bench_h3 pnpm bench --db postgres --accounts 100000 --keep-db ...`),
 * prefills it with Zipf draws, drives Zipf GraphQL load from another process (load-driver.ts,
 * autocannon), then prints process.memoryUsage() of the service and its /proc smaps_rollup.
 *
 *   node --import tsx test/bench/rss-probe.ts [--env MALLOC_ARENA_MAX=2] [--node-arg --max-semi-space-size=16]
 *     [--accounts 100000] [--prefill 120000] [--duration 10] [--connections 50] [--kind graphql] [--from-source]
 *     [--heap-profile out.heapprofile] [--cpu-profile out.cpuprofile] [--service-stdout]
 *
 * Each `--env` / `--node-arg` may be repeated; the database is BENCH_PG_DATABASE (default trust_bench_h3).
 * The service runs compiled, as `pnpm bench` runs it (compiled-servers.ts); `--from-source` runs it through tsx.
 * `--heap-profile` writes the load's allocations that outlived a scavenge (service-process.ts;
 * with `--env BENCH_HEAP_PROFILE=all`, every allocation, the scavenged ones too),
 * for Chrome DevTools' memory panel or a script; `--cpu-profile` a CPU profile of the load.
 */
import { readFileSync } from 'node:fs';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DATA_KEY, BENCH_ISSUER, collect, lastJsonLine, spawnTs } from './common.ts';
import { zipfUrls } from './data.ts';
import type { LoadResult } from './load-driver.ts';
import { compileBenchServers, spawnCompiled } from './compiled-servers.ts';

const argv = process.argv.slice(2);
const all = (name: string) => argv.flatMap((a, i) => (a === `--${name}` ? [argv[i + 1]!] : []));
const one = (name: string, fallback: string) => all(name)[0] ?? fallback;
const accounts = Number(one('accounts', '100000'));
const prefill = Number(one('prefill', '120000'));
const measured = 60_000;
const database = process.env.BENCH_PG_DATABASE ?? 'trust_bench_h3';
const shape = { accounts, members: Math.max(1, Math.round(accounts / 3)), seed: 20_261_130 };
const dir = await mkdtemp(join(tmpdir(), 'rss-probe-'));
const zipf = zipfUrls(shape, prefill + measured);
await writeFile(join(dir, 'prefill.json'), JSON.stringify(zipf.slice(0, prefill)));
await writeFile(join(dir, 'load.json'), JSON.stringify(zipf.slice(prefill)));
const extraEnv = Object.fromEntries(all('env').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

const fromSource = argv.includes('--from-source');
if (!fromSource) await compileBenchServers(['service-process.ts']);
const child = (fromSource ? spawnTs : spawnCompiled)('service-process.ts', [], {
  ipc: true,
  nodeArgs: ['--expose-gc', ...all('node-arg')],
  env: {
    BENCH_DB: 'postgres', DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`, TRUST_DATA_KEY: BENCH_DATA_KEY, TRUST_ISSUER: BENCH_ISSUER,
    NODE_ENV: 'production', BENCH_LOAD_SHEDDING: 'off', BENCH_PREFILL: join(dir, 'prefill.json'), BENCH_PREFILL_BUDGET_MS: '60000', ...extraEnv,
  },
});
child.stderr?.on('data', (d: Buffer) => process.stderr.write(`  [service] ${d}`));
// V8's traces (`--node-arg --trace-gc` and the like) print on the service's stdout.
if (argv.includes('--service-stdout')) child.stdout?.on('data', (d: Buffer) => process.stderr.write(`  [service] ${d}`));
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const line = out.split('\n').find((l) => l.trim().startsWith('{') && l.includes('"port"'));
    if (line) resolve((JSON.parse(line) as { port: number }).port);
  });
  child.on('exit', (code) => reject(new Error(`service exited ${code}`)));
});
type Stats = { cpu: { user: number; system: number }; spaces: Record<string, { size: number; used: number }>; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; cacheEntries: number; cache: { hits: number; misses: number }; gc: Record<string, { count: number; ms: number }> };
const ask = <T>(message: unknown, key: string) => new Promise<T>((resolve) => {
  const on = (m: unknown) => {
    if (m && typeof m === 'object' && key in m) {
      child.off('message', on);
      resolve(m as T);
    }
  };
  child.on('message', on);
  child.send(message as string);
});
const smaps = () => Object.fromEntries(readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8').split('\n').flatMap((l) => {
  const m = /^(\w+):\s+(\d+) kB/.exec(l);
  return m && ['Rss', 'Anonymous', 'Private_Dirty', 'Shared_Clean', 'Private_Clean'].includes(m[1]!) ? [[m[1]!, Math.round(Number(m[2]) / 1024)]] : [];
}));
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]);
const mib = (s: Stats) => ({ rss: s.rss >> 20, heapTotal: s.heapTotal >> 20, heapUsed: s.heapUsed >> 20, external: s.external >> 20, arrayBuffers: s.arrayBuffers >> 20, cacheEntries: s.cacheEntries, spacesMiB: Object.fromEntries(Object.entries(s.spaces).filter(([, v]) => v.size > 4 << 20).map(([k, v]) => [k, `${v.used >> 20}/${v.size >> 20}`])) });
const afterPrefill = await ask<Stats>('stats', 'rss');
console.log(JSON.stringify({ at: 'after prefill', ...mib(afterPrefill), smapsMiB: smaps(), threads: threads() }));
const heapProfile = all('heap-profile')[0];
if (heapProfile) await ask('heap-profile-start', 'heapProfiling');
const cpuProfile = all('cpu-profile')[0];
if (cpuProfile) await ask('profile-start', 'profiling');
const load = lastJsonLine<LoadResult>(await collect(spawnTs('load-driver.ts', [JSON.stringify({ origin: `http://127.0.0.1:${port}`, kind: one('kind', 'graphql'), urlsFile: join(dir, 'load.json'), connections: Number(one('connections', '50')), duration: Number(one('duration', '10')), warmup: 2 })])));
if (heapProfile) await ask({ heapProfileStop: heapProfile }, 'heapProfiled');
if (cpuProfile) await ask({ profileStop: cpuProfile }, 'profiled');
const after = await ask<Stats>('stats', 'rss');
const hitRate = (after.cache.hits - afterPrefill.cache.hits) / Math.max(1, after.cache.hits - afterPrefill.cache.hits + after.cache.misses - afterPrefill.cache.misses);
console.log(JSON.stringify({ at: 'after load', ...mib(after), smapsMiB: smaps(), threads: threads(), rps: Math.round(load.rps), p99: load.p99, hitRate: +hitRate.toFixed(3), gcDuringLoad: Object.fromEntries(Object.entries(after.gc).map(([kind, t]) => [kind, `${t.count - afterPrefill.gc[kind]!.count}×, ${Math.round(t.ms - afterPrefill.gc[kind]!.ms)} ms`])), serverCpuUsPerRequest: Math.round((after.cpu.user + after.cpu.system - afterPrefill.cpu.user - afterPrefill.cpu.system) / (load.requests * (1 + 2 / load.duration))), env: extraEnv, nodeArgs: all('node-arg'), loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') }));
child.send('stop');
await new Promise((r) => child.on('exit', r));
