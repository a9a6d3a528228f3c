/**
 * The key cache keeps its promises, by a fake clock and a fake fetch: a key set is used at most
 * 60 s; an unknown `kid` refetches at once but at most once per 10 s; a `kid` the key history
 * marks compromised is refused once the history has been read, and for good.
 */
import { describe, expect, it } from 'vitest';
import {
  JWKS_MAX_AGE_SECONDS,
  KeyCache,
  UNKNOWN_KID_REFETCH_INTERVAL_SECONDS,
  VerifierErrorCode,
  compromisedKids,
  keyHistoryUrlFor,
  signAttestation,
  verifyAttestation,
} from '../src/index.ts';
import type { AttestationVerification } from '../src/index.ts';
import { ISSUER, NOW, attestationClaims, fakeFetch, makeIssuer } from './helpers.ts';

const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const HISTORY_URL = keyHistoryUrlFor(ISSUER);

const codes = (r: AttestationVerification) => (r.valid ? [] : r.errors.map((e) => e.code));
const count = (calls: string[], url: string) => calls.filter((c) => c === url).length;

async function setup() {
  const k1 = await makeIssuer('EdDSA', 'k1');
  const k2 = await makeIssuer('EdDSA', 'k2');
  const net = fakeFetch();
  let clock = 5_000_000;
  const keyCache = new KeyCache({ now: () => clock });
  const opts = { issuer: ISSUER, jwksUrl: JWKS_URL, fetch: net.fetch, keyCache, now: NOW, statusList: 'skip' as const };
  const jws1 = await signAttestation(attestationClaims(), k1.key);
  const jws2 = await signAttestation(attestationClaims({ jti: 'att_k2' }), k2.key);
  return { k1, k2, net, opts, jws1, jws2, tick: (seconds: number) => (clock += seconds * 1000) };
}

describe('KeyCache: key set age', () => {
  it('uses a fetched key set for at most 60 s: a withdrawn key stops verifying then', async () => {
    const { k1, k2, net, opts, jws1, tick } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    // The issuer withdraws k1 (only k2 published now).
    net.serve(JWKS_URL, JSON.stringify({ keys: [k2.publicJwk] }));
    tick(JWKS_MAX_AGE_SECONDS - 1);
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    expect(count(net.calls, JWKS_URL)).toBe(1);
    tick(1);
    expect(codes(await verifyAttestation(jws1, opts))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
    expect(count(net.calls, JWKS_URL)).toBe(2);
  });

  it('never keeps a key set longer than 60 s, whatever is asked', () => {
    expect(JWKS_MAX_AGE_SECONDS).toBe(60);
    expect(() => new KeyCache({ maxAgeSeconds: 61 })).toThrow(RangeError);
    expect(() => new KeyCache({ maxAgeSeconds: 600 })).toThrow(RangeError);
    expect(() => new KeyCache({ unknownKidRefetchIntervalSeconds: -1 })).toThrow(RangeError);
    expect(() => new KeyCache({ maxAgeSeconds: 30 })).not.toThrow();
  });
});

describe('KeyCache: unknown kid', () => {
  it('verifies a token signed by a key published right after the set was fetched (a rotation), at once', async () => {
    const { k1, k2, net, opts, jws1, jws2, tick } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    net.serve(JWKS_URL, JSON.stringify({ keys: [k2.publicJwk, k1.publicJwk] }));
    tick(1);
    expect(await verifyAttestation(jws2, opts)).toMatchObject({ valid: true });
    expect(count(net.calls, JWKS_URL)).toBe(2);
  });

  it('refetches for unknown kids at most once per 10 s', async () => {
    const { k1, net, opts, jws1, tick } = await setup();
    const stranger = await makeIssuer('EdDSA', 'nobody-knows');
    const junk = await signAttestation(attestationClaims(), stranger.key);
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    expect(count(net.calls, JWKS_URL)).toBe(1);
    for (let i = 0; i < 5; i++) expect(codes(await verifyAttestation(junk, opts))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
    expect(count(net.calls, JWKS_URL)).toBe(2);
    tick(UNKNOWN_KID_REFETCH_INTERVAL_SECONDS - 1);
    expect(codes(await verifyAttestation(junk, opts))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
    expect(count(net.calls, JWKS_URL)).toBe(2);
    tick(1);
    expect(codes(await verifyAttestation(junk, opts))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
    expect(count(net.calls, JWKS_URL)).toBe(3);
  });

  it('shares one fetch between concurrent checks', async () => {
    const { k1, net, opts, jws1 } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyAttestation(jws1, opts)));
    expect(results.every((r) => r.valid)).toBe(true);
    expect(count(net.calls, JWKS_URL)).toBe(1);
    expect(count(net.calls, HISTORY_URL)).toBe(1);
  });
});

describe('KeyCache: key history', () => {
  const history = (entries: Array<{ kid: string; status: string }>) =>
    JSON.stringify({ keys: entries.map((e) => ({ ...e, alg: 'EdDSA', compromised_at: e.status === 'COMPROMISED' ? NOW.toISOString() : null })) });

  it('refuses a key the history marks compromised once it is read (within 60 s), even while a key set still lists it, and for good', async () => {
    const { k1, net, opts, jws1, tick } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    net.serve(HISTORY_URL, history([{ kid: 'k1', status: 'CURRENT' }]));
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    // Compromised at the issuer; a stale copy of the key set (a cache on the way) still lists k1.
    net.serve(HISTORY_URL, history([{ kid: 'k2', status: 'CURRENT' }, { kid: 'k1', status: 'COMPROMISED' }]));
    tick(JWKS_MAX_AGE_SECONDS - 1);
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    tick(1);
    const refused = await verifyAttestation(jws1, opts);
    expect(codes(refused)).toEqual([VerifierErrorCode.KEY_COMPROMISED]);
    // A later history that forgets the compromise (a rollback) does not bring the key back.
    net.serve(HISTORY_URL, history([{ kid: 'k1', status: 'CURRENT' }]));
    tick(JWKS_MAX_AGE_SECONDS);
    expect(codes(await verifyAttestation(jws1, opts))).toEqual([VerifierErrorCode.KEY_COMPROMISED]);
  });

  it('reads the history given with an inline key set too', async () => {
    const { k1, net, jws1 } = await setup();
    net.serve(HISTORY_URL, history([{ kid: 'k1', status: 'COMPROMISED' }]));
    const r = await verifyAttestation(jws1, { issuer: ISSUER, jwks: k1.jwks, keyHistoryUrl: HISTORY_URL, fetch: net.fetch, keyCache: new KeyCache(), now: NOW, statusList: 'skip' });
    expect(codes(r)).toEqual([VerifierErrorCode.KEY_COMPROMISED]);
    // Without a history URL, an inline key set is all there is.
    const plain = await verifyAttestation(jws1, { issuer: ISSUER, jwks: k1.jwks, fetch: net.fetch, keyCache: new KeyCache(), now: NOW, statusList: 'skip' });
    expect(plain.valid).toBe(true);
  });

  it('goes on with the key set alone when the history cannot be read, and reads it no more than once a minute', async () => {
    const { k1, net, opts, jws1, tick } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    net.fail(HISTORY_URL);
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    expect(count(net.calls, HISTORY_URL)).toBe(1);
    net.serve(HISTORY_URL, 'not json');
    tick(JWKS_MAX_AGE_SECONDS);
    expect((await verifyAttestation(jws1, opts)).valid).toBe(true);
    expect(count(net.calls, HISTORY_URL)).toBe(2);
  });

  it('keyHistoryUrl: false never reads it', async () => {
    const { k1, net, opts, jws1 } = await setup();
    net.serve(JWKS_URL, JSON.stringify({ keys: [k1.publicJwk] }));
    net.serve(HISTORY_URL, history([{ kid: 'k1', status: 'COMPROMISED' }]));
    expect((await verifyAttestation(jws1, { ...opts, keyHistoryUrl: false })).valid).toBe(true);
    expect(count(net.calls, HISTORY_URL)).toBe(0);
  });

  it('compromisedKids reads the registry history document, and nothing from anything else', () => {
    expect(compromisedKids({ keys: [{ kid: 'a', status: 'COMPROMISED' }, { kid: 'b', status: 'RETIRED' }, { kid: 'c', status: 'CURRENT', compromised_at: '2025-01-01T00:00:00Z' }] })).toEqual(['a', 'c']);
    for (const junk of [null, 'x', 42, {}, { keys: 'x' }, { keys: [null, 1, { status: 'COMPROMISED' }, { kid: '', status: 'COMPROMISED' }] }]) expect(compromisedKids(junk)).toEqual([]);
  });
});
