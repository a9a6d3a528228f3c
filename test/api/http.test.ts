/**
 * Over real HTTP on 127.0.0.1 with an ephemeral port: /graphql, /health, /ready, 401s, the
 * loopback admin routes the CLI uses, and the CLI going through the running service.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { adminRoutes } from '../../services/api/src/http/admin.ts';
import { newAdminSecret, writeServiceFile } from '../../services/api/src/lifecycle/service-file.ts';
import { accessTokensFor } from '../../services/api/src/auth/access-tokens.ts';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { runCli } from '../../services/api/src/cli/main.ts';
import { LIMITS } from '../../services/api/src/server/limits.ts';

let reg: TestRegistry;
let server: RunningServer;
let secret: string;
let dataDir: string;

beforeAll(async () => {
  reg = await openTestRegistry();
  await seedDemo(reg.registry);
  secret = newAdminSecret();
  const tokens = accessTokensFor(reg.registry);
  const app = createApp({ registry: reg.registry, tokens, routes: adminRoutes({ registry: reg.registry, tokens, secret }), logError: () => {} });
  server = await listen(app, { port: 0, host: '127.0.0.1' });
  dataDir = await mkdtemp(join(tmpdir(), 'trust-api-'));
  await writeServiceFile(dataDir, { pid: process.pid, origin: server.origin, adminSecret: secret, startedAt: new Date().toISOString() });
});
afterAll(async () => {
  await server?.close();
  await reg?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('over HTTP', () => {
  it('serves health, readiness and 404', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.origin}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.origin}/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe('ready');
    expect((await fetch(`${server.origin}/nope`)).status).toBe(404);
  });

  it('answers verify VERIFIED for the alliance page, by the spelling of issue 3', async () => {
    const res = await post('/graphql', { query: '{ verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/?ref=share" }) { status badges { program } } }' });
    expect(res.status).toBe(200);
    expect((await res.json()).data.verify).toEqual({ status: 'VERIFIED', badges: [{ program: 'OFFICIAL_CHANNEL' }] });
  });

  it('returns 401 for a bad token and serves verifyMany with a good one', async () => {
    const bad = await post('/graphql', { query: '{ pledge { version } }' }, { authorization: 'Bearer aaa.bbb.ccc' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const tokenRes = await post('/admin/token', { role: 'PLATFORM', ttlSeconds: 600 }, { 'x-trust-admin-secret': secret });
    const { token } = (await tokenRes.json()) as { token: string };
    const many = await post('/graphql', { query: 'query($i: [VerifyInput!]!) { verifyMany(inputs: $i) { status } }', variables: { i: [{ url: 'zalo.me/g/tinnhiemsocantho' }, { url: 'fb.com/tinnhiemso.cantho.hotro' }] } }, { authorization: `Bearer ${token}` });
    expect((await many.json()).data.verifyMany).toEqual([{ status: 'VERIFIED' }, { status: 'FLAGGED' }]);
  });

  it('guards the admin routes with the secret', async () => {
    expect((await post('/admin/token', { role: 'ADMIN' })).status).toBe(403);
    expect((await post('/admin/token', { role: 'ADMIN' }, { 'x-trust-admin-secret': 'wrong' })).status).toBe(403);
    expect((await fetch(`${server.origin}/admin/token`)).status).toBe(405);
    expect((await post('/admin/token', { role: 'ROOT' }, { 'x-trust-admin-secret': secret })).status).toBe(400);
  });

  it('lets the CLI work through the running service (token, verify, seed, migrate)', async () => {
    const prev = { dir: process.env.TRUST_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.TRUST_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    try {
      expect(await runCli(['token', '--role', 'officer', '--ttl', '15m'], io)).toBe(0);
      const token = out.pop()!;
      const me = await post('/graphql', { query: '{ reports { id } }' }, { authorization: `Bearer ${token}` });
      expect((await me.json()).data.reports.length).toBeGreaterThan(0);
      expect(await runCli(['verify', 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share'], io)).toBe(0);
      expect(JSON.parse(out.pop()!)).toMatchObject({ status: 'VERIFIED', account: { key: 'facebook:tinnhiemsocantho' } });
      expect(await runCli(['seed'], io)).toBe(0);
      expect(out.pop()).toMatch(/already there/);
      expect(await runCli(['migrate'], io)).toBe(0);
      expect(out.pop()).toMatch(/holds the embedded database/);
    } finally {
      if (prev.dir === undefined) delete process.env.TRUST_DATA_DIR;
      else process.env.TRUST_DATA_DIR = prev.dir;
      if (prev.url !== undefined) process.env.DATABASE_URL = prev.url;
    }
  });

  describe('request bodies (read and limited before Yoga, see request-body.ts)', () => {
    /** A POST sent in chunks without Content-Length (Transfer-Encoding: chunked). */
    const chunkedPost = (chunks: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });

    it('answers a query whose body arrives in many chunks', async () => {
      const text = JSON.stringify({ query: '{ verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/" }) { status } }' });
      const res = await chunkedPost(text.match(/.{1,7}/gs)!);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).data.verify.status).toBe('VERIFIED');
    });

    it('refuses a body over the limit by its declared length, with 413 in both languages', async () => {
      const res = await fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(LIMITS.maxRequestBodyBytes + 1) });
      expect(res.status).toBe(413);
      const body = await res.json();
      expect(body.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
      expect(body.errors[0].message).toMatch(/larger than .* \/ Nội dung yêu cầu vượt quá/);
    });

    it('refuses a chunked body once the bytes received pass the limit', async () => {
      const chunk = 'x'.repeat(256 * 1024);
      const res = await chunkedPost(Array.from({ length: Math.ceil(LIMITS.maxRequestBodyBytes / chunk.length) + 1 }, () => chunk));
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    });

    it('answers an empty, non-JSON or non-object body with 400, and a non-JSON media type with 415', async () => {
      const send = (body: string | undefined, contentType = 'application/json') => fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, ...(body === undefined ? {} : { body }) });
      for (const body of [undefined, '{"query": ', '[{"query":"{ __typename }"}]', '{}', '"text"']) {
        const res = await send(body);
        expect(res.status, String(body)).toBe(400);
        expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
      }
      const form = await send('query=%7B__typename%7D', 'application/x-www-form-urlencoded');
      expect(form.status).toBe(415);
      expect((await form.json()).errors[0].message).toMatch(/application\/json\. \/ Hãy gửi/);
      const ok = await send('{"query":"{ __typename }"}', 'application/json; charset=utf-8');
      expect(ok.status).toBe(200);
      expect((await ok.json()).data).toEqual({ __typename: 'Query' });
    });
  });
});
