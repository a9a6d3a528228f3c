/**
 * `pnpm start`: opens the registry (embedded PGlite in TRUST_DATA_DIR, default ./.data, unless
 * DATABASE_URL names PostgreSQL), connects the public rate limit to Redis when REDIS_URL is set
 * (shared by all replicas; otherwise counted in this process), applies migrations, seeds the demo data on the first run of
 * the EMBEDDED database only, serves http://localhost:4000/graphql (PORT overrides), and shuts
 * down cleanly on SIGINT/SIGTERM. Beside /graphql it serves /v1/verify, /.well-known/jwks.json,
 * /.well-known/trust-alliance(/keys) and /status-lists/<id> (src/http).
 */
import { resolve } from 'node:path';
import { openRegistry } from '@trust-alliance/core';
import { loadConfig } from './config.ts';
import { createApp } from './server/create-yoga.ts';
import { redisUrlForLog } from './server/rate-limit.ts';
import { listen } from './server/http.ts';
import { adminRoutes, newAdminSecret, removeServiceFile, writeServiceFile } from './server/admin.ts';
import { hasMembers, seedDemo } from './demo/seed-demo.ts';
import { accessTokensFor } from './auth/access-tokens.ts';
import { publicRoutes } from './http/index.ts';

const config = loadConfig();
const embedded = config.databaseUrl === undefined;
const dataDir = resolve(config.dataDir);

console.log(embedded ? `Opening the embedded database in ${dataDir}` : 'Opening PostgreSQL (DATABASE_URL)');
const registry = await openRegistry({
  databaseUrl: config.databaseUrl,
  dataDir,
  issuer: config.issuer,
  statusListTtlSeconds: config.statusListTtlSeconds,
  onProgress: (m) => console.log(`  ${m}`),
});

if (embedded && !(await hasMembers(registry))) {
  console.log('First run on the embedded database: loading the demo data…');
  const summary = await seedDemo(registry, { log: (m) => console.log(`  ${m}`) });
  if (!summary.seeded) console.log(`  skipped: ${summary.reason}`);
}

const secret = newAdminSecret();
const tokens = accessTokensFor(registry);
const routes = [...publicRoutes(registry), ...(embedded ? adminRoutes({ registry, tokens, secret }) : [])];
const app = createApp({
  registry,
  tokens,
  oidc: config.oidc,
  graphiql: !config.production,
  routes,
  publicRateLimit: config.publicRateLimit,
  rateLimitRedis: config.redisUrl === undefined ? null : { url: config.redisUrl },
  trustedProxyHops: config.trustedProxyHops,
});
console.log(
  config.publicRateLimit === 0
    ? 'Public rate limit: off (TRUST_PUBLIC_RATE_LIMIT=0)'
    : `Public rate limit: ${config.publicRateLimit} requests a minute per address without a token, ${config.redisUrl === undefined ? 'counted in this process (set REDIS_URL to share it between replicas)' : `shared in Redis at ${redisUrlForLog(config.redisUrl)}`}${config.trustedProxyHops > 0 ? `; addresses read from X-Forwarded-For behind ${config.trustedProxyHops} trusted proxy hop(s)` : ''}`,
);
const server = await listen(app, { port: config.port, host: config.host });
if (embedded) await writeServiceFile(dataDir, { pid: process.pid, origin: `http://127.0.0.1:${server.port}`, adminSecret: secret, startedAt: new Date().toISOString() });

const url = `${server.origin}/graphql`;
console.log(`
Trust Alliance Registry API on ${url}${config.production ? '' : `
GraphiQL: open ${url} in a browser and paste:

  { verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/?ref=share" }) { status member { displayName } badges { program status expiresAt } } }
`}
or from a shell:

  curl -s ${url} -H 'content-type: application/json' \\
    -d '{"query":"{ verify(input: { url: \\"https://m.facebook.com/TinNhiemSo.CanTho/?ref=share\\" }) { status } }"}'
`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await server.close();
    await app.close();
    if (embedded) await removeServiceFile(dataDir);
    await registry.close();
  } finally {
    clearTimeout(force);
    process.exit(0);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
