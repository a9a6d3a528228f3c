/**
 * Logs and metrics of the service: one access line per request with the fields operators need
 * and nothing personal (every kind of secret is sent through requests and the captured output is
 * scanned for it), X-Request-ID generated unless a trusted proxy set it, and Prometheus counters
 * that move with the traffic.
 */
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedMember, openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { startReceiver } from '../../packages/core/test/webhooks/receiver.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { createLogger, yogaLogger } from '../../services/api/src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../services/api/src/observability/metrics.ts';
import { startMetricsServer, type MetricsServer } from '../../services/api/src/observability/metrics-server.ts';
import { requestIdOf } from '../../services/api/src/observability/request-id.ts';

let reg: TestRegistry;
let server: RunningServer;
let metricsServer: MetricsServer;
let output = '';
let officerToken = '';
let metrics: Metrics;

const SECRETS = {
  bogusToken: 'Bearer not.a-real.token-SECRET-4f1d',
  cookie: 'session=cookie-SECRET-77aa',
  forwarded: '203.0.113.77',
  loopback: '127.0.0.1',
  handle: 'nguyen.van.secretpage',
  phone: '0912345678',
  email: 'secret.person@example.vn',
  nationalId: '079201001234',
  requestId: 'client-forged-id-123',
};

beforeAll(async () => {
  reg = await openTestRegistry({ webhooks: { allowLoopback: true } });
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const logger = createLogger({ level: 'info', destination: stream });
  metrics = createMetrics(reg.registry);
  const app = createApp({ registry: reg.registry, routes: publicRoutes(reg.registry), logger, metrics, publicRateLimit: 40, trustedProxyHops: 0 });
  officerToken = await app.tokens.issueAccessToken({ role: 'OFFICER', subject: 'officer-secret-subject' });
  server = await listen(app, { port: 0, host: '127.0.0.1' });
  metricsServer = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await metricsServer?.close();
  await reg?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const scrape = async () => (await fetch(`${metricsServer.origin}/metrics`)).text();
const sample = (text: string, line: string): number => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
};
const accessLines = () => output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

describe('access log', () => {
  it('writes one line per request with route template, status, duration, role, pseudonym and request id, and echoes the id', async () => {
    const before = accessLines().length;
    const res = await post({ query: 'query Check { verify(input: { url: "https://facebook.com/someone.unknown" }) { status } }' }, { 'x-request-id': SECRETS.requestId });
    await res.text();
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe(SECRETS.requestId);
    const status = await fetch(`${server.origin}/status-lists/999`);
    await status.text();
    const lines = accessLines().slice(before);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ method: 'POST', route: '/graphql', status: 200, role: 'PUBLIC', requestId: id, caller: reg.registry.pseudonym('rate-limit', '127.0.0.1') });
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(lines[1]).toMatchObject({ method: 'GET', route: '/status-lists/:id', status: 404 });
    expect(lines[0]!.level).toBe(30);
  });

  it('names a token holder by a keyed pseudonym of its subject', async () => {
    const res = await post({ query: '{ verify(input: { url: "https://facebook.com/x" }) { status } }' }, { authorization: `Bearer ${officerToken}` });
    await res.text();
    const line = accessLines().at(-1)!;
    expect(line).toMatchObject({ role: 'OFFICER', caller: reg.registry.pseudonym('access-log-subject', 'OFFICER:officer-secret-subject') });
  });

  it('takes X-Request-ID only behind a trusted proxy, and only a sane one', () => {
    const req = (id: string) => ({ headers: { 'x-request-id': id } }) as unknown as IncomingMessage;
    expect(requestIdOf(req('abc-123'), 1)).toBe('abc-123');
    expect(requestIdOf(req('abc-123'), 0)).not.toBe('abc-123');
    expect(requestIdOf(req('bad id\n{"level":60}'), 1)).not.toContain('level');
  });

  it('never writes a secret, a personal field or a client address, whatever the requests carry', async () => {
    const headers = { cookie: SECRETS.cookie, 'x-forwarded-for': SECRETS.forwarded };
    const requests = [
      post({ query: '{ verify(input: { url: $u }) { status } }', variables: { u: `https://facebook.com/${SECRETS.handle}`, phone: SECRETS.phone, email: SECRETS.email, nationalId: SECRETS.nationalId } }, headers),
      post({ query: `mutation { registerMember(input: { kind: KOL, displayName: "${SECRETS.email}", province: "${SECRETS.phone}", nationalId: "${SECRETS.nationalId}" }) { id } }` }, { ...headers, authorization: `Bearer ${officerToken}` }),
      post({ query: '{ __typename }' }, { ...headers, authorization: SECRETS.bogusToken }),
      fetch(`${server.origin}/v1/verify?url=${encodeURIComponent(`https://facebook.com/${SECRETS.handle}`)}&phone=${SECRETS.phone}`, { headers }),
      fetch(`${server.origin}/${SECRETS.email}`, { headers }),
    ];
    for (const res of await Promise.all(requests)) {
      expect(res.status).toBeLessThan(500);
      await res.text();
    }
    expect(accessLines().length).toBeGreaterThanOrEqual(7);
    expect(accessLines().some((l) => l.status === 401 && l.role === 'UNAUTHENTICATED')).toBe(true);
    for (const secret of [...Object.values(SECRETS), officerToken, 'officer-secret-subject', officerToken.split('.')[2]!]) {
      expect(output, secret).not.toContain(secret);
    }
  });

  it('redacts secret and personal fields passed to the logger itself', () => {
    let text = '';
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info({ authorization: 'Bearer tok-SECRET', req: { headers: { authorization: 'Bearer h-SECRET', 'x-forwarded-for': '198.51.100.9' } }, member: { phone: '0987654321', nationalId: '001099001234', email: 'a@b.vn' }, ip: '198.51.100.10' }, 'x');
    expect(text).toContain('[redacted]');
    for (const secret of ['tok-SECRET', 'h-SECRET', '198.51.100.9', '0987654321', '001099001234', 'a@b.vn', '198.51.100.10']) expect(text, secret).not.toContain(secret);
  });
});

describe("Yoga's logger", () => {
  const capture = (level: 'info' | 'debug') => {
    let text = '';
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
    return { yoga: yogaLogger(createLogger({ level, destination: stream })), text: () => text };
  };

  it('builds no text for its debug lines while debug is off, and writes them when it is on', () => {
    let built = 0;
    const arg = { toJSON: () => (built++, 'params') };
    const quiet = capture('info');
    quiet.yoga.debug('Processing GraphQL Parameters', arg);
    quiet.yoga.info('Processing GraphQL Parameters', arg);
    expect(built).toBe(0);
    expect(quiet.text()).toBe('');
    const chatty = capture('debug');
    chatty.yoga.debug('Processing GraphQL Parameters', arg);
    expect(built).toBe(1);
    expect(chatty.text()).toContain('Processing GraphQL Parameters \\"params\\"');
  });

  it('keeps its warnings and drops its error lines (mask-error logs the unexpected ones)', () => {
    const quiet = capture('info');
    quiet.yoga.warn('a warning');
    quiet.yoga.error('an error');
    expect(quiet.text()).toContain('a warning');
    expect(quiet.text()).not.toContain('an error');
  });
});

describe('metrics', () => {
  it('serves Prometheus text whose counters move with the traffic', async () => {
    const before = await scrape();
    const res = await post({ query: 'query Check { verify(input: { url: "https://facebook.com/someone.unknown" }) { status } }' });
    await res.text();
    const v1 = await fetch(`${server.origin}/v1/verify?url=${encodeURIComponent('https://facebook.com/someone.unknown')}`);
    await v1.text();
    const after = await scrape();
    expect(sample(after, 'http_request_duration_seconds_count{method="POST",route="/graphql",status="200"}')).toBe(sample(before, 'http_request_duration_seconds_count{method="POST",route="/graphql",status="200"}') + 1);
    expect(sample(after, 'graphql_operations_total{operation="Check",result="ok"}')).toBe(sample(before, 'graphql_operations_total{operation="Check",result="ok"}') + 1);
    expect(sample(after, 'verify_answers_total{status="NOT_FOUND"}')).toBe(sample(before, 'verify_answers_total{status="NOT_FOUND"}') + 2);
    expect(sample(after, 'lookup_cache_hits_total') + sample(after, 'lookup_cache_misses_total')).toBeGreaterThan(sample(before, 'lookup_cache_hits_total') + sample(before, 'lookup_cache_misses_total'));
    for (const name of ['status_list_rebuilds_total', 'nodejs_eventloop_lag_seconds', 'process_cpu_user_seconds_total', 'rate_limit_rejections_total']) expect(after).toContain(name);
  });

  it('counts rate-limit rejections', async () => {
    const before = sample(await scrape(), 'rate_limit_rejections_total{route="/v1/verify",role="PUBLIC"}');
    let refused = 0;
    for (let i = 0; i < 60 && refused === 0; i++) {
      const res = await fetch(`${server.origin}/v1/verify?url=${encodeURIComponent('https://facebook.com/x')}`);
      await res.text();
      if (res.status === 429) refused++;
    }
    expect(refused).toBe(1);
    expect(sample(await scrape(), 'rate_limit_rejections_total{route="/v1/verify",role="PUBLIC"}')).toBe(before + 1);
  });

  it('counts webhook delivery attempts by result', async () => {
    const line = (result: string) => `webhook_delivery_attempts_total{result="${result}",retry="no"}`;
    const before = await scrape();
    const receiver = await startReceiver((request) => (request.event.type === 'badge.suspended' ? 500 : 204));
    const { badge } = await createVerifiedMember(reg.registry, { accounts: [`https://www.facebook.com/metricshook${Date.now().toString(36)}`] });
    await reg.registry.createWebhookSubscription({ url: receiver.url, eventTypes: ['badge.renewed', 'badge.suspended'], allAccounts: true }, { id: 'metrics-platform', role: 'PLATFORM' });
    const worker = reg.registry.startWebhookDelivery({ pollMs: 50, onDelivery: metrics.onWebhookDelivery, onError: () => {} });
    try {
      await reg.registry.renewBadge({ badgeId: badge.id });
      await receiver.waitFor(1);
      await reg.registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
      for (let i = 0; i < 100 && receiver.received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
      await receiver.close();
    }
    const after = await scrape();
    expect(sample(after, line('delivered'))).toBe(sample(before, line('delivered')) + 1);
    expect(sample(after, line('rejected'))).toBe(sample(before, line('rejected')) + 1);
  });

  it('reports the PostgreSQL connection pool by state, and nothing on PGlite, which has none', async () => {
    const pool = reg.registry.databasePool();
    const text = await scrape();
    if (reg.registry.databaseKind === 'pglite') {
      expect(pool).toBeNull();
      expect(text).not.toMatch(/^db_pool_connections\{/m);
    } else {
      expect(pool!.max).toBe(10);
      expect(sample(text, 'db_pool_connections{state="max"}')).toBe(10);
      expect(sample(text, 'db_pool_connections{state="idle"}') + sample(text, 'db_pool_connections{state="in_use"}')).toBeGreaterThan(0);
    }
    // The gauge reads core's pool numbers at scrape time, whatever the database.
    const stub = { verify: async () => ({}), verifyMany: async () => [], counters: () => ({ lookupCacheHits: 0, lookupCacheMisses: 0, lookupCacheEntries: 0, lookupCacheBytes: 0, statusListRebuilds: 0 }), readRouting: () => null, databasePool: () => ({ total: 7, idle: 2, waiting: 3, max: 10 }) };
    const stubText = await createMetrics(stub as unknown as Parameters<typeof createMetrics>[0]).registry.metrics();
    expect(sample(stubText, 'db_pool_connections{state="in_use"}')).toBe(5);
    expect(sample(stubText, 'db_pool_connections{state="idle"}')).toBe(2);
    expect(sample(stubText, 'db_pool_connections{state="waiting"}')).toBe(3);
    expect(sample(stubText, 'db_pool_connections{state="max"}')).toBe(10);
  });

  it('answers 404 on anything but GET /metrics', async () => {
    expect((await fetch(`${metricsServer.origin}/`)).status).toBe(404);
  });
});
