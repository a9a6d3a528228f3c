/**
 * Which status lists a verifier believes, by a fake clock and a fake fetch: never one older than
 * the newest seen for its URI (a rollback), never one past `iat + ttl + STATUS_LIST_GRACE_SECONDS`,
 * and never one outside the issuer (not even fetched).
 */
import { describe, expect, it } from 'vitest';
import {
  STATUS_LIST_GRACE_SECONDS,
  StatusListCache,
  StatusValue,
  VerifierError,
  VerifierErrorCode,
  signAttestation,
  signStatusList,
  statusListUriUnderIssuer,
  verifyAttestation,
} from '../src/index.ts';
import type { AttestationVerification, StatusListClaims } from '../src/index.ts';
import { ISSUER, LIST_URI, NOW, NOW_S, attestationClaims, fakeFetch, makeIssuer } from './helpers.ts';
import type { TestIssuer } from './helpers.ts';

const codes = (r: AttestationVerification) => (r.valid ? [] : r.errors.map((e) => e.code));
const TTL = 120;
const SUSPENDED_AT_5 = [0, 0, 0, 0, 0, StatusValue.SUSPENDED];
const VALID_AT_5 = [0, 0, 0, 0, 0, StatusValue.VALID];

const list = (issuer: TestIssuer, statuses: number[], iat: number, extra: { sub?: string } = {}) =>
  signStatusList({ iss: ISSUER, sub: extra.sub ?? LIST_URI, iat, exp: iat + 86_400, ttl: TTL, statuses }, issuer.key);

async function setup() {
  const issuer = await makeIssuer('EdDSA');
  const net = fakeFetch();
  let clock = 9_000_000;
  let at = NOW.getTime();
  const cache = new StatusListCache({ now: () => clock });
  const jws = await signAttestation(attestationClaims(), issuer.key);
  const verify = (token = jws) => verifyAttestation(token, { issuer: ISSUER, jwks: issuer.jwks, fetch: net.fetch, statusList: cache, now: new Date(at) });
  const tick = (seconds: number) => {
    clock += seconds * 1000;
    at += seconds * 1000;
  };
  return { issuer, net, cache, jws, verify, tick };
}

describe('status lists: rollback', () => {
  it('refuses a list older than one already seen for the URI, so a suspended badge never turns VALID again', async () => {
    const { issuer, net, cache, verify, tick } = await setup();
    const before = await list(issuer, VALID_AT_5, NOW_S - 30);
    net.serve(LIST_URI, before);
    expect(await verify()).toMatchObject({ valid: true, status: 'VALID' });
    // Suspended at the issuer: a newer list.
    net.serve(LIST_URI, await list(issuer, SUSPENDED_AT_5, NOW_S - 10));
    tick(TTL);
    expect(codes(await verify())).toEqual([VerifierErrorCode.SUSPENDED]);
    // A stale cache or an attacker serves the old list again.
    net.serve(LIST_URI, before);
    tick(TTL);
    const rolledBack = await verify();
    expect(codes(rolledBack)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.STATUS_LIST_ROLLBACK]);
    expect(!rolledBack.valid && rolledBack.claims?.sub).toBe('mem_01HZX');
    // Forgetting the lists does not forget how new they were.
    cache.clear();
    expect(codes(await verify())).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.STATUS_LIST_ROLLBACK]);
  });

  it('accepts the same list again, and a newer one', async () => {
    const { issuer, net, verify, tick } = await setup();
    const first = await list(issuer, VALID_AT_5, NOW_S - 30);
    net.serve(LIST_URI, first);
    expect((await verify()).valid).toBe(true);
    tick(TTL);
    expect((await verify()).valid).toBe(true);
    net.serve(LIST_URI, await list(issuer, VALID_AT_5, NOW_S + TTL));
    tick(TTL);
    expect((await verify()).valid).toBe(true);
    expect(net.calls).toHaveLength(3);
  });

  it('set() says STATUS_LIST_ROLLBACK and keeps the newer list', () => {
    const cache = new StatusListCache({ now: () => NOW.getTime() });
    const claims = (iat: number): StatusListClaims => ({ iss: ISSUER, sub: LIST_URI, iat, ttl: TTL, status_list: { bits: 2, lst: 'x' } });
    cache.set(ISSUER, LIST_URI, { claims: claims(NOW_S), statuses: Uint8Array.of(2) });
    let thrown: unknown;
    try {
      cache.set(ISSUER, LIST_URI, { claims: claims(NOW_S - 1), statuses: Uint8Array.of(0) });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(VerifierError);
    expect((thrown as VerifierError).code).toBe(VerifierErrorCode.STATUS_LIST_ROLLBACK);
    expect(cache.get(ISSUER, LIST_URI)?.statuses).toEqual(Uint8Array.of(2));
    expect(cache.newestIat(ISSUER, LIST_URI)).toBe(NOW_S);
  });
});

describe('status lists: staleness', () => {
  it(`refuses a list whose iat + ttl + ${STATUS_LIST_GRACE_SECONDS} s has passed, accepts one just inside`, async () => {
    const { issuer, net, verify } = await setup();
    net.serve(LIST_URI, await list(issuer, VALID_AT_5, NOW_S - (TTL + STATUS_LIST_GRACE_SECONDS)));
    expect(codes(await verify())).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.STATUS_LIST_STALE]);
    net.serve(LIST_URI, await list(issuer, VALID_AT_5, NOW_S - (TTL + STATUS_LIST_GRACE_SECONDS) + 1));
    expect((await verify()).valid).toBe(true);
  });

  it('stops serving a cached list once it is no longer believed, and fetches a fresh one', async () => {
    const { issuer, net, verify, tick } = await setup();
    // Fetched late in its life: believed only 10 s more.
    net.serve(LIST_URI, await list(issuer, VALID_AT_5, NOW_S - (TTL + STATUS_LIST_GRACE_SECONDS) + 10));
    expect((await verify()).valid).toBe(true);
    net.serve(LIST_URI, await list(issuer, SUSPENDED_AT_5, NOW_S));
    tick(9);
    expect((await verify()).valid).toBe(true);
    tick(1);
    expect(codes(await verify())).toEqual([VerifierErrorCode.SUSPENDED]);
    expect(net.calls).toHaveLength(2);
  });

  it('states the grace, and lets a platform be stricter but not laxer', () => {
    expect(STATUS_LIST_GRACE_SECONDS).toBe(300);
    expect(() => new StatusListCache({ graceSeconds: 0 })).not.toThrow();
    expect(() => new StatusListCache({ graceSeconds: STATUS_LIST_GRACE_SECONDS + 1 })).toThrow(RangeError);
    expect(() => new StatusListCache({ graceSeconds: -1 })).toThrow(TypeError);
  });
});

describe('status lists: under the issuer', () => {
  it('refuses an attestation whose list is elsewhere, without fetching it', async () => {
    const { issuer, net, verify } = await setup();
    for (const uri of [
      'https://evil.example/status/1',
      'http://registry.example.vn/status/1',
      'https://registry.example.vn:8443/status/1',
      'https://user:pw@registry.example.vn/status/1',
      'https://registry.example.vn.evil.example/status/1',
      'not a url',
    ]) {
      net.serve(uri, await list(issuer, VALID_AT_5, NOW_S, { sub: uri }));
      const jws = await signAttestation(attestationClaims({ status: { status_list: { idx: 5, uri } } }), issuer.key);
      const r = await verify(jws);
      expect(codes(r), uri).toEqual([VerifierErrorCode.FOREIGN_STATUS_LIST]);
      expect(!r.valid && r.claims?.sub).toBe('mem_01HZX');
    }
    expect(net.calls).toEqual([]);
  });

  it('statusListUriUnderIssuer checks the origin and the path prefix, after normalising the path', () => {
    const base = 'https://x.example.vn/registry';
    expect(statusListUriUnderIssuer('https://x.example.vn/registry/status-lists/1', base)).toBe(true);
    expect(statusListUriUnderIssuer('https://x.example.vn/registry/status-lists/1', `${base}/`)).toBe(true);
    expect(statusListUriUnderIssuer('https://x.example.vn/registryevil/status-lists/1', base)).toBe(false);
    expect(statusListUriUnderIssuer('https://x.example.vn/registry/../other/1', base)).toBe(false);
    expect(statusListUriUnderIssuer('https://x.example.vn/registry/%2e%2e/other/1', base)).toBe(false);
    expect(statusListUriUnderIssuer('https://x.example.vn/other/1', base)).toBe(false);
    expect(statusListUriUnderIssuer('https://X.EXAMPLE.VN/status/1', 'https://x.example.vn')).toBe(true);
    expect(statusListUriUnderIssuer('ftp://x.example.vn/status/1', 'ftp://x.example.vn')).toBe(false);
  });
});
