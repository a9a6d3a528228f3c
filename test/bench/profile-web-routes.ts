/**
 * CPU per request of the public web routes beside `GET /v1/verify` (issue 12's targets are ratios
 * to it), in process and with the lookup cache warm: an embedded registry with 20 verified members,
 * each route asked 1,500 times per round through `yoga.fetch`, the last of three rounds printed.
 * CPU time (process.cpuUsage) rather than requests per second, so a busy machine moves it less.
 *
 *   pnpm exec tsx test/bench/profile-web-routes.ts
 */
import { openProfiledRegistry } from './profiled-registry.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { webRoutes } from '../../services/api/src/web/index.ts';
const { test, urls } = await openProfiledRegistry();
const { registry } = test;
const app = createApp({ registry, graphiql: false, routes: [...publicRoutes(registry), ...webRoutes(registry)], publicRateLimit: 0, loadShedding: false, logError: () => {} });
const paths: Record<string, (u: string) => string> = {
  rest: (u) => `http://b/v1/verify?url=${encodeURIComponent(u)}`,
  page: (u) => `http://b/?url=${encodeURIComponent(u)}`,
  badge: (u) => `http://b/badge/account.svg?url=${encodeURIComponent(u)}`,
};
for (let round = 0; round < 3; round++) {
  for (const [name, make] of Object.entries(paths)) {
    const n = 1500;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const res = await app.yoga.fetch(make(urls[i % urls.length]!));
      if (res.status !== 200) throw new Error(`${name} ${res.status}`);
      await res.text();
    }
    const used = process.cpuUsage(start);
    if (round === 2) console.log(name, Math.round((used.user + used.system) / n), 'µs CPU per request');
  }
}
await app.close?.();
await test.close();
process.exit(0);
