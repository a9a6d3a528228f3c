/**
 * CPU per request of the public web routes beside `GET /v1/verify` (issue 12's targets are ratios
 * to it), and of GraphQL `verify` (the bench's query, graphql-jit on as in production), in process
 * and with the lookup cache warm: an embedded registry with 20 verified members, each route asked
 * 1,500 times per round through `yoga.fetch`, every round after the first (the warm-up) printed.
 * CPU time (process.cpuUsage) rather than requests per second, so a busy machine moves it less;
 * what is left once the lookup is cached is the cost of the HTTP layer and of the answer's shape.
 *
 *   NODE_ENV=production pnpm exec tsx test/bench/profile-web-routes.ts [--rounds 3] [--only graphql,rest]
 */
import { openProfiledRegistry } from './profiled-registry.ts';
import { VERIFY_QUERY } from './load-driver.ts';
import { cliArg } from './common.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { webRoutes } from '../../services/api/src/web/index.ts';
const { test, urls } = await openProfiledRegistry();
const { registry } = test;
const app = createApp({ registry, graphiql: false, routes: [...publicRoutes(registry), ...webRoutes(registry)], publicRateLimit: 0, loadShedding: false, logError: () => {} });
const rounds = Number(cliArg('rounds') ?? 3);
const get = (url: string): [string, RequestInit] => [url, {}];
const paths: Record<string, (u: string) => [string, RequestInit]> = {
  rest: (u) => get(`http://b/v1/verify?url=${encodeURIComponent(u)}`),
  page: (u) => get(`http://b/?url=${encodeURIComponent(u)}`),
  badge: (u) => get(`http://b/badge/account.svg?url=${encodeURIComponent(u)}`),
  // As the bench's load driver sends it (load-driver.ts).
  graphql: (u) => ['http://b/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: VERIFY_QUERY, variables: { url: u }, operationName: 'Verify' }),
  }],
};
const only = cliArg('only')?.split(',') ?? Object.keys(paths);
for (let round = 0; round < rounds; round++) {
  for (const [name, make] of Object.entries(paths).filter(([name]) => only.includes(name))) {
    const n = 1500;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const res = await app.yoga.fetch(...make(urls[i % urls.length]!));
      if (res.status !== 200) throw new Error(`${name} ${res.status}`);
      await res.text();
    }
    const used = process.cpuUsage(start);
    if (round > 0) console.log(`round ${round}`, name, Math.round((used.user + used.system) / n), 'µs CPU per request');
  }
}
await app.close?.();
await test.close();
process.exit(0);
