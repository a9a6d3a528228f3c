/**
 * The public rate limit shared in Redis (REDIS_URL): replicas draw on one budget per client, the
 * keys hold no address in clear and expire with their window; and when Redis cannot be reached,
 * each process limits in memory instead, and no request fails.
 *
 * The shared-budget tests need a real Redis and run only when REDIS_URL is set (.ci/run sets it
 * for its PostgreSQL run); they use a key prefix of their own and delete their keys. The test of
 * an unreachable Redis needs none and always runs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openRateLimitRedis } from '../../services/api/src/server/rate-limit.ts';
import { createApp, type App } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';

const REDIS_URL = process.env.REDIS_URL;

const verify = (origin: string) => fetch(`${origin}/v1/verify?url=${encodeURIComponent('fb.com/rate.limit.page')}`);
const graphql = (origin: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ verify(input: { url: "fb.com/rate.limit.page" }) { status } }' }) });

describe.skipIf(!REDIS_URL)('rate limit shared in Redis (REDIS_URL)', () => {
  const keyPrefix = `trust:ratelimit:test:${process.pid}:${randomUUID()}`;
  let redis: ReturnType<typeof openRateLimitRedis>;
  let test: TestRegistry;
  const apps: App[] = [];
  const servers: RunningServer[] = [];
  let token: string;

  async function keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  beforeAll(async () => {
    redis = openRateLimitRedis({ url: REDIS_URL! });
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', () => resolve());
      redis.once('error', reject);
    });
    test = await openTestRegistry();
    // Two replicas of the service over one database and one Redis.
    for (let i = 0; i < 2; i++) {
      const app = createApp({ registry: test.registry, routes: publicRoutes(test.registry), publicRateLimit: 3, rateLimitRedis: { url: REDIS_URL! }, rateLimitKeyPrefix: keyPrefix, logError: () => {} });
      apps.push(app);
      servers.push(await listen(app, { port: 0, host: '127.0.0.1' }));
    }
    token = await apps[0]!.tokens.issueAccessToken({ role: 'PLATFORM' });
    // Before their connection is ready the replicas count in memory (the insurance limiter).
    await vi.waitFor(() => expect(apps.every((app) => app.rateLimiter.shared)).toBe(true), { timeout: 5_000 });
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const app of apps) await app.close();
    await test?.close();
    if (redis) {
      const left = await keys();
      if (left.length > 0) await redis.del(...left);
      await redis.quit();
    }
  });

  it('refuses through replica B a client that spent its budget through replica A', async () => {
    const [a, b] = servers.map((s) => s.origin) as [string, string];
    expect((await verify(a)).status).toBe(200);
    expect((await graphql(a)).status).toBe(200);
    expect((await verify(a)).status).toBe(200);
    const refused = await graphql(b);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toContain('Quá nhiều yêu cầu');
    expect((await verify(b)).status).toBe(429);
    expect((await verify(a)).status).toBe(429);
    // A caller with a token is not limited, on either replica.
    expect((await graphql(b, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('keeps one hashed key per client in Redis, expiring with the window', async () => {
    const found = await keys();
    expect(found).toHaveLength(1);
    const [key] = found as [string];
    // The server saw 127.0.0.1, possibly written as an IPv4-mapped IPv6 address.
    // A keyed pseudonym (the registry's, shared by replicas with one TRUST_DATA_KEY), not a plain hash.
    expect([`${keyPrefix}:${test.registry.pseudonym('rate-limit', '127.0.0.1')}`, `${keyPrefix}:${test.registry.pseudonym('rate-limit', '::ffff:127.0.0.1')}`]).toContain(key);
    expect(key).not.toContain('127.0.0.1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Anonymous requests on both replicas were counted in the shared key (3 allowed, 1 refused by B; the later ones B and A blocked in memory).
    expect(Number(await redis.get(key))).toBeGreaterThanOrEqual(4);
  });
});

describe('rate limit with Redis unreachable', () => {
  let test: TestRegistry;
  let app: App;
  let server: RunningServer;
  let token: string;
  const logs: string[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    test = await openTestRegistry();
    // Nothing listens on 6390: every connection attempt fails.
    app = createApp({
      registry: test.registry,
      routes: publicRoutes(test.registry),
      publicRateLimit: 2,
      rateLimitRedis: { url: 'redis://default:s3cret@127.0.0.1:6390', connectTimeoutMs: 200, log: (m) => logs.push(m) },
      rateLimitKeyPrefix: `trust:ratelimit:test:${randomUUID()}`,
      logError: (_incident, error) => errors.push(error),
    });
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    token = await app.tokens.issueAccessToken({ role: 'PLATFORM' });
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
    await test?.close();
  });

  it('limits each process in memory instead, and never fails a request', async () => {
    expect(app.rateLimiter.shared).toBe(false);
    expect((await verify(server.origin)).status).toBe(200);
    expect((await graphql(server.origin)).status).toBe(200);
    const refused = await graphql(server.origin);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await verify(server.origin)).status).toBe(429);
    expect((await graphql(server.origin, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('reports the outage once, without the password', async () => {
    await vi.waitFor(() => expect(logs.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(logs[0]).toContain('redis://127.0.0.1:6390');
    expect(logs[0]).toContain('unavailable');
    expect(logs.join('\n')).not.toContain('s3cret');
    expect(logs).toHaveLength(1);
  });
});
