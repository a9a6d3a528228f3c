/**
 * The status-list ttl in the service: TRUST_STATUS_LIST_TTL parsed by `loadConfig` (default
 * 300, 10 to 86,400 whole seconds, a Vietnamese and English error otherwise), passed to core's
 * `openRegistry({ statusListTtlSeconds })`, and `GET /status-lists/<id>` serving
 * `Cache-Control: public, max-age=<ttl>` with the same ttl inside the token; end to end through
 * `pnpm start`'s main.ts (embedded database in a temporary folder).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { jwksUrlFor, verifyStatusListToken, type AttestationClaims } from '@trust-alliance/verifier';
import { checkStatusListTtl, STATUS_LIST_TTL_SECONDS } from '@trust-alliance/core';
import { loadConfig, statusListTtlFromEnv } from '../../services/api/src/config.ts';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from './helpers.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'services/api/src/main.ts');
const ALLIANCE_PAGE = 'https://www.facebook.com/tinnhiemso.cantho';

describe('TRUST_STATUS_LIST_TTL in loadConfig', () => {
  it('defaults to core’s STATUS_LIST_TTL_SECONDS (300) when unset or empty', () => {
    expect(loadConfig({}).statusListTtlSeconds).toBe(STATUS_LIST_TTL_SECONDS);
    expect(loadConfig({ TRUST_STATUS_LIST_TTL: '' }).statusListTtlSeconds).toBe(300);
    expect(loadConfig({ TRUST_STATUS_LIST_TTL: '  ' }).statusListTtlSeconds).toBe(300);
  });

  it('reads whole seconds from 10 to 86,400', () => {
    for (const [raw, ttl] of [['10', 10], ['60', 60], [' 900 ', 900], ['86400', 86_400]] as const) {
      expect(loadConfig({ TRUST_STATUS_LIST_TTL: raw }).statusListTtlSeconds, raw).toBe(ttl);
      // What the config accepts, core accepts too.
      expect(checkStatusListTtl(ttl)).toBe(ttl);
    }
  });

  it('refuses anything else with a clear message in Vietnamese and English', () => {
    for (const raw of ['0', '9', '86401', '-60', '1.5', '60s', '5m', 'abc', '1e3', '0x3c', '99999999999999999999']) {
      let message = '';
      try {
        loadConfig({ TRUST_STATUS_LIST_TTL: raw });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, raw).toContain('TRUST_STATUS_LIST_TTL');
      expect(message, raw).toContain(`"${raw}"`);
      expect(message, raw).toMatch(/phải là số giây nguyên từ 10 đến 86400/);
      expect(message, raw).toMatch(/must be a whole number of seconds from 10 to 86400/);
      expect(() => statusListTtlFromEnv({ TRUST_STATUS_LIST_TTL: raw }), raw).toThrow(/TRUST_STATUS_LIST_TTL/);
    }
  });
});

/** The status list of the alliance page's attestation, fetched over HTTP. */
async function fetchStatusList(origin: string, gql: (q: string) => Promise<{ data?: any }>) {
  const res = await gql(`{ verify(input: { url: "${ALLIANCE_PAGE}" }) { attestation } }`);
  const attestation = res.data!.verify.attestation as string;
  const listed = (decodeJwt(attestation) as unknown as AttestationClaims).status.status_list.uri;
  // The list's path under the issuer, served at `origin` (the issuer of main.ts with PORT=0 is not its address).
  const path = new URL(listed).pathname;
  expect(path).toMatch(/^\/status-lists\/[A-Za-z0-9_-]+$/);
  const uri = `${origin}${path}`;
  const response = await fetch(uri);
  expect(response.status).toBe(200);
  return { uri, response, jwt: await response.text() };
}

describe('GET /status-lists/<id> with statusListTtlSeconds', () => {
  let t: TestServer;
  const TTL = loadConfig({ TRUST_STATUS_LIST_TTL: '42' }).statusListTtlSeconds;
  beforeAll(async () => {
    t = await openTestServer({ registry: { statusListTtlSeconds: TTL } });
    expect((await seedDemo(t.registry)).seeded).toBe(true);
  });
  afterAll(() => t?.close());

  it('serves Cache-Control max-age = the option, and the same ttl inside the token', async () => {
    expect(TTL).toBe(42);
    const { uri, response, jwt } = await fetchStatusList(t.origin, t.gql);
    expect(uri.startsWith(`${t.registry.issuer}/status-lists/`)).toBe(true);
    expect(response.headers.get('cache-control')).toBe('public, max-age=42');
    const verified = await verifyStatusListToken(jwt, { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin), uri });
    expect(verified.valid).toBe(true);
    if (verified.valid) expect(verified.claims.ttl).toBe(42);
    // A revalidation says the same.
    const again = await fetch(uri, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('public, max-age=42');
  });
});

/** Starts `services/api/src/main.ts` on an ephemeral port over an embedded database in `dataDir`. */
function startService(dataDir: string, env: Record<string, string>): ServiceProcess {
  return startServiceProcess(process.execPath, ['--import', 'tsx', MAIN], { cwd: join(ROOT, 'services/api'), dataDir, env, unset: ['TRUST_ISSUER'] });
}

describe('pnpm start (services/api/src/main.ts) with TRUST_STATUS_LIST_TTL', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trust-ttl-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the status lists with the configured ttl', { timeout: 120_000 }, async () => {
    const service = startService(join(dataDir, 'ok'), { TRUST_STATUS_LIST_TTL: '75' });
    try {
      const origin = await service.origin;
      const gql = async (query: string) => (await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<{ data?: any }>;
      const { response, jwt } = await fetchStatusList(origin, gql);
      expect(response.headers.get('cache-control')).toBe('public, max-age=75');
      expect((decodeJwt(jwt) as { ttl?: number }).ttl).toBe(75);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
      await service.exit;
    }
  });

  it('refuses to start on a bad value, saying why', { timeout: 60_000 }, async () => {
    const service = startService(join(dataDir, 'bad'), { TRUST_STATUS_LIST_TTL: '5' });
    // If it starts anyway, stop it (and fail) rather than wait for an exit that never comes.
    const started = await service.origin.then(
      () => true,
      () => false,
    );
    if (started) service.child.kill('SIGTERM');
    const { code, stderr } = await service.exit;
    expect(started).toBe(false);
    expect(code).toBe(4); // the CLI's exit code of a configuration that cannot work
    expect(stderr).toMatch(/TRUST_STATUS_LIST_TTL: phải là số giây nguyên từ 10 đến 86400, nhận được "5"/);
    expect(stderr).toMatch(/TRUST_STATUS_LIST_TTL: must be a whole number of seconds from 10 to 86400, got "5"/);
  });
});
