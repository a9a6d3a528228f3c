/**
 * Where a verify costs CPU when the lookup cache cannot help (issue 16: the miss path), in
 * process and without load noise from other processes: an embedded registry (PGlite in memory,
 * lookup cache off) with a few verified members, asked the same questions through core
 * (`registry.verify`), GraphQL (`yoga.fetch('/graphql')`) and REST (`yoga.fetch('/v1/verify')`).
 * Prints wall and CPU (process.cpuUsage) µs per call for each path and, on PostgreSQL (DATABASE_URL: a database of its own,
 * dropped after), the SQL statements per call counted at the pg driver; with `--profile DIR`
 * writes a CPU profile per path and prints its top JavaScript functions. On a loaded machine the
 * natives (`writev`) absorb the time the process waited for a core: compare paths, not runs.
 *
 *   pnpm exec tsx test/bench/profile-cache-off.ts [--calls 3000] [--profile /tmp/prof] [--jit] [--repeat 3]
 *
 * `--jit` adds the path `graphql-jit` (the same app with graphql-jit executing); `--repeat N`
 * runs all paths N times in turn (A/B alternated in one process) and prints each pass.
 */
import { join } from 'node:path';
import { openProfiledRegistry } from './profiled-registry.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { startInProcessProfile } from './profile.ts';
import { VERIFY_QUERY } from './load-driver.ts';
import { cliArg, requireFromBench } from './common.ts';

const calls = Number(cliArg('calls') ?? 3000);
const profileDir = cliArg('profile');

const { test, urls } = await openProfiledRegistry({ lookupCache: false });
const { registry } = test;
const jit = process.argv.includes('--jit');
const app = createApp({ registry, graphiql: false, routes: publicRoutes(registry), publicRateLimit: 0, loadShedding: false, logError: () => {}, ...(jit ? { graphqlJit: false } : {}) });

// --jit: `graphql` executes with graphql-js and a second app, `graphql-jit`, with graphql-jit (A/B in one run).
const jitApp = jit ? createApp({ registry, graphiql: false, routes: publicRoutes(registry), publicRateLimit: 0, loadShedding: false, logError: () => {}, graphqlJit: true }) : null;
const graphqlOn = (target: typeof app) => async (url: string) => {
  const res = await target.yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: VERIFY_QUERY, variables: { url }, operationName: 'Verify' }),
  });
  const body = (await res.json()) as { data?: { verify?: { status: string } } };
  if (body.data?.verify?.status !== 'VERIFIED') throw new Error(`unexpected answer ${JSON.stringify(body).slice(0, 200)}`);
};

const paths: Record<string, (url: string) => Promise<unknown>> = {
  core: (url) => registry.verify({ url }),
  ...(jitApp ? { 'graphql-jit': graphqlOn(jitApp) } : {}),
  graphql: graphqlOn(app),
  rest: async (url) => {
    const res = await app.yoga.fetch(`http://bench/v1/verify?url=${encodeURIComponent(url)}`, { headers: { accept: 'application/json' } });
    const body = (await res.json()) as { status?: string };
    if (body.status !== 'VERIFIED') throw new Error(`unexpected answer ${JSON.stringify(body).slice(0, 200)}`);
  },
};

const run = async (path: (url: string) => Promise<unknown>, n: number) => {
  for (let i = 0; i < n; i++) await path(urls[i % urls.length]!);
};

// SQL statements per call, counted at the pg driver (PostgreSQL) to see what each path asks.
const pgClient = (requireFromBench('pg') as { Client: { prototype: { query: (...args: unknown[]) => unknown } } }).Client.prototype;
const originalQuery = pgClient.query;
const statements = new Map<string, number>();
pgClient.query = function (this: unknown, ...args: unknown[]) {
  const config = args[0] as string | { text?: string; name?: string };
  const text = typeof config === 'string' ? config : (config?.name ?? config?.text ?? '?');
  statements.set(text.slice(0, 80), (statements.get(text.slice(0, 80)) ?? 0) + 1);
  return originalQuery.apply(this, args);
};

const results: Record<string, number> = {};
const cpuResults: Record<string, number> = {};
const rounded = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]));
const repeat = Number(cliArg('repeat') ?? 1);
for (let pass = 1; pass <= repeat; pass++) {
  for (const [name, path] of Object.entries(paths)) {
    if (pass === 1) await run(path, Math.min(500, calls)); // warm-up (JIT, plans)
    const stopProfile = profileDir ? await startInProcessProfile() : null;
    statements.clear();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await run(path, calls);
    const cpu = process.cpuUsage(c0);
    cpuResults[name] = (cpu.user + cpu.system) / calls;
    if (statements.size) console.log(`${name}: SQL statements per call`, Object.fromEntries([...statements].map(([k, v]) => [k, +(v / calls).toFixed(2)])));
    results[name] = ((performance.now() - t0) * 1000) / calls;
    await stopProfile?.(join(profileDir!, `${name}${repeat > 1 ? `-${pass}` : ''}.cpuprofile`), name);
  }
  if (repeat > 1) console.log(JSON.stringify({ pass, calls, usPerCall: rounded(results), cpuUsPerCall: rounded(cpuResults) }));
}
// Wall µs per call includes waiting for PostgreSQL and for a core; CPU µs per call (this process's
// user + system time, process.cpuUsage) is what to compare on a shared machine.
console.log(JSON.stringify({ calls, usPerCall: rounded(results), cpuUsPerCall: rounded(cpuResults) }));
await test.close();
