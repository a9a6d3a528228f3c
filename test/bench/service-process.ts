/**
 * The service under test, in a process of its own: opens the registry on the bench database and
 * serves the API's node:http handler (`createApp` + `listen` from services/api/src/server) on an
 * ephemeral loopback port, like `pnpm start` does, with NODE_ENV=production (set by run.ts).
 * run.ts runs it compiled (compiled-servers.ts: the packages' dist/, no tsx), as production runs
 * the service; with `--from-source`, through tsx on the TypeScript sources.
 *
 * Extra routes (`GET /v1/verify`, JWKS, status lists) are wired the way the API's own main.ts
 * wires them: `publicRoutes(registry)` from services/api/src/http/index.ts, then the public pages
 * and badge images, `webRoutes(registry)` from services/api/src/web/index.ts (the admin routes of
 * the embedded database are left out).
 *
 * Bench-only extras, never in the real service: it prints one JSON line
 * `{"port","token","routes"}` when ready (the token is a PLATFORM access token for
 * `verifyMany`), and answers IPC messages: `stats` → `{ rss, heapUsed, cpu, cache, gc }`;
 * `profile-start` / `{ profileStop: file }` → a CPU profile of that window (node:inspector);
 * `heap-profile-start` / `{ heapProfileStop: file }` → a sampling allocation profile of that window
 * that keeps the objects a scavenge did not free (what gets promoted), whether or not a later
 * mark-compact freed them;
 * `cache-memory` → `{ cacheMemory: { entries, bytes, ring } }` (the lookup cache's ring, index and lookalikes, and the heap freed by clearing it);
 * `stop` → closes and exits 0.
 *
 * Environment: BENCH_DB=postgres|pglite, DATABASE_URL or TRUST_DATA_DIR, TRUST_DATA_KEY,
 * TRUST_ISSUER, DATABASE_READ_URL (read replicas); BENCH_LOOKUP_CACHE=off opens the registry without its hot-lookup cache;
 * BENCH_LOAD_SHEDDING=off serves without load shedding (run.ts --no-shedding); BENCH_V8_FLAGS=off
 * skips the V8 flags the service sets on itself (services/api/src/lifecycle/heap-tuning.ts);
 * BENCH_PREFILL=<file> (a JSON array of URLs) answers them once before the port is printed
 * (for at most BENCH_PREFILL_BUDGET_MS), and again on IPC `prefill` (answer `{ refilled }`), the
 * lookup cache emptied first.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import v8 from 'node:v8';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { openRegistry, readReplicasFromEnv, type Registry } from '@trust-alliance/core';
import { registryInternals } from '@trust-alliance/core/testing';
import { REPO_ROOT } from './common.ts';

// Compiled by compiled-servers.ts (BENCH_SERVICE_BUILD=dist), the API is imported from its dist/,
// as production runs it; through tsx (`pnpm bench --from-source`), from its TypeScript sources.
const FROM_DIST = process.env.BENCH_SERVICE_BUILD === 'dist';
const EXT = FROM_DIST ? '.js' : '.ts';
const apiModule = (path: string) => pathToFileURL(join(REPO_ROOT, 'services/api', FROM_DIST ? 'dist' : 'src', `${path}${EXT}`)).href;
const API_SERVER = join(REPO_ROOT, 'services/api', FROM_DIST ? 'dist' : 'src', 'server');
const SKIP = new Set(['create-yoga', 'http', 'admin', 'limits', 'mask-error'].map((name) => `${name}${EXT}`));

interface RouteLike {
  path: string | RegExp;
  handle: (...args: never[]) => unknown;
}
type AppModule = { createApp: (options: Record<string, unknown>) => { handler: unknown; tokens?: { issueAccessToken(i: { role: string; subject?: string; ttlSeconds?: number }): Promise<string> } } };
type HttpModule = { listen: (app: unknown, options: { port: number; host?: string }) => Promise<{ port: number; close(): Promise<void> }> };
type TokensModule = { accessTokensFor: (registry: Registry, options: { issuer: string }) => { issueAccessToken(i: { role: string; subject?: string; ttlSeconds?: number }): Promise<string> } };

// The V8 settings the real service gives itself at start (main.ts), from the same module;
// BENCH_V8_FLAGS=off leaves Node's defaults, for an A/B (rss-probe.ts --env BENCH_V8_FLAGS=off).
const { applyServiceV8Flags } = (await import(apiModule('lifecycle/heap-tuning'))) as { applyServiceV8Flags: () => string[] };
const v8Flags = process.env.BENCH_V8_FLAGS === 'off' ? [] : applyServiceV8Flags();

const issuer = process.env.TRUST_ISSUER ?? 'http://127.0.0.1:4000';
const cacheOff = process.env.BENCH_LOOKUP_CACHE === 'off';
const registry = await openRegistry({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.TRUST_DATA_DIR,
  dataKey: process.env.TRUST_DATA_KEY,
  issuer,
  // DATABASE_READ_URL (the bench's replica row): verify's reads on a streaming replica.
  readReplicas: readReplicasFromEnv(process.env),
  ...(cacheOff ? { lookupCache: false } : {}),
} as Parameters<typeof openRegistry>[0]);

const { createApp } = (await import(apiModule('server/create-yoga'))) as AppModule;
const { listen } = (await import(apiModule('server/http'))) as HttpModule;
let tokens: ReturnType<TokensModule['accessTokensFor']> | undefined;
try {
  const mod = (await import(apiModule('auth/access-tokens'))) as TokensModule;
  tokens = mod.accessTokensFor(registry, { issuer });
} catch {
  tokens = undefined;
}

// Routes beside GraphQL, wired as main.ts wires them: `publicRoutes(registry)` from
// services/api/src/http/index.ts (`/v1/verify`, `/.well-known/*`, status lists). Without that
// module, any `…Routes` export of services/api/src/server/*.ts is tried instead.
const routes: RouteLike[] = [];
const routeSources: string[] = [];
let publicRoutes: ((registry: Registry) => RouteLike[]) | undefined;
try {
  publicRoutes = ((await import(apiModule('http/index'))) as { publicRoutes?: (registry: Registry) => RouteLike[] }).publicRoutes;
} catch (error) {
  console.error(`[bench service] no services/api/src/http/index.ts: ${(error as Error).message.split('\n')[0]}`);
}
if (typeof publicRoutes === 'function') {
  const list = publicRoutes(registry);
  routes.push(...list);
  routeSources.push(`http/index.ts:publicRoutes (${list.map((r) => String(r.path)).join(', ')})`);
} else {
  for (const file of (await readdir(API_SERVER)).filter((f) => f.endsWith(EXT) && !f.endsWith(`.test${EXT}`) && !SKIP.has(f)).sort()) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(API_SERVER, file)).href)) as Record<string, unknown>;
    } catch (error) {
      console.error(`[bench service] cannot import ${file}: ${(error as Error).message}`);
      continue;
    }
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || !/Routes?$/.test(name) || /^admin/i.test(name) || /^[A-Z]/.test(name)) continue;
      try {
        const made = await (value as (o: unknown) => unknown)({ registry, tokens, issuer });
        const list = (Array.isArray(made) ? made : [made]).filter((r): r is RouteLike => !!r && typeof r === 'object' && 'path' in r && 'handle' in r);
        if (list.length) {
          routes.push(...list);
          routeSources.push(`${file}:${name} (${list.map((r) => String(r.path)).join(', ')})`);
        }
      } catch (error) {
        console.error(`[bench service] ${file}:${name} did not give routes: ${(error as Error).message}`);
      }
    }
  }
}

// The public pages and badge images (services/api/src/web), as main.ts adds them after publicRoutes.
try {
  const { webRoutes } = (await import(apiModule('web/index'))) as { webRoutes?: (registry: Registry) => RouteLike[] };
  if (typeof webRoutes === 'function') {
    const list = webRoutes(registry);
    routes.push(...list);
    routeSources.push(`web/index.ts:webRoutes (${list.length} routes)`);
  }
} catch (error) {
  console.error(`[bench service] no services/api/src/web/index.ts: ${(error as Error).message.split('\n')[0]}`);
}

// As main.ts configures it under NODE_ENV=production (config.ts): createApp reads no environment itself.
const app = createApp({ registry, issuer, ...(tokens ? { tokens } : {}), graphiql: false, introspection: false, loadShedding: process.env.BENCH_LOAD_SHEDDING === 'off' ? false : {}, routes, publicRateLimit: 0, logError: (incident: string, error: unknown) => console.error(`[bench service] masked error ${incident}:`, error) });
tokens ??= app.tokens;

// Answer the prefill list once (the state of a service that has been up for a while).
// Stops after BENCH_PREFILL_BUDGET_MS (a slow build must not stall the bench); reports how many.
// IPC `prefill` does it again (answers `{ refilled }`): the lookup cache keeps an answer 60 s, so
// run.ts refills before a measured run that would otherwise start with entries about to expire.
async function prefill(): Promise<number> {
  if (!process.env.BENCH_PREFILL || cacheOff) return 0;
  let done = 0;
  const urls = JSON.parse(await readFile(process.env.BENCH_PREFILL, 'utf8')) as string[];
  const deadline = Date.now() + Number(process.env.BENCH_PREFILL_BUDGET_MS ?? 60_000);
  for (let i = 0; i < urls.length && Date.now() < deadline; i += 250) {
    const chunk = urls.slice(i, i + 250);
    await registry.verifyMany(chunk.map((url) => ({ url })));
    done += chunk.length;
  }
  return done;
}
const prefilled = await prefill();

const server = await listen(app, { port: 0, host: '127.0.0.1' });
let token: string | null = null;
try {
  token = tokens ? await tokens.issueAccessToken({ role: 'PLATFORM', subject: 'bench', ttlSeconds: 24 * 3600 }) : null;
} catch (error) {
  console.error(`[bench service] no PLATFORM token: ${(error as Error).message}`);
}
console.log(JSON.stringify({ port: server.port, token, routes: routeSources, lookupCache: !cacheOff, prefilled, v8Flags }));

// Garbage collections since start, by kind (count and pause milliseconds): `stats` reports them,
// so a caller can tell what a window of load cost in scavenges and mark-compacts.
const gcTotals: Record<'minor' | 'major' | 'incremental' | 'weak', { count: number; ms: number }> = { minor: { count: 0, ms: 0 }, major: { count: 0, ms: 0 }, incremental: { count: 0, ms: 0 }, weak: { count: 0, ms: 0 } };
const GC_KINDS = { [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' } as const;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1) as keyof typeof GC_KINDS];
    if (!kind) continue;
    gcTotals[kind].count++;
    gcTotals[kind].ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

function cacheStats(): { hits: number; misses: number } {
  const { lookupCacheHits, lookupCacheMisses } = registry.counters();
  return { hits: lookupCacheHits, misses: lookupCacheMisses };
}

/**
 * A profile of a window over node:inspector: `start` posts `commands` and answers `{ [started]: true }`;
 * `stop(file)` posts `stopCommand`, writes the profile it returns and answers `{ [done]: file }`.
 */
function inspectorWindow(commands: [method: string, params?: object][], stopCommand: string, started: string, done: string) {
  let session: Session | null = null;
  const post = (method: string, params?: object) => (session!.post as (method: string, params?: object) => Promise<unknown>).call(session, method, params);
  return {
    async start(): Promise<void> {
      session = new Session();
      session.connect();
      for (const [method, params] of commands) await post(method, params);
      process.send?.({ [started]: true });
    },
    async stop(file: string): Promise<void> {
      if (!session) return void process.send?.({ [done]: null });
      const { profile } = (await post(stopCommand)) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      session = null;
      process.send?.({ [done]: file });
    },
  };
}

// CPU profile of a window (the measured load only, not start-up): IPC `profile-start`, then
// `{ profileStop: file }` → writes the .cpuprofile and answers `{ profiled: file }`.
const cpuProfile = inspectorWindow([['Profiler.enable'], ['Profiler.setSamplingInterval', { interval: 200 }], ['Profiler.start']], 'Profiler.stop', 'profiling', 'profiled');

// Allocation profile of a window that drops what the young generation's scavenges freed and keeps
// the rest: the live objects and those promoted only to die in the old space (the mark-compacts'
// work, and what lets the old space grow). IPC `heap-profile-start`, then `{ heapProfileStop: file }`.
// BENCH_HEAP_PROFILE=all keeps what the scavenges freed too: every allocation, where the young
// generation's churn (and so the scavenges' count) comes from.
const everyAllocation = process.env.BENCH_HEAP_PROFILE === 'all';
const heapProfile = inspectorWindow(
  [['HeapProfiler.enable'], ['HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: everyAllocation }]],
  'HeapProfiler.stopSampling', 'heapProfiling', 'heapProfiled',
);

process.on('message', (message: unknown) => {
  if (message === 'profile-start') void cpuProfile.start();
  if (message === 'heap-profile-start') void heapProfile.start();
  if (message && typeof message === 'object' && 'heapProfileStop' in message) void heapProfile.stop(String((message as { heapProfileStop: string }).heapProfileStop));
  if (message === 'prefill') {
    // Emptied first: a hit does not renew an entry's age, so answering the pool again alone would
    // leave the first fill's entries to expire in the middle of a later run.
    registryInternals(registry).context.lookups.clear();
    void prefill().then((refilled) => process.send?.({ refilled }));
  }
  if (message && typeof message === 'object' && 'profileStop' in message) void cpuProfile.stop(String((message as { profileStop: string }).profileStop));
  if (message === 'stats') {
    const m = process.memoryUsage();
    process.send?.({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, { size: x.space_size, used: x.space_used_size }])), cpu: process.cpuUsage(), cache: cacheStats(), cacheEntries: registryInternals(registry).context.lookups.size, gc: structuredClone(gcTotals), routing: registry.readRouting() });
  }
  // What the lookup cache holds: the heap and buffer memory freed by clearing it (after a full GC each side; needs
  // --expose-gc). It empties the cache, so it is asked for last.
  if (message === 'cache-memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    const lookups = registryInternals(registry).context.lookups;
    const entries = lookups.size;
    const ring = lookups.memory();
    if (!gc) return void process.send?.({ cacheMemory: { entries, bytes: null, ring } });
    gc();
    gc();
    const full = process.memoryUsage();
    lookups.clear();
    gc();
    gc();
    const empty = process.memoryUsage();
    // The entries live in the cache's ring (kept across a clear); what clearing frees is what else they held.
    const heap = full.heapUsed - empty.heapUsed;
    const buffers = full.arrayBuffers - empty.arrayBuffers;
    process.send?.({ cacheMemory: { entries, bytes: heap + buffers, heap, buffers, ring } });
  }
  if (message === 'stop') {
    const force = setTimeout(() => process.exit(0), 8_000);
    force.unref();
    void server
      .close()
      .then(() => registry.close())
      .catch(() => {})
      .finally(() => process.exit(0));
  }
});
