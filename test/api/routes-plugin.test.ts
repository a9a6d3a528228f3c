/**
 * The routes beside GraphQL are a Yoga plugin over fetch Request/Response (http/route.ts), so
 * they answer `yoga.fetch` with no socket, as /graphql does; what only a socket can show (body
 * limits, keep-alive, shutdown) stays in http.test.ts and the security tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../services/api/src/http/admin.ts';
import { accessTokensFor } from '../../services/api/src/auth/access-tokens.ts';
import { openTestApp, type TestApp } from './helpers.ts';

const SECRET = 'a-test-admin-secret-of-enough-length';

describe('routes as a Yoga plugin', () => {
  let t: TestApp;
  const fetchApp = (path: string, init?: RequestInit, facts?: { remoteAddress?: string }) => t.app.yoga.fetch(`http://yoga${path}`, init ?? {}, facts ?? {});
  beforeAll(async () => {
    t = await openTestApp({ extraRoutes: (test) => adminRoutes({ registry: test.registry, tokens: accessTokensFor(test.registry), secret: SECRET }) });
  });
  afterAll(() => t.close());

  it('serves health, readiness and a JSON 404 for unknown paths', async () => {
    expect(await (await fetchApp('/health')).json()).toEqual({ status: 'ok' });
    expect(await (await fetchApp('/ready')).json()).toMatchObject({ status: 'ready' });
    const missing = await fetchApp('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers /v1/verify for a URL that ends in /health (Yoga’s own health check does not catch it)', async () => {
    const res = await fetchApp('/v1/verify?url=https://www.facebook.com/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('HEAD gets the headers of GET and no body; other methods 405 with Allow', async () => {
    const get = await fetchApp('/.well-known/jwks.json');
    const head = await fetchApp('/.well-known/jwks.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(await head.text()).toBe('');
    const etag = get.headers.get('etag')!;
    expect((await fetchApp('/.well-known/jwks.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const post = await fetchApp('/v1/verify?url=fb.com/x', { method: 'DELETE' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('admin routes: refused without the loopback address or the secret, served with both', async () => {
    const body = JSON.stringify({ role: 'OFFICER' });
    const headers = { 'content-type': 'application/json', 'x-trust-admin-secret': SECRET };
    expect((await fetchApp('/admin/token', { method: 'POST', headers, body })).status).toBe(403);
    expect((await fetchApp('/admin/token', { method: 'POST', headers, body }, { remoteAddress: '10.0.0.7' })).status).toBe(403);
    expect((await fetchApp('/admin/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-trust-admin-secret': 'wrong' }, body }, { remoteAddress: '127.0.0.1' })).status).toBe(403);
    const ok = await fetchApp('/admin/token', { method: 'POST', headers, body }, { remoteAddress: '127.0.0.1' });
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect((await t.app.tokens.verifyAccessToken(token)).role).toBe('OFFICER');
    const tooBig = await fetchApp('/admin/token', { method: 'POST', headers, body: JSON.stringify({ role: 'OFFICER', pad: 'x'.repeat(20_000) }) }, { remoteAddress: '127.0.0.1' });
    expect(tooBig.status).toBe(400);
  });
});
