/**
 * Anonymous callers of the verification endpoints are rate-limited per address (429 with
 * Retry-After and a bilingual message); callers with a token are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicRateLimiter } from '../../services/api/src/server/rate-limit.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';

describe('PublicRateLimiter', () => {
  it('allows the limit per client per minute, then refuses until the window rolls', () => {
    let now = 120_000;
    const limiter = new PublicRateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(limiter.take('b').allowed).toBe(true);
    now += 30_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('is off at 0', () => {
    const limiter = new PublicRateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('rate limits over HTTP', () => {
  let test: TestRegistry;
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    test = await openTestRegistry();
    const app = createApp({ registry: test.registry, routes: publicRoutes(test.registry), publicRateLimit: 3, logError: () => {} });
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    token = await app.tokens.issueAccessToken({ role: 'PLATFORM' });
  });
  afterAll(async () => {
    await server?.close();
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
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toContain('Quá nhiều yêu cầu');
    // A caller with a token is not limited here; health checks never are.
    expect((await graphql({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });
});
