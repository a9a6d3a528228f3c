/**
 * The attack checklist of issue 10, one test per case, named after it, so that a regression
 * names the case it broke. Cases already covered elsewhere are listed in test/security/README.md
 * with the test that covers them (personal data paths, CSRF, admin routes, GraphQL limits).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { ACCESS_TOKEN_CLOCK_SKEW_SECONDS, MAX_ACCESS_TOKEN_TTL_SECONDS, RegistryError } from '@trust-alliance/core';
import { verifyAccessToken } from '../../packages/core/src/access/access-tokens.ts';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { loadConfig } from '../../services/api/src/config.ts';
import { listen } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { ANONYMOUS_BODY_LIMIT_BYTES } from '../../services/api/src/server/create-yoga.ts';
import { LIMITS } from '../../services/api/src/server/limits.ts';
import { LoadShedder } from '../../services/api/src/server/load-shedder.ts';
import { codeOf, openTestServer, type TestServer } from '../api/helpers.ts';
import { REPORT } from '../api/documents.ts';

let t: TestServer;
const logged: unknown[] = [];
beforeAll(async () => {
  t = await openTestServer({ logError: (_i, e) => logged.push(e) });
});
afterAll(() => t?.close());

const VERIFY = '{ verify(input: { url: "https://facebook.com/tinnhiemso.cantho" }) { status } }';
const postGraphQL = (body: string, headers: Record<string, string> = {}) => t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** Tokens signed every wrong way, with the registry's own key where a key is needed. */
async function forgedTokens(): Promise<Record<string, string>> {
  const { privateKey, kid, alg } = await t.registry.keys.current();
  const now = Math.floor(t.clock.now().getTime() / 1000);
  const claims = () => new SignJWT({ role: 'ADMIN' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('attacker');
  const good = (iat: number, exp: number) => claims().setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuedAt(iat).setExpirationTime(exp).sign(privateKey);
  const hmacKey = new TextEncoder().encode(JSON.stringify((await t.registry.keys.publicJwks()).keys[0]));
  const other = await generateKeyPair('ES384');
  return {
    'wrong alg (HS256 keyed with the public JWK)': await claims().setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' }).setIssuedAt(now).setExpirationTime(now + 600).sign(hmacKey),
    'wrong alg (ES384, a foreign key)': await claims().setProtectedHeader({ alg: 'ES384', kid, typ: 'at+jwt' }).setIssuedAt(now).setExpirationTime(now + 600).sign(other.privateKey),
    'alg none': new UnsecuredJWT({ role: 'ADMIN' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('attacker').setIssuedAt(now).setExpirationTime(now + 600).encode() + 'x',
    'wrong typ': await claims().setProtectedHeader({ alg, kid, typ: 'JWT' }).setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey),
    'wrong iss': await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer('https://evil.example').setAudience('trust-alliance-api').setSubject('a').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey),
    'wrong aud': await new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer(t.registry.issuer).setAudience('someone-else').setSubject('a').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey),
    expired: await good(now - 7200, now - 3600),
    'iat in the future beyond the clock skew': await good(now + ACCESS_TOKEN_CLOCK_SKEW_SECONDS + 3600, now + ACCESS_TOKEN_CLOCK_SKEW_SECONDS + 7200),
    'lifetime over the maximum': await good(now, now + MAX_ACCESS_TOKEN_TTL_SECONDS + 3600),
  };
}

describe('forged tokens', () => {
  it('forged tokens of every kind are 401 UNAUTHENTICATED on /graphql, GET /v1/verify and every other route', async () => {
    for (const [kind, token] of Object.entries(await forgedTokens())) {
      for (const path of ['/v1/verify?url=https://facebook.com/x', '/.well-known/jwks.json', '/status-lists/1', '/ready']) {
        const res = await t.http(path, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status, `${kind} on ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      }
      const res = await postGraphQL(JSON.stringify({ query: VERIFY }), { authorization: `Bearer ${token}` });
      expect(res.status, kind).toBe(401);
      expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('a token within the clock skew and the maximum lifetime is accepted (so the refusals above are about iat and lifetime)', async () => {
    const { privateKey, kid, alg } = await t.registry.keys.current();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const ok = await new SignJWT({ role: 'PLATFORM' }).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).setIssuer(t.registry.issuer).setAudience('trust-alliance-api').setSubject('p').setIssuedAt(now + 30).setExpirationTime(now + 30 + MAX_ACCESS_TOKEN_TTL_SECONDS).sign(privateKey);
    expect((await t.http('/v1/verify?url=https://facebook.com/x', { headers: { authorization: `Bearer ${ok}` } })).status).toBe(200);
  });

  it('a lifetime over the maximum is refused at issue too', async () => {
    await expect(t.registry.keys.issueAccessToken({ role: 'PLATFORM', ttlSeconds: MAX_ACCESS_TOKEN_TTL_SECONDS + 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a key store that cannot be read is not an invalid token: its error propagates (503), never UNAUTHENTICATED', async () => {
    const token = await t.token('PLATFORM');
    const lost = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const keys = { publicJwks: async () => Promise.reject(lost) } as unknown as Parameters<typeof verifyAccessToken>[0];
    const refusal = await verifyAccessToken(keys, t.registry.issuer, token, new Date()).catch((e: unknown) => e);
    expect(refusal).toBe(lost);
    expect(refusal).not.toBeInstanceOf(RegistryError);
  });
});

describe('rate limits', () => {
  it('GET /v1/verify with a bad Authorization header is 401, and does not escape the anonymous limit (issue 10, item 3)', async () => {
    const app = createApp({ registry: t.registry, routes: publicRoutes(t.registry), publicRateLimit: 2, logError: () => {} });
    const server = await listen(app, { port: 0 });
    try {
      const get = (headers: Record<string, string> = {}) => fetch(`${server.origin}/v1/verify?url=https://facebook.com/x`, { headers });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(429);
      for (let i = 0; i < 20; i++) expect((await get({ authorization: 'x' })).status).toBe(401);
      expect((await get()).status).toBe(429);
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('token holders have a budget per token subject, sized by role, with RateLimit-* headers', async () => {
    const app = createApp({ registry: t.registry, routes: publicRoutes(t.registry), tokenRateLimits: { PLATFORM: 3 }, logError: () => {} });
    const server = await listen(app, { port: 0 });
    try {
      const [a, b] = [await app.tokens.issueAccessToken({ role: 'PLATFORM', subject: 'platform-a' }), await app.tokens.issueAccessToken({ role: 'PLATFORM', subject: 'platform-b' })];
      const get = (token: string) => fetch(`${server.origin}/v1/verify?url=https://facebook.com/x`, { headers: { authorization: `Bearer ${token}` } });
      const first = await get(a);
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-limit')).toBe('3');
      expect(first.headers.get('ratelimit-remaining')).toBe('2');
      expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      await get(a);
      await get(a);
      const refused = await get(a);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      // Another subject with the same role has its own budget; a second token of subject a does not.
      expect((await get(b)).status).toBe(200);
      expect((await get(await app.tokens.issueAccessToken({ role: 'PLATFORM', subject: 'platform-a' }))).status).toBe(429);
    } finally {
      await server.close();
      await app.close();
    }
  });
});

describe('bounded parsing', () => {
  it('a bad token is 401 before the body is read, even for a body over every limit', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c', 'content-length': String(LIMITS.maxRequestBodyBytes * 4) } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"query":"');
    });
    expect(res).toBe(401);
  });

  it('anonymous bodies are limited to the small limit; token holders keep the large one', async () => {
    const padding = 'x'.repeat(ANONYMOUS_BODY_LIMIT_BYTES);
    const body = JSON.stringify({ query: VERIFY, variables: { padding } });
    const anonymous = await postGraphQL(body);
    expect(anonymous.status).toBe(413);
    expect(((await anonymous.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect((await postGraphQL(body, { authorization: `Bearer ${await t.token('PLATFORM')}` })).status).toBe(200);
  });

  it('the largest legitimate anonymous request fits: verifyMany of 100 URLs of 500 characters', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => ({ url: `https://facebook.com/${String(i).padEnd(470, 'a')}` }));
    const body = JSON.stringify({ query: 'query($inputs: [VerifyInput!]!) { verifyMany(inputs: $inputs) { status } }', variables: { inputs } });
    expect(Buffer.byteLength(body)).toBeLessThan(ANONYMOUS_BODY_LIMIT_BYTES);
    const res = await postGraphQL(body);
    expect(res.status).not.toBe(413);
  });

  it('a deeply nested JSON body is refused with 400 before JSON.parse', async () => {
    const res = await postGraphQL(`{"query":"{ __typename }","variables":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, { authorization: `Bearer ${await t.token('PLATFORM')}` });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/nests deeper than/);
  });

  it('a 2,000-deep list literal in a query is a 400, not a stack overflow (issue 10, item 5), every time it is sent', async () => {
    // Sent twice: the guard remembers texts that passed its scan, never one it refused.
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await postGraphQL(JSON.stringify({ query: `{ verifyMany(inputs: ${'['.repeat(2000)}${']'.repeat(2000)}) { status } }` }));
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toMatch(/nests deeper than/);
      expect(text).not.toMatch(/RangeError|call stack/);
    }
  });

  it('under event-loop lag, anonymous callers are shed with 503 and Retry-After while token holders are served', async () => {
    // A threshold of 1 ms is always passed (the histogram's resolution is 10 ms): anonymous
    // callers are shed, token holders (threshold 0 = never) are not.
    const app = createApp({ registry: t.registry, routes: publicRoutes(t.registry), loadShedding: { anonymousLagMs: 1, allLagMs: 0, windowMs: 20 }, logError: () => {} });
    const server = await listen(app, { port: 0 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const anonymous = await fetch(`${server.origin}/v1/verify?url=https://facebook.com/x`);
      expect(anonymous.status).toBe(503);
      expect(anonymous.headers.get('retry-after')).toBe('1');
      const paying = await fetch(`${server.origin}/v1/verify?url=https://facebook.com/x`, { headers: { authorization: `Bearer ${await app.tokens.issueAccessToken({ role: 'PLATFORM' })}` } });
      expect(paying.status).toBe(200);
      expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('the load shedder reads a blocked event loop as lag', async () => {
    const shedder = new LoadShedder({ anonymousLagMs: 100, allLagMs: 1_000, windowMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 120));
      const until = Date.now() + 400;
      while (Date.now() < until); // block the loop
      // The window's timer is overdue and runs before this one.
      await new Promise((r) => setTimeout(r, 1));
      expect(shedder.lagMs).toBeGreaterThan(100);
      expect(shedder.shouldShed(false)).toBe(true);
      expect(shedder.shouldShed(true)).toBe(false);
    } finally {
      shedder.close();
    }
  });
});

describe('client input never causes a server error (issue 10, item 5)', () => {
  const cases: Array<[string, string, Record<string, unknown>?]> = [
    ['at=0000-01-01 in GraphQL verify', '{ verify(input: { url: "https://facebook.com/x" }, at: "0000-01-01T00:00:00Z") { status } }'],
    ['node(id: "garbage")', '{ node(id: "garbage") { id } }'],
    ['nodes with one bad id', '{ nodes(ids: ["garbage"]) { id } }'],
    ['members(first: -1)', '{ members(first: -1) { edges { cursor } } }'],
    ['members(after: "garbage")', '{ members(after: "garbage") { edges { cursor } } }'],
    ['NUL in a members filter', '{ members(filter: { text: "a\\u0000b" }) { edges { cursor } } }'],
    ['NUL in attestation(id)', 'query($id: ID!) { attestation(id: $id) { id } }', { id: 'a\u0000b' }],
    ['NUL in a report description', REPORT, { input: { category: 'SCAM', url: 'https://facebook.com/x', description: 'a\u0000b' } }],
  ];
  for (const [name, query, variables] of cases) {
    it(`${name} is a typed client error, not a 5xx, and logs nothing`, async () => {
      const before = logged.length;
      const res = await postGraphQL(JSON.stringify({ query, variables }));
      expect(res.status).toBeLessThan(500);
      const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(['BAD_USER_INPUT', 'INVALID_INPUT']).toContain(body.errors?.[0]?.extensions?.code);
      expect(logged.length).toBe(before);
    });
  }

  it('NUL in a display name is a typed client error', async () => {
    const res = await t.gql('mutation { registerMember(input: { kind: BUSINESS, displayName: "a\\u0000b" }) { __typename } }', {}, 'OFFICER');
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('at=0000-01-01 and a NUL in GET /v1/verify are 400 BAD_USER_INPUT', async () => {
    for (const query of ['url=https://facebook.com/x&at=0000-01-01T00:00:00Z', 'url=https://facebook.com/a%00b']) {
      const res = await t.http(`/v1/verify?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('the small ones', () => {
  it('introspection is off in production unless TRUST_INTROSPECTION=1', async () => {
    // As main.ts builds it: the configuration (config.ts) decides, createApp reads no environment.
    const introspect = async (app: ReturnType<typeof createApp>) => (await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) })).json() as Promise<{ data?: unknown; errors?: unknown[] }>;
    const closed = createApp({ registry: t.registry, introspection: loadConfig({ NODE_ENV: 'production' }).introspection, loadShedding: false, logError: () => {} });
    expect((await introspect(closed)).errors?.length).toBeGreaterThan(0);
    const open = createApp({ registry: t.registry, introspection: loadConfig({ NODE_ENV: 'production', TRUST_INTROSPECTION: '1' }).introspection, loadShedding: false, logError: () => {} });
    expect((await introspect(open)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    await Promise.all([closed.close(), open.close()]);
  });

  it('CORS allows any origin without credentials (no origin reflected with credentials)', async () => {
    for (const method of ['OPTIONS', 'POST']) {
      const res = await t.http('/graphql', { method, headers: { origin: 'https://evil.example', 'content-type': 'application/json', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' }, ...(method === 'POST' ? { body: JSON.stringify({ query: VERIFY }) } : {}) });
      // Yoga answers "any origin" by echoing it; what matters is that credentials are never allowed.
      expect(['*', 'https://evil.example']).toContain(res.headers.get('access-control-allow-origin'));
      expect(res.headers.get('access-control-allow-credentials'), method).toBeNull();
    }
  });

  it('GraphiQL is served from the installed package: the page references no external host', async () => {
    const res = await t.http('/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('YogaGraphiQL');
    // No script, stylesheet, image or import loaded from anywhere but this page.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/import\(["'](https?:)?\/\//);
  });

  it('anonymous idempotency keys are scoped by the caller (keyed pseudonym of the address), not shared by all anonymous callers', async () => {
    const app = createApp({ registry: t.registry, trustedProxyHops: 1, publicRateLimit: 0, logError: () => {} });
    const server = await listen(app, { port: 0 });
    try {
      const report = async (address: string, description: string) => {
        const res = await fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ query: REPORT, variables: { key: 'same-key', input: { category: 'SCAM', url: 'https://facebook.com/scam.page', description } } }) });
        return ((await res.json()) as { data: { reportAccount: { __typename: string } } }).data.reportAccount.__typename;
      };
      expect(await report('203.0.113.1', 'first caller')).toBe('ReportAccountPayload');
      // Another caller with the same key is not told about (or blocked by) the first one's report.
      expect(await report('203.0.113.2', 'second caller')).toBe('ReportAccountPayload');
      // The same caller reusing its key with other input is a conflict.
      expect(await report('203.0.113.1', 'other input')).toBe('ConflictError');
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('/ready is 503 when the data folder cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trust-ready-'));
    const notAFolder = join(dir, 'file');
    await writeFile(notAFolder, 'x');
    const good = createApp({ registry: t.registry, dataDir: dir, loadShedding: false, logError: () => {} });
    const bad = createApp({ registry: t.registry, dataDir: notAFolder, loadShedding: false, logError: () => {} });
    const [s1, s2] = [await listen(good, { port: 0 }), await listen(bad, { port: 0 })];
    try {
      expect((await fetch(`${s1.origin}/ready`)).status).toBe(200);
      const res = await fetch(`${s2.origin}/ready`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await Promise.all([s1.close(), s2.close()]);
      await Promise.all([good.close(), bad.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
