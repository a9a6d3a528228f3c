/**
 * Anonymous callers of the verification endpoints are rate-limited per address (429 with
 * Retry-After and a bilingual message); callers with a token are not. These tests count in
 * memory; rate-limit-redis.test.ts shares the counters in Redis, and covers a Redis that cannot
 * be reached.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PublicRateLimiter, redisUrlForLog } from '../../services/api/src/server/rate-limit.ts';
import { loadConfig } from '../../services/api/src/config.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { clientAddress } from '../../services/api/src/http/client-address.ts';
import type { IncomingMessage } from 'node:http';

describe('PublicRateLimiter in memory', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows the limit per client per minute, then refuses until the client's window ends", async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(120_000);
    const limiter = new PublicRateLimiter(2, { keyOf: (address) => address });
    const firstThree = [await limiter.take('a'), await limiter.take('a'), await limiter.take('a')];
    expect(firstThree.map((d) => d.allowed)).toEqual([true, true, false]);
    expect((await limiter.take('b')).allowed).toBe(true);
    vi.advanceTimersByTime(30_000);
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30, limit: 2, remaining: 0 });
    vi.advanceTimersByTime(30_000);
    expect((await limiter.take('a')).allowed).toBe(true);
    expect(limiter.shared).toBe(false);
  });

  it('is off at 0', async () => {
    const limiter = new PublicRateLimiter(0, { keyOf: (address) => address });
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect((await limiter.take('a')).allowed).toBe(true);
  });

  it('refuses a limit that cannot work', () => {
    expect(() => new PublicRateLimiter(-1, { keyOf: (address) => address })).toThrow(TypeError);
    expect(() => new PublicRateLimiter(1.5, { keyOf: (address) => address })).toThrow(TypeError);
  });
});

describe('what the limiter keeps and logs', () => {
  it('logs a Redis URL without its credentials', () => {
    expect(redisUrlForLog('redis://default:s3cret@cache.internal:6380/2')).toBe('redis://cache.internal:6380/2');
    expect(redisUrlForLog('rediss://:s3cret@cache.internal')).toBe('rediss://cache.internal');
    expect(redisUrlForLog('not a url :s3cret@')).not.toContain('s3cret');
  });

  it('reads REDIS_URL with the configuration, and refuses one that cannot work without echoing it', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({}).publicRateLimit).toBe(600);
    expect(loadConfig({ TRUST_PUBLIC_RATE_LIMIT: '0' }).publicRateLimit).toBe(0);
    expect(loadConfig({ REDIS_URL: 'redis://:s3cret@127.0.0.1:6379/0' }).redisUrl).toBe('redis://:s3cret@127.0.0.1:6379/0');
    expect(() => loadConfig({ REDIS_URL: 'http://user:s3cret@127.0.0.1:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL, got http:\/\/127\.0\.0\.1:6379 \(e\.g\./);
    expect(() => loadConfig({ REDIS_URL: 's3cret' })).toThrow(/^REDIS_URL: phải là .* \/ REDIS_URL: must be/);
    try {
      loadConfig({ REDIS_URL: 's3cret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});

describe('rate limits over HTTP', () => {
  let test: TestRegistry;
  let server: RunningServer;
  let close: () => Promise<void>;
  let token: string;
  beforeAll(async () => {
    test = await openTestRegistry();
    const app = createApp({ registry: test.registry, routes: publicRoutes(test.registry), publicRateLimit: 3, logError: () => {} });
    close = app.close;
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    token = await app.tokens.issueAccessToken({ role: 'PLATFORM' });
  });
  afterAll(async () => {
    await server?.close();
    await close?.();
    await test?.close();
  });

  it('refuses the fourth anonymous request of the minute with 429, counting /graphql and /v1/verify together', async () => {
    const verify = () => fetch(`${server.origin}/v1/verify?url=${encodeURIComponent('fb.com/rate.limit.page')}`);
    const graphql = (headers: Record<string, string> = {}) =>
      fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ verify(input: { url: "fb.com/rate.limit.page" }) { status } }' }) });
    expect((await verify()).status).toBe(200);
    expect((await graphql()).status).toBe(200);
    expect((await verify()).status).toBe(200);
    const refused = await graphql();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toContain('Quá nhiều yêu cầu');
    expect(body.error.message).toContain(`retry in ${refused.headers.get('retry-after')} s`);
    // A caller with a token is not limited here; health checks never are.
    expect((await graphql({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });
});

describe('the client address behind trusted proxies (TRUST_PROXY_HOPS)', () => {
  const request = (remoteAddress: string, forwardedFor?: string | string[]) =>
    ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

  it('believes only the entries our own proxies added', () => {
    // No trusted proxy: the header is the client's own words and is ignored.
    expect(clientAddress(request('10.0.0.5', '198.51.100.9'), 0)).toBe('10.0.0.5');
    // One load balancer: the last entry is the address it saw; what the client wrote before it is not believed.
    expect(clientAddress(request('10.0.0.5', 'spoofed, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.5', ['1.1.1.1, 203.0.113.7', '10.0.0.4']), 2)).toBe('203.0.113.7');
    // Fewer entries than proxies: it did not come through them all; the socket counts.
    expect(clientAddress(request('10.0.0.5'), 1)).toBe('10.0.0.5');
    expect(clientAddress(request('10.0.0.5', '203.0.113.7'), 2)).toBe('10.0.0.5');
  });

  it('reads TRUST_PROXY_HOPS with the configuration, refusing a value that cannot work in both languages', () => {
    expect(loadConfig({}).trustedProxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
    for (const bad of ['-1', '1.5', 'one', '11']) expect(() => loadConfig({ TRUST_PROXY_HOPS: bad })).toThrow(/TRUST_PROXY_HOPS: phải là .* \/ TRUST_PROXY_HOPS: must be/);
  });

  it('limits each forwarded client on its own behind one proxy, and a client cannot escape by writing the header', async () => {
    const test = await openTestRegistry();
    const app = createApp({ registry: test.registry, routes: publicRoutes(test.registry), publicRateLimit: 2, trustedProxyHops: 1, logError: () => {} });
    const server = await listen(app, { port: 0, host: '127.0.0.1' });
    try {
      const verify = (forwardedFor: string) => fetch(`${server.origin}/v1/verify?url=${encodeURIComponent('fb.com/proxy.page')}`, { headers: { 'x-forwarded-for': forwardedFor } });
      expect((await verify('203.0.113.7')).status).toBe(200);
      expect((await verify('203.0.113.7')).status).toBe(200);
      expect((await verify('203.0.113.7')).status).toBe(429);
      // Another client behind the same proxy has its own budget.
      expect((await verify('203.0.113.8')).status).toBe(200);
      // Writing another address before the proxy's entry does not help.
      expect((await verify('198.51.100.1, 203.0.113.7')).status).toBe(429);
    } finally {
      await server.close();
      await app.close();
      await test.close();
    }
  });
});
