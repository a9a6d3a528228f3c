/**
 * Where verification keys come from: an issuer's JSON Web Key Set, given inline, as a jose key
 * resolver, or by URL (discovered at `${issuer}/.well-known/jwks.json`, see {@link jwksUrlFor}),
 * and the issuer's key history (`${issuer}/.well-known/trust-alliance/keys`, see
 * {@link keyHistoryUrlFor}), which says which keys were compromised.
 *
 * Why not jose's `createRemoteJWKSet`: it keeps a key set for 10 minutes and refuses to refetch
 * for 30 s after a fetch, so a withdrawn key kept verifying for 10 minutes and a key published
 * by a rotation failed with UNKNOWN_KEY for up to 30 s. The {@link KeyCache} here gives the
 * bounds a platform can rely on, by its own (injectable) clock:
 *
 * - a key set is used for at most {@link JWKS_MAX_AGE_SECONDS} (60 s) after it was fetched;
 * - a token naming a `kid` the cached set lacks makes it fetch the set again at once, at most
 *   once per {@link UNKNOWN_KID_REFETCH_INTERVAL_SECONDS} (10 s), so garbage `kid`s cannot
 *   turn the verifier into a request amplifier;
 * - the key history is read on the same 60 s cadence; a `kid` it marks compromised is refused
 *   from then on (KEY_COMPROMISED), even when an older key set still lists it. A history that
 *   cannot be fetched is not an error: the key set alone already drops compromised keys.
 *
 * Errors raised while looking a key up are classified here: no matching key is `UNKNOWN_KEY`,
 * a key set that cannot be fetched is `KEYS_UNAVAILABLE`.
 *
 * @module
 */
import { createLocalJWKSet, errors as jose } from 'jose';
import type { CompactJWSHeaderParameters, FlattenedJWSInput, JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { VerifierError, VerifierErrorCode } from './errors.ts';
import { ED25519_ALIASES } from './formats.ts';

/**
 * Longest time, in seconds, a fetched key set is used before it is fetched again: a key the
 * issuer withdraws stops verifying within this.
 *
 * @example
 * ```ts
 * new KeyCache({ maxAgeSeconds: JWKS_MAX_AGE_SECONDS }); // the default, and the upper bound
 * ```
 */
export const JWKS_MAX_AGE_SECONDS = 60;

/**
 * Least time, in seconds, between two refetches of a key set caused by a `kid` it lacks.
 *
 * @example
 * ```ts
 * new KeyCache({ unknownKidRefetchIntervalSeconds: UNKNOWN_KID_REFETCH_INTERVAL_SECONDS });
 * ```
 */
export const UNKNOWN_KID_REFETCH_INTERVAL_SECONDS = 10;

/** How long one key-set or key-history request may take. */
const FETCH_TIMEOUT_MS = 10_000;

/**
 * A key set: the JWKS document itself, or a jose key resolver.
 *
 * @example
 * ```ts
 * const a: KeySetInput = { keys: [publicJwk] };
 * const b: KeySetInput = createLocalJWKSet({ keys: [publicJwk] });
 * ```
 */
export type KeySetInput = JSONWebKeySet | JWTVerifyGetKey;

/**
 * The options every verify function takes to find the issuer's keys: `jwks` or `jwksUrl`
 * (one is required), an optional `fetch` used for `jwksUrl`, the key history and status lists,
 * and the {@link KeyCache} to keep fetched keys in.
 *
 * @example
 * ```ts
 * const keys: KeySourceOptions = { jwksUrl: jwksUrlFor('https://registry.example.vn') };
 * ```
 */
export interface KeySourceOptions {
  /** The issuer's key set, inline or as a jose resolver. */
  jwks?: KeySetInput;
  /** The URL of the issuer's key set; fetched and kept at most {@link JWKS_MAX_AGE_SECONDS}. */
  jwksUrl?: string | URL;
  /**
   * The issuer's key history, to refuse keys it marks compromised. Default with `jwksUrl`:
   * {@link keyHistoryUrlFor}(issuer); default with `jwks`: none. `false` never reads it.
   */
  keyHistoryUrl?: string | URL | false;
  /** Where fetched key sets and histories are kept (default {@link defaultKeyCache}). */
  keyCache?: KeyCache;
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

/**
 * The well-known location of an issuer's key history (every key it ever used, with its status):
 * `${issuer}/.well-known/trust-alliance/keys`.
 *
 * @example
 * ```ts
 * keyHistoryUrlFor('https://registry.example.vn'); // 'https://registry.example.vn/.well-known/trust-alliance/keys'
 * ```
 */
export function keyHistoryUrlFor(issuer: string): string {
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer must be a non-empty string');
  return `${issuer.replace(/\/+$/, '')}/.well-known/trust-alliance/keys`;
}

/**
 * Whether `uri` lies under `issuer`: an http(s) URL of the same origin, without credentials,
 * whose (normalised) path is the issuer's path or below it.
 *
 * @example
 * ```ts
 * uriUnderIssuer('https://registry.example.vn/status-lists/1', 'https://registry.example.vn'); // true
 * uriUnderIssuer('https://evil.example/status-lists/1', 'https://registry.example.vn'); // false
 * uriUnderIssuer('https://x.vn/registryevil/1', 'https://x.vn/registry'); // false
 * ```
 */
export function uriUnderIssuer(uri: string, issuer: string): boolean {
  let u: URL;
  let i: URL;
  try {
    u = new URL(uri);
    i = new URL(issuer);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (u.origin !== i.origin || u.username !== '' || u.password !== '') return false;
  const base = i.pathname.replace(/\/+$/, '');
  return base === '' || u.pathname === base || u.pathname.startsWith(`${base}/`);
}

/**
 * `Ed25519` and `EdDSA` name the same signature (RFC 9864): a key published under one verifies
 * a token signed under the other. Looked up in the same key set, without another fetch.
 */
function withEd25519Alias(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (err) {
      const alias = typeof header.alg === 'string' ? ED25519_ALIASES[header.alg] : undefined;
      if (alias === undefined || !(err instanceof jose.JWKSNoMatchingKey)) throw err;
      try {
        return await getKey({ ...header, alg: alias }, token);
      } catch {
        throw err;
      }
    }
  };
}

/**
 * Options of {@link KeyCache}.
 *
 * @example
 * ```ts
 * const options: KeyCacheOptions = { now: () => fakeClockMs };
 * ```
 */
export interface KeyCacheOptions {
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** Seconds a fetched key set or history is used (default and most {@link JWKS_MAX_AGE_SECONDS}). */
  maxAgeSeconds?: number;
  /** Least seconds between refetches caused by an unknown `kid` (default {@link UNKNOWN_KID_REFETCH_INTERVAL_SECONDS}). */
  unknownKidRefetchIntervalSeconds?: number;
}

type FetchLike = typeof fetch;

async function fetchJson(url: string, fetchImpl: FetchLike, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      ...(typeof AbortSignal.timeout === 'function' ? { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) } : {}),
    });
  } catch (err) {
    throw new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `${what} ${url} could not be fetched: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (response.status !== 200) throw new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `${what} ${url} answered HTTP ${response.status}`);
  try {
    return await response.json();
  } catch (err) {
    throw new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `${what} ${url} is not JSON`, { cause: err });
  }
}

/** One fetched key set, refreshed by age and on unknown `kid`s. */
class RemoteKeySet {
  readonly #url: string;
  readonly #fetch: () => FetchLike;
  readonly #cache: KeyCache;
  #set: { getKey: JWTVerifyGetKey; fetchedAt: number } | null = null;
  #pending: Promise<void> | null = null;
  #lastUnknownKidRefetch = Number.NEGATIVE_INFINITY;

  constructor(url: string, fetchImpl: () => FetchLike, cache: KeyCache) {
    this.#url = url;
    this.#fetch = fetchImpl;
    this.#cache = cache;
  }

  #refresh(): Promise<void> {
    this.#pending ??= (async () => {
      const body = await fetchJson(this.#url, this.#fetch(), 'key set');
      if (body === null || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
        throw new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `key set ${this.#url} is not a JSON Web Key Set`);
      }
      this.#set = { getKey: withEd25519Alias(createLocalJWKSet(body as JSONWebKeySet)), fetchedAt: this.#cache.now() };
    })().finally(() => (this.#pending = null));
    return this.#pending;
  }

  /** Fetches the set when it is missing or too old; says whether it did. */
  async #ensureFresh(): Promise<boolean> {
    const set = this.#set;
    if (set !== null && this.#cache.now() - set.fetchedAt < this.#cache.maxAgeMs) return false;
    await this.#refresh();
    return true;
  }

  async getKey(header: CompactJWSHeaderParameters, token: FlattenedJWSInput) {
    const justFetched = await this.#ensureFresh();
    try {
      return await this.#set!.getKey(header, token);
    } catch (err) {
      if (!(err instanceof jose.JWKSNoMatchingKey) || justFetched) throw err;
      const now = this.#cache.now();
      if (now - this.#lastUnknownKidRefetch < this.#cache.unknownKidIntervalMs) throw err;
      // A key published since the last fetch (a rotation) verifies at once.
      this.#lastUnknownKidRefetch = now;
      await this.#refresh();
      return this.#set!.getKey(header, token);
    }
  }
}

/** One issuer's key history: the `kid`s it marks compromised, remembered for good once seen. */
class KeyHistoryWatch {
  readonly #url: string;
  readonly #fetch: () => FetchLike;
  readonly #cache: KeyCache;
  readonly compromised = new Set<string>();
  #checkedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | null = null;

  constructor(url: string, fetchImpl: () => FetchLike, cache: KeyCache) {
    this.#url = url;
    this.#fetch = fetchImpl;
    this.#cache = cache;
  }

  /** Reads the history when the last reading is older than the max age; never throws. */
  ensureFresh(): Promise<void> {
    if (this.#cache.now() - this.#checkedAt < this.#cache.maxAgeMs) return Promise.resolve();
    this.#pending ??= (async () => {
      try {
        for (const kid of compromisedKids(await fetchJson(this.#url, this.#fetch(), 'key history'))) this.compromised.add(kid);
      } catch {
        // Unreadable history: the key set alone decides (it drops a compromised key at once).
      } finally {
        this.#checkedAt = this.#cache.now();
      }
    })().finally(() => (this.#pending = null));
    return this.#pending;
  }
}

/**
 * The `kid`s a key-history document marks compromised (`status: "COMPROMISED"` or a
 * `compromised_at`). Anything unreadable yields none.
 *
 * @example
 * ```ts
 * compromisedKids({ keys: [{ kid: 'k1', status: 'COMPROMISED' }, { kid: 'k2', status: 'CURRENT' }] }); // ['k1']
 * ```
 */
export function compromisedKids(history: unknown): string[] {
  const keys = history !== null && typeof history === 'object' ? (history as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) return [];
  const out: string[] = [];
  for (const key of keys) {
    if (key === null || typeof key !== 'object') continue;
    const { kid, status, compromised_at: at } = key as { kid?: unknown; status?: unknown; compromised_at?: unknown };
    if (typeof kid === 'string' && kid !== '' && (status === 'COMPROMISED' || (typeof at === 'string' && at !== ''))) out.push(kid);
  }
  return out;
}

/**
 * Fetched key sets and key histories, by URL (and by the `fetch` used), with an injectable
 * clock. A platform keeps one for the life of its process (the default is
 * {@link defaultKeyCache}); the bounds it keeps are in this module's comment.
 *
 * @example
 * ```ts
 * const keyCache = new KeyCache();
 * await verifyAttestation(jws, { issuer, jwksUrl: jwksUrlFor(issuer), keyCache });
 * ```
 */
export class KeyCache {
  /** The cache's clock (milliseconds). */
  readonly now: () => number;
  /** @internal */
  readonly maxAgeMs: number;
  /** @internal */
  readonly unknownKidIntervalMs: number;
  #sets = new WeakMap<object, Map<string, RemoteKeySet>>();
  #histories = new WeakMap<object, Map<string, KeyHistoryWatch>>();

  constructor(options: KeyCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    const maxAge = options.maxAgeSeconds ?? JWKS_MAX_AGE_SECONDS;
    const interval = options.unknownKidRefetchIntervalSeconds ?? UNKNOWN_KID_REFETCH_INTERVAL_SECONDS;
    if (typeof maxAge !== 'number' || !(maxAge >= 0 && maxAge <= JWKS_MAX_AGE_SECONDS)) {
      throw new RangeError(`maxAgeSeconds must be from 0 to ${JWKS_MAX_AGE_SECONDS}`);
    }
    if (typeof interval !== 'number' || !(interval >= 0 && Number.isFinite(interval))) throw new RangeError('unknownKidRefetchIntervalSeconds must be a non-negative number');
    this.maxAgeMs = maxAge * 1000;
    this.unknownKidIntervalMs = interval * 1000;
  }

  static #slot<T>(map: WeakMap<object, Map<string, T>>, fetchImpl: FetchLike | undefined, url: string, make: () => T): T {
    const owner = fetchImpl ?? DEFAULT_FETCH;
    let byUrl = map.get(owner);
    if (byUrl === undefined) {
      byUrl = new Map();
      map.set(owner, byUrl);
    }
    let slot = byUrl.get(url);
    if (slot === undefined) {
      slot = make();
      byUrl.set(url, slot);
    }
    return slot;
  }

  /** @internal */
  keySet(url: string, fetchImpl: FetchLike | undefined): RemoteKeySet {
    return KeyCache.#slot(this.#sets, fetchImpl, url, () => new RemoteKeySet(url, () => fetchImpl ?? globalThis.fetch, this));
  }

  /** @internal */
  history(url: string, fetchImpl: FetchLike | undefined): KeyHistoryWatch {
    return KeyCache.#slot(this.#histories, fetchImpl, url, () => new KeyHistoryWatch(url, () => fetchImpl ?? globalThis.fetch, this));
  }

  /**
   * Forgets every key set and history (including the compromised keys seen).
   *
   * @example
   * ```ts
   * keyCache.clear();
   * ```
   */
  clear(): void {
    this.#sets = new WeakMap();
    this.#histories = new WeakMap();
  }
}

/** Stands for `globalThis.fetch` as a cache owner, so replacing the global does not split caches. */
const DEFAULT_FETCH = {};

/**
 * The cache used when no `keyCache` is given: one per process (or page).
 *
 * @example
 * ```ts
 * defaultKeyCache.clear(); // fetch every key set again
 * ```
 */
export const defaultKeyCache = new KeyCache();

const localSets = new WeakMap<object, JWTVerifyGetKey>();

function classifyKeyError(err: unknown): VerifierError {
  if (err instanceof VerifierError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWKSMultipleMatchingKeys || err instanceof jose.JWKInvalid) {
    return new VerifierError(VerifierErrorCode.UNKNOWN_KEY, message, { cause: err });
  }
  if (err instanceof jose.JOSENotSupported) {
    return new VerifierError(VerifierErrorCode.DISALLOWED_ALGORITHM, message, { cause: err });
  }
  // Unparsable or invalid key sets, timeouts.
  return new VerifierError(VerifierErrorCode.KEYS_UNAVAILABLE, `key set unavailable: ${message}`, { cause: err });
}

function urlOption(value: string | URL, name: string): string {
  try {
    return new URL(String(value)).href;
  } catch {
    throw new TypeError(`${name} is not a valid URL: ${String(value)}`);
  }
}

/**
 * Turns `{ jwks | jwksUrl, keyHistoryUrl }` into one jose key resolver whose failures are
 * already classified and which refuses compromised keys. Throws `TypeError` when neither `jwks`
 * nor `jwksUrl` is given. Internal.
 */
export function resolveKeySet(options: KeySourceOptions & { issuer?: string }): JWTVerifyGetKey {
  const { jwks, jwksUrl, keyHistoryUrl } = options;
  const cache = options.keyCache ?? defaultKeyCache;
  if (!(cache instanceof KeyCache)) throw new TypeError('keyCache must be a KeyCache');
  let inner: JWTVerifyGetKey;
  let byUrl = false;
  if (typeof jwks === 'function') {
    inner = withEd25519Alias(jwks);
  } else if (jwks !== undefined && jwks !== null) {
    if (typeof jwks !== 'object' || !Array.isArray((jwks as { keys?: unknown }).keys)) {
      throw new TypeError('jwks must be a JSON Web Key Set ({ keys: [...] }) or a jose key resolver');
    }
    let local = localSets.get(jwks);
    if (local === undefined) {
      local = withEd25519Alias(createLocalJWKSet(jwks));
      localSets.set(jwks, local);
    }
    inner = local;
  } else if (jwksUrl !== undefined && jwksUrl !== null && String(jwksUrl) !== '') {
    const remote = cache.keySet(urlOption(jwksUrl, 'jwksUrl'), options.fetch);
    inner = (header, token) => remote.getKey(header, token);
    byUrl = true;
  } else {
    throw new TypeError('either jwks or jwksUrl is required');
  }

  let historyUrl: string | undefined;
  if (keyHistoryUrl !== undefined && keyHistoryUrl !== null && keyHistoryUrl !== false && String(keyHistoryUrl) !== '') {
    historyUrl = urlOption(keyHistoryUrl, 'keyHistoryUrl');
  } else if (keyHistoryUrl === undefined && byUrl && typeof options.issuer === 'string' && options.issuer !== '') {
    historyUrl = keyHistoryUrlFor(options.issuer);
  }
  const history = historyUrl === undefined ? undefined : cache.history(historyUrl, options.fetch);

  return async (header, token) => {
    try {
      await history?.ensureFresh();
      if (history !== undefined && typeof header.kid === 'string' && history.compromised.has(header.kid)) {
        throw new VerifierError(VerifierErrorCode.KEY_COMPROMISED, `key ${header.kid} is marked compromised in the issuer's key history`);
      }
      return await inner(header, token);
    } catch (err) {
      throw classifyKeyError(err);
    }
  };
}
