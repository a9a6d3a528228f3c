/**
 * `pnpm start`: opens the registry (embedded PGlite in TRUST_DATA_DIR, default ./.data, unless
 * DATABASE_URL names PostgreSQL), connects the public rate limit to Redis when REDIS_URL is set
 * (shared by all replicas; otherwise counted in this process), applies migrations, seeds the demo data on the first run of
 * the EMBEDDED database only, serves http://localhost:4000/graphql (PORT overrides), and shuts
 * down cleanly on SIGINT/SIGTERM. Beside /graphql it serves /v1/verify, /.well-known/jwks.json,
 * /.well-known/trust-alliance(/keys) and /status-lists/<id> (src/http), and the public pages
 * (/, /about, /verify/badge/<id>, /members/<id>, /programs, /programs/<program>, /warnings, /report,
 * badge images: src/web).
 *
 * In production run this file in ONE process, `node --import tsx services/api/src/main.ts`, and
 * send SIGTERM to that process: it stops accepting connections, lets requests in flight finish
 * for up to 5 s, closes the registry (releasing the data folder's lock) and removes
 * `api-service.json`, then exits 0 (1 if that took longer than 10 s). A signal that arrives while
 * the service is still starting stops it as soon as the registry is open. Under `pnpm start`,
 * SIGTERM to pnpm makes pnpm exit without passing it on; this process then sees its launcher gone
 * and stops the same way. A registry that refuses to open (wrong data key, a folder held by
 * another process or read-only) is reported in one message, without a stack, and exit code 1.
 * The configuration is read once, first (config.ts): a bad variable stops the start the same way,
 * naming it in Vietnamese and English, with exit code 4. Everything after that logs through pino.
 */
import { resolve } from 'node:path';
import { DEFAULT_MAX_LAG_MS, openRegistry, RegistryError, type Registry } from '@trust-alliance/core';
import { ConfigError, CONFIG_EXIT_CODE, loadConfig, type ApiConfig } from './config.ts';
import { createApp } from './server/create-yoga.ts';
import { redisUrlForLog } from './server/rate-limit.ts';
import { listen } from './server/http.ts';
import { adminRoutes } from './http/admin.ts';
import { newAdminSecret, removeServiceFile, writeServiceFile } from './lifecycle/service-file.ts';
import { hasMembers, seedDemo } from './demo/seed-demo.ts';
import { accessTokensFor } from './auth/access-tokens.ts';
import { publicRoutes } from './http/index.ts';
import { webRoutes } from './web/index.ts';
import { watchLaunchers } from './lifecycle/launcher-watch.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { startMetricsServer } from './observability/metrics-server.ts';
import { applyServiceV8Flags } from './lifecycle/heap-tuning.ts';

// Before any request or batch can feed V8's pretenuring (lifecycle/heap-tuning.ts).
const v8Flags = applyServiceV8Flags();

let config: ApiConfig;
try {
  // The one read of the environment (config.ts); everything below gets its settings from `config`.
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // Before the logger exists (LOG_LEVEL is a setting): the variable, the problem and an example
  // in both languages, on stderr, no stack; the CLI's exit code for a configuration (4).
  console.error(`\n${error.message}\n`);
  process.exit(CONFIG_EXIT_CODE);
}
const webhookSettings = config.webhooks;
// JSON lines for collectors; pino-pretty only on a terminal outside production.
const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true && !config.production });
const embedded = config.databaseUrl === undefined;
const dataDir = resolve(config.dataDir);

/** Longest time a stop may take before the process exits anyway (code 1). */
const STOP_DEADLINE_MS = 10_000;
let stopRequested: string | null = null;
let stop: ((signal: string) => Promise<void>) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop) void stop(signal);
    else stopRequested ??= signal;
  });
}

// Whoever read our output (a launcher's pipe) may be gone: a failed write must not crash the stop.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

// pnpm does not pass SIGTERM on (lifecycle/launcher-watch.ts): under a package manager, a launcher
// that exits is taken as the stop signal. Watched from the start, before pnpm can be killed unseen.
if (config.underPackageManager) {
  watchLaunchers(() => {
    const signal = 'SIGTERM to the launcher (pnpm)';
    if (stop) void stop(signal);
    else stopRequested ??= signal;
  });
}

logger.info(
  { database: embedded ? 'embedded' : 'postgresql', ...(embedded ? { dataDir } : {}), v8Flags, ...(config.readReplicas ? { readReplicas: config.readReplicas.urls.length, readMaxLagMs: config.readReplicas.maxLagMs ?? DEFAULT_MAX_LAG_MS } : {}) },
  embedded
    ? `opening the embedded database in ${dataDir}`
    : `opening PostgreSQL (DATABASE_URL${config.readReplicas ? `; verify reads on ${config.readReplicas.urls.length} read replica(s) at most ${config.readReplicas.maxLagMs ?? DEFAULT_MAX_LAG_MS} ms behind, DATABASE_READ_URL` : ''})`,
);
let registry: Registry;
try {
  registry = await openRegistry({
    databaseUrl: config.databaseUrl,
    readReplicas: config.readReplicas,
    dataDir,
    issuer: config.issuer,
    dataKey: config.dataKey,
    previousDataKey: config.previousDataKey,
    signingAlgorithm: config.signingAlgorithm,
    statusListTtlSeconds: config.statusListTtlSeconds,
    webhooks: { allowLoopback: webhookSettings.allowLoopback },
    onProgress: (m) => logger.info({ component: 'registry' }, m),
  });
} catch (error) {
  // Expected refusals (wrong key, folder in use, read-only folder) carry their own explanation.
  if (!(error instanceof RegistryError)) throw error;
  console.error(`\n${error.message}\n(${error.code})`);
  process.exit(1);
}
if (stopRequested) {
  await registry.close();
  process.exit(0);
}

if (embedded && !(await hasMembers(registry))) {
  logger.info('first run on the embedded database: loading the demo data');
  const summary = await seedDemo(registry, { log: (m) => logger.info({ component: 'seed' }, m) });
  if (!summary.seeded) logger.info({ component: 'seed' }, `skipped: ${summary.reason}`);
}

const secret = newAdminSecret();
const tokens = accessTokensFor(registry);
const routes = [...publicRoutes(registry), ...webRoutes(registry), ...(embedded ? adminRoutes({ registry, tokens, secret }) : [])];
const metrics = config.metrics ? createMetrics(registry) : null;
const app = createApp({
  registry,
  logger,
  metrics,
  tokens,
  // /ready then also checks that the embedded data folder can be written (a full disk is not ready).
  ...(embedded ? { dataDir } : {}),
  oidc: config.oidc,
  graphiql: !config.production,
  introspection: config.introspection,
  loadShedding: config.loadShedding ? {} : false,
  tokenRateLimits: config.tokenRateLimits,
  routes,
  publicRateLimit: config.publicRateLimit,
  rateLimitRedis: config.redisUrl === undefined ? null : { url: config.redisUrl },
  trustedProxyHops: config.trustedProxyHops,
});
logger.info(
  { publicRateLimit: config.publicRateLimit, shared: config.redisUrl !== undefined, trustedProxyHops: config.trustedProxyHops },
  config.publicRateLimit === 0
    ? 'Public rate limit: off (TRUST_PUBLIC_RATE_LIMIT=0)'
    : `Public rate limit: ${config.publicRateLimit} requests a minute per address without a token, ${config.redisUrl === undefined ? 'counted in this process (set REDIS_URL to share it between replicas)' : `shared in Redis at ${redisUrlForLog(config.redisUrl)}`}${config.trustedProxyHops > 0 ? `; addresses read from X-Forwarded-For behind ${config.trustedProxyHops} trusted proxy hop(s)` : ''}`,
);
const server = await listen(app, { port: config.port, host: config.host });
const metricsServer = metrics && config.metrics ? await startMetricsServer(metrics, config.metrics) : null;
if (metricsServer) logger.info({ metrics: `${metricsServer.origin}/metrics` }, 'metrics listener started');
if (embedded) await writeServiceFile(dataDir, { pid: process.pid, origin: `http://127.0.0.1:${server.port}`, adminSecret: secret, startedAt: new Date().toISOString() });

// Webhooks (issue 15): this process sends the outbox's deliveries (with other replicas, each event once).
if (webhookSettings.allowLoopback) logger.warn('TRUST_WEBHOOKS_ALLOW_LOOPBACK=1: webhooks may go to http on loopback. UNSAFE: for development and tests only.');
const webhookWorker = webhookSettings.enabled
  ? registry.startWebhookDelivery({ ...webhookSettings.worker, ...(metrics ? { onDelivery: metrics.onWebhookDelivery } : {}), onError: (error) => logger.error({ err: error }, 'webhook delivery failed') })
  : null;

const url = `${server.origin}/graphql`;
// Tests and supervisors wait for this line ("API on <origin>/graphql").
logger.info({ origin: server.origin, graphql: url }, `Trust Alliance Registry API on ${url}`);
if (!config.production) {
  logger.info(
    { graphiql: url },
    `GraphiQL: open ${url} in a browser and paste { verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/?ref=share" }) { status member { displayName } badges { program status expiresAt } } }`,
  );
}

let stopping = false;
stop = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, `${signal}: shutting down`);
  const force = setTimeout(() => {
    logger.error(`stopping took more than ${STOP_DEADLINE_MS / 1000} s: exiting anyway`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  force.unref();
  let code = 0;
  try {
    await server.close();
    // Deliveries in flight are abandoned (sent again later: at least once) and leases released.
    await webhookWorker?.stop();
    await metricsServer?.close();
    await app.close();
    if (embedded) await removeServiceFile(dataDir);
    await registry.close();
  } catch (error) {
    logger.error({ err: error }, `error while stopping: ${(error as Error).message}`);
    code = 1;
  } finally {
    clearTimeout(force);
    logger.info({ code }, code === 0 ? 'stopped: every request answered, the registry closed' : 'stopped after an error');
    logger.flush?.();
    process.exit(code);
  }
};
if (stopRequested) void stop(stopRequested);

