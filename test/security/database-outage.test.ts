/**
 * Issue 10, item 4: a database that cannot be reached is 503 SERVICE_UNAVAILABLE with
 * Retry-After on every route (never 401 for a valid token, never 500), `/ready` says so, and the
 * service recovers by itself when the database returns.
 *
 * On PostgreSQL (DATABASE_URL set) the outage is real: the registry connects through a TCP
 * proxy the test cuts and restores. On PGlite, the failure is injected (a key store and a route
 * that fail with the socket error a lost database gives).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '@trust-alliance/core';
import { createTestDatabase, type TestDatabase } from '@trust-alliance/core/testing';
import { generateDataKey } from '../../packages/core/src/privacy/data-key.ts';
import { createApp, type App } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { openTestServer, type TestServer } from '../api/helpers.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const VERIFY = '{ verify(input: { url: "https://facebook.com/tinnhiemso.cantho" }) { status } }';
const post = (origin: string, token: string) =>
  fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: VERIFY }) });

function lostDatabase(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('database outage (injected, any database)', () => {
  let t: TestServer;
  let down = false;
  beforeAll(async () => {
    t = await openTestServer({
      extraRoutes: () => [{ path: '/test/needs-database', handle: async () => { if (down) throw lostDatabase(); return new Response('ok'); } }],
    });
  });
  afterAll(() => t?.close());

  it('a valid token while the key store cannot be read is 503 with Retry-After, not 401 invalid_token', async () => {
    const token = await t.token('PLATFORM');
    const keys = t.app.tokens as { verifyAccessToken: (jwt: string) => Promise<unknown> };
    const original = keys.verifyAccessToken;
    keys.verifyAccessToken = async () => {
      throw lostDatabase();
    };
    try {
      const res = await post(t.origin, token);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      keys.verifyAccessToken = original;
    }
    expect((await post(t.origin, token)).status).toBe(200);
  });

  it('a route whose database is lost answers 503 SERVICE_UNAVAILABLE, not 500', async () => {
    down = true;
    const res = await t.http('/test/needs-database');
    down = false;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    expect((await t.http('/test/needs-database')).status).toBe(200);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('database outage (PostgreSQL behind a proxy the test cuts)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let registry: Registry;
  let app: App;
  let server: RunningServer;
  const logged: unknown[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.databaseUrl!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(target);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    registry = await openRegistry({ databaseUrl: viaProxy.toString(), dataKey: generateDataKey() });
    app = createApp({ registry, routes: publicRoutes(registry), logError: (_i, e) => logged.push(e) });
    server = await listen(app, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await proxy?.restore().catch(() => {});
    await registry?.close().catch(() => {});
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 with Retry-After on every route while PostgreSQL is unreachable, and recovers by itself when it returns', async () => {
    const token = await app.tokens.issueAccessToken({ role: 'PLATFORM', subject: 'outage' });
    expect((await post(server.origin, token)).status).toBe(200);
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);

    await proxy.cut();
    const answers = [
      await post(server.origin, token),
      await fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: VERIFY }) }),
      await fetch(`${server.origin}/v1/verify?url=https://facebook.com/tinnhiemso.cantho`),
      await fetch(`${server.origin}/status-lists/1`),
      await fetch(`${server.origin}/ready`),
    ];
    for (const res of answers) {
      expect(res.status, res.url).toBe(503);
      expect(res.headers.get('retry-after'), res.url).toMatch(/^\d+$/);
      expect(await res.text()).toContain('SERVICE_UNAVAILABLE');
    }
    expect(logged).toEqual([]);

    await proxy.restore();
    const returned = performance.now();
    let recoveredMs = -1;
    while (performance.now() - returned < 30_000) {
      if ((await post(server.origin, token)).status === 200 && (await fetch(`${server.origin}/v1/verify?url=https://facebook.com/tinnhiemso.cantho`)).status === 200) {
        recoveredMs = performance.now() - returned;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`[database outage] recovered ${recoveredMs.toFixed(0)} ms after PostgreSQL came back`);
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  });
});
