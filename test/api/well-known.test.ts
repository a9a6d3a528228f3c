/**
 * The public HTTP documents of issue 4 over real HTTP, with the registry's issuer = the server's
 * origin: `/.well-known/jwks.json`, `/.well-known/trust-alliance`, the key history, and
 * `/status-lists/<id>` (served, cacheable, verified with @trust-alliance/verifier, flipped by a
 * suspension); a served attestation verified with plain `jose` and the served key set only;
 * an access token presented as an attestation and an attestation presented as a bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  ATTESTATION_TYP,
  STATUS_LIST_TYP,
  StatusValue,
  jwksUrlFor,
  readStatus,
  verifyAttestation,
  verifyStatusListToken,
  type AttestationClaims,
} from '@trust-alliance/verifier';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from './helpers.ts';

let t: TestServer;
const ALLIANCE_PAGE = 'https://www.facebook.com/tinnhiemso.cantho';
const KOL = 'https://www.tiktok.com/@thuha.cantho';

beforeAll(async () => {
  t = await openTestServer();
  expect((await seedDemo(t.registry)).seeded).toBe(true);
});
afterAll(() => t?.close());

const attestationOf = async (url: string) => {
  const res = await t.gql<{ verify: { attestation: string | null; badges: Array<{ id: string }> } }>('query($u: String!) { verify(input: { url: $u }) { attestation badges { id } } }', { u: url });
  expect(res.errors).toBeUndefined();
  return res.data!.verify;
};

describe('/.well-known', () => {
  it('serves the key set: current key, public parts only, cacheable', async () => {
    const res = await t.http('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const jwks = (await res.json()) as JSONWebKeySet;
    expect(jwks).toEqual(await t.registry.keys.publicJwks());
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    const current = await t.registry.keys.current();
    expect(jwks.keys.map((k) => k.kid)).toContain(current.kid);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key.alg).toMatch(/^(EdDSA|ES256)$/);
    }
    const etag = res.headers.get('etag')!;
    expect((await t.http('/.well-known/jwks.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('serves the discovery document: issuer, key set, status lists, programs, algorithms, log origin', async () => {
    const res = await t.http('/.well-known/trust-alliance');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const doc = await res.json();
    const issuer = t.origin;
    expect(t.registry.issuer).toBe(issuer);
    expect(doc).toMatchObject({
      issuer,
      jwks_uri: jwksUrlFor(issuer),
      key_history_uri: `${issuer}/.well-known/trust-alliance/keys`,
      status_list_base: `${issuer}/status-lists`,
      verify_endpoint: `${issuer}/v1/verify`,
      signing_alg_values_supported: ['EdDSA', 'ES256'],
      statement_types: { attestation: 'trust-mark+jwt', status_list: 'statuslist+jwt', signed_answer: 'trust-verification+jwt', log_checkpoint: 'log-checkpoint+jwt' },
      status_list: { bits: 2, values: { VALID: 0, INVALID: 1, SUSPENDED: 2 } },
    });
    expect(doc.programs).toEqual(
      expect.arrayContaining(['KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL'].map((id) => ({ id, trust_mark_type: `${issuer}/programs/${id}` }))),
    );
    // The log origin is the one the signed checkpoints name.
    const checkpoint = decodeJwt((await t.registry.log.checkpoint()).jwt);
    expect(doc.log.origin).toBe(checkpoint.origin);
    // Every URL it names answers.
    for (const url of [doc.jwks_uri, doc.key_history_uri]) expect((await fetch(url)).status).toBe(200);
    // An attestation's trust_mark_type is one of the programs listed.
    const claims = decodeJwt((await attestationOf(ALLIANCE_PAGE)).attestation!) as unknown as AttestationClaims;
    expect(doc.programs.map((p: { trust_mark_type: string }) => p.trust_mark_type)).toContain(claims.trust_mark_type);
    expect(claims.status.status_list.uri.startsWith(`${doc.status_list_base}/`)).toBe(true);
  });

  it('serves the key history: kid, algorithm, status, dates, reason, and never a private part', async () => {
    const res = await t.http('/.well-known/trust-alliance/keys');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const text = await res.text();
    const { keys } = JSON.parse(text);
    const history = await t.registry.keys.history();
    expect(keys.map((k: { kid: string }) => k.kid)).toEqual(history.map((k) => k.kid));
    expect(keys[0]).toEqual({
      kid: history[0]!.kid,
      alg: history[0]!.algorithm,
      status: history[0]!.status,
      created_at: history[0]!.createdAt.toISOString(),
      retired_at: null,
      compromised_at: null,
      publish_until: null,
      reason: null,
    });
    expect(text).not.toMatch(/"d"|private/i);
  });
});

describe('/status-lists/<id>', () => {
  it('serves the list an attestation points at, verifiable with the verifier; ETag, 304, Cache-Control = ttl', async () => {
    const { attestation } = await attestationOf(ALLIANCE_PAGE);
    const claims = decodeJwt(attestation!) as unknown as AttestationClaims;
    const { uri, idx } = claims.status.status_list;
    expect(uri).toMatch(new RegExp(`^${t.origin}/status-lists/[A-Za-z0-9_-]+$`));
    const res = await fetch(uri);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
    const jwt = await res.text();
    expect(decodeProtectedHeader(jwt).typ).toBe(STATUS_LIST_TYP);
    const ttl = (decodeJwt(jwt) as { ttl: number }).ttl;
    expect(ttl).toBeGreaterThan(0);
    expect(res.headers.get('cache-control')).toBe(`public, max-age=${ttl}`);
    const verified = await verifyStatusListToken(jwt, { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin), uri });
    expect(verified.valid).toBe(true);
    if (!verified.valid) return;
    expect(readStatus(verified.statuses, idx)).toBe(StatusValue.VALID);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+-[A-Za-z0-9_-]+"$/);
    const again = await fetch(uri, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe(`public, max-age=${ttl}`);
    const head = await fetch(uri, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
  });

  it('flips the entry to SUSPENDED on suspension and back on reinstatement, with a new ETag each time', async () => {
    const { attestation, badges } = await attestationOf(KOL);
    const { uri, idx } = (decodeJwt(attestation!) as unknown as AttestationClaims).status.status_list;
    const read = async (etag?: string) => {
      const res = await fetch(uri, etag ? { headers: { 'if-none-match': etag } } : {});
      if (res.status === 304) return { status: 304, etag };
      const v = await verifyStatusListToken(await res.text(), { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin), uri });
      if (!v.valid) throw new Error(v.errors[0].message);
      return { status: res.status, etag: res.headers.get('etag')!, value: readStatus(v.statuses, idx) };
    };
    const before = await read();
    expect(before.value).toBe(StatusValue.VALID);
    const badgeId = (await t.registry.verify({ url: KOL })).badges[0]!.id;
    expect(badges[0]!.id).toBeTruthy();
    await t.registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    const suspended = await read(before.etag);
    expect(suspended).toMatchObject({ status: 200, value: StatusValue.SUSPENDED });
    expect(suspended.etag).not.toBe(before.etag);
    expect(await verifyAttestation(attestation!, { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin), statusList: 'fetch' })).toMatchObject({ valid: false, errors: [{ code: 'SUSPENDED' }] });
    await t.registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' });
    const reinstated = await read(suspended.etag);
    // Reinstating signs a new attestation; the suspended one is superseded (INVALID).
    expect(reinstated.status).toBe(200);
    expect([StatusValue.VALID, StatusValue.INVALID]).toContain(reinstated.value);
  });

  it('answers 404 for an unknown list and 405 for POST', async () => {
    for (const path of ['/status-lists/999999', '/status-lists/', '/status-lists/a%20b']) {
      const res = await t.http(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    }
    expect((await t.http('/status-lists/1', { method: 'POST' })).status).toBe(405);
  });
});

describe('a served attestation', () => {
  it('verifies with plain jose and the served key set only (typ and algorithms pinned)', async () => {
    const { attestation } = await attestationOf(ALLIANCE_PAGE);
    expect(attestation).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const jwks = createLocalJWKSet((await (await fetch(`${t.origin}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    const { payload, protectedHeader } = await jwtVerify(attestation!, jwks, { typ: 'trust-mark+jwt', algorithms: ['EdDSA', 'ES256'], issuer: t.origin });
    expect(protectedHeader.typ).toBe(ATTESTATION_TYP);
    expect(payload).toMatchObject({
      iss: t.origin,
      trust_mark_type: `${t.origin}/programs/OFFICIAL_CHANNEL`,
      accounts: expect.arrayContaining([expect.objectContaining({ platform: 'FACEBOOK', url: ALLIANCE_PAGE })]),
      pledge: { version: expect.any(String), content_hash: expect.any(String) },
      status: { status_list: { idx: expect.any(Number), uri: expect.stringContaining(`${t.origin}/status-lists/`) } },
    });
    expect(payload.exp! - payload.iat!).toBeGreaterThan(300 * 24 * 3600);
    // Pinning matters: the same key set refuses it as any other kind of token.
    await expect(jwtVerify(attestation!, jwks, { typ: 'at+jwt', algorithms: ['EdDSA', 'ES256'] })).rejects.toThrow();
    await expect(jwtVerify(attestation!, jwks, { typ: 'trust-mark+jwt', algorithms: ['ES384'] })).rejects.toThrow();
  });

  it('is refused as a bearer token, and an access token is refused as an attestation', async () => {
    const { attestation } = await attestationOf(ALLIANCE_PAGE);
    const asBearer = await t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${attestation}` },
      body: JSON.stringify({ query: '{ pledge { version } }' }),
    });
    expect(asBearer.status).toBe(401);
    expect((await asBearer.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const accessToken = await t.token('ADMIN');
    const asAttestation = await verifyAttestation(accessToken, { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin) });
    expect(asAttestation).toMatchObject({ valid: false, errors: [{ code: 'WRONG_TYP' }] });
    const jwks = createLocalJWKSet((await (await fetch(`${t.origin}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    await expect(jwtVerify(accessToken, jwks, { typ: 'trust-mark+jwt', algorithms: ['EdDSA', 'ES256'] })).rejects.toThrow(/typ/);
  });
});
