/**
 * Test helpers: issuer keys, an attestation factory, a fake `fetch` that serves status lists and
 * key sets and counts requests.
 */
import { exportJWK, generateKeyPair } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';
import type { AllowedAlgorithm, AttestationClaims, SigningKey } from '../src/index.ts';

export const ISSUER = 'https://registry.example.vn';
export const LIST_URI = `${ISSUER}/status/1`;
export const NOW = new Date('2025-06-01T00:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export interface TestIssuer {
  key: SigningKey;
  publicJwk: JWK;
  jwks: JSONWebKeySet;
}

export async function makeIssuer(alg: AllowedAlgorithm, kid = `${alg}-key-1`): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(alg === 'EdDSA' ? 'Ed25519' : 'ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { key: { privateKey, kid, alg }, publicJwk, jwks: { keys: [publicJwk] } };
}

export function attestationClaims(overrides: Partial<AttestationClaims> = {}): AttestationClaims {
  return {
    iss: ISSUER,
    sub: 'mem_01HZX',
    trust_mark_type: `${ISSUER}/programs/KOL_TRUST`,
    iat: NOW_S - 3600,
    exp: NOW_S + 365 * 86400,
    jti: 'att_01HZY',
    logo_uri: `${ISSUER}/badge/KOL_TRUST.svg`,
    ref: `${ISSUER}/v/mem_01HZX`,
    accounts: [
      { platform: 'FACEBOOK', key: 'facebook:id:100064', url: 'https://www.facebook.com/congan.example', handle: 'congan.example', platform_id: '100064' },
      { platform: 'TIKTOK', key: 'tiktok:@chi.pham', url: 'https://www.tiktok.com/@chi.pham' },
    ],
    pledge: { version: '2025.1', content_hash: 'sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b' },
    status: { status_list: { idx: 5, uri: LIST_URI } },
    member: { display_name: 'Chi Phạm', kind: 'KOL' },
    badge: { id: 'bdg_1', program: 'KOL_TRUST' },
    ...overrides,
  };
}

export interface FakeFetch {
  fetch: typeof fetch;
  calls: string[];
  serve(url: string, body: string | (() => string), status?: number): void;
  fail(url: string): void;
}

/** A fetch that answers only the URLs it was told about, and records every request. */
export function fakeFetch(): FakeFetch {
  const routes = new Map<string, { body: string | (() => string); status: number } | 'network-error'>();
  const calls: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    const route = routes.get(url);
    if (route === 'network-error') throw new TypeError('fetch failed');
    if (route === undefined) return new Response('not found', { status: 404 });
    const body = typeof route.body === 'function' ? route.body() : route.body;
    return new Response(body, { status: route.status });
  };
  return {
    fetch: fetchImpl as typeof fetch,
    calls,
    serve(url, body, status = 200) {
      routes.set(url, { body, status });
    },
    fail(url) {
      routes.set(url, 'network-error');
    },
  };
}

/** base64url of a string or bytes, for hand-crafted tokens. */
export function b64u(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  return Buffer.from(bytes).toString('base64url');
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function unhex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
