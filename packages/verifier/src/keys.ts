/**
 * Where verification keys come from: an issuer's JSON Web Key Set, given inline, as a jose key
 * resolver (`createLocalJWKSet`/`createRemoteJWKSet`), or by URL (discovered at
 * `${issuer}/.well-known/jwks.json`, see {@link jwksUrlFor}). Errors raised while looking a key up
 * are classified here: no matching key is `UNKNOWN_KEY`, a key set that cannot be fetched is
 * `KEYS_UNAVAILABLE`.
 *
 * @module
 */
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors as jose } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { VerifierError, VerifierErrorCode } from './errors.ts';

/**
 * A key set: the JWKS document itself, or a jose key resolver.
 *
 * @example
 * ```ts
 * const a: KeySetInput = { keys: [publicJwk] };
 * const b: KeySetInput = createRemoteJWKSet(new URL(jwksUrlFor(issuer)));
 * ```
 */
export type KeySetInput = JSONWebKeySet | JWTVerifyGetKey;

/**
 * The options every verify function takes to find the issuer's keys: `jwks` or `jwksUrl`
 * (one is required), and an optional `fetch` used for `jwksUrl` (and for status lists).
 *
 * @example
 * ```ts
 * const keys: KeySourceOptions = { jwksUrl: jwksUrlFor('https://registry.example.vn') };
 * ```
 */
export interface KeySourceOptions {
  /** The issuer's key set, inline or as a jose resolver. */
  jwks?: KeySetInput;
  /** The URL of the issuer's key set; fetched and cached (10 minutes) by jose. */
  jwksUrl?: string | URL;
  /** The fetch to use for network access (defaults to `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/**
 * The well-known location of an issuer's JWKS: `${issuer}/.well-known/jwks.json` (a trailing
 * slash on the issuer is ignored).
 *
 * @example
 * ```ts
 * jwksUrlFor('https://registry.example.vn'); // 'https://registry.example.vn/.well-known/jwks.json'
 * ```
 */
export function jwksUrlFor(issuer: string): string {
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer must be a non-empty string');
  return `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
}

const localSets = new WeakMap<object, JWTVerifyGetKey>();
const remoteSets = new Map<string, JWTVerifyGetKey>();
const remoteSetsByFetch = new WeakMap<typeof fetch, Map<string, JWTVerifyGetKey>>();

function remoteSet(url: string, fetchImpl: typeof fetch | undefined): JWTVerifyGetKey {
  // One resolver per URL (and per fetch), so its cache survives across calls.
  let sets = remoteSets;
  if (fetchImpl !== undefined) {
    sets = remoteSetsByFetch.get(fetchImpl) ?? new Map();
    remoteSetsByFetch.set(fetchImpl, sets);
  }
  let set = sets.get(url);
  if (set === undefined) {
    set = fetchImpl === undefined ? createRemoteJWKSet(new URL(url)) : createRemoteJWKSet(new URL(url), { [customFetch]: fetchImpl });
    sets.set(url, set);
  }
  return set;
}

function classifyKeyError(err: unknown): VerifierError {
  if (err instanceof VerifierError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWKSMultipleMatchingKeys || err instanceof jose.JWKInvalid) {
    return new VerifierError(VerifierErrorCode.UNKNOWN_KEY, message, { cause: err });
  }
  if (err instanceof jose.JOSENotSupported) {
    return new VerifierError(VerifierErrorCode.DISALLOWED_ALGORITHM, message, { cause: err });
  }
  // Network failures, non-200 answers, unparsable or invalid key sets, timeouts.
  return new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `key set unavailable: ${message}`, { cause: err });
}

/**
 * Turns `{ jwks | jwksUrl }` into one jose key resolver whose failures are already classified.
 * Throws `TypeError` when neither is given. Internal.
 */
export function resolveKeySet(options: KeySourceOptions): JWTVerifyGetKey {
  const { jwks, jwksUrl } = options;
  let inner: JWTVerifyGetKey;
  if (typeof jwks === 'function') {
    inner = jwks;
  } else if (jwks !== undefined && jwks !== null) {
    if (typeof jwks !== 'object' || !Array.isArray((jwks as { keys?: unknown }).keys)) {
      throw new TypeError('jwks must be a JSON Web Key Set ({ keys: [...] }) or a jose key resolver');
    }
    let local = localSets.get(jwks);
    if (local === undefined) {
      local = createLocalJWKSet(jwks);
      localSets.set(jwks, local);
    }
    inner = local;
  } else if (jwksUrl !== undefined && jwksUrl !== null && String(jwksUrl) !== '') {
    let url: string;
    try {
      url = new URL(String(jwksUrl)).href;
    } catch {
      throw new TypeError(`jwksUrl is not a valid URL: ${String(jwksUrl)}`);
    }
    inner = remoteSet(url, options.fetch);
  } else {
    throw new TypeError('either jwks or jwksUrl is required');
  }
  return async (header, token) => {
    try {
      return await inner(header, token);
    } catch (err) {
      throw classifyKeyError(err);
    }
  };
}
