/**
 * A cache of verified status lists, per issuer and list URI, each kept for the `ttl` seconds its
 * token declares (never past its `exp`), with an injectable clock. Concurrent loads of the same
 * list share one fetch, so verifying thousands of attestations at once costs one request per
 * list. A platform creates one and passes it to every `verifyAttestation` call.
 *
 * @module
 */
import type { StatusListClaims } from './status-list.ts';

/**
 * A verified, decoded status list as held by the cache.
 *
 * @example
 * ```ts
 * const entry: CachedStatusList | undefined = cache.get(issuer, uri);
 * entry?.statuses[42];
 * ```
 */
export interface CachedStatusList {
  claims: StatusListClaims;
  /** One status per entry. */
  statuses: Uint8Array;
  /** When the entry was stored (milliseconds, cache clock). */
  storedAt: number;
  /** When the entry stops being served (milliseconds, cache clock). */
  expiresAt: number;
}

/**
 * Options of {@link StatusListCache}.
 *
 * @example
 * ```ts
 * const options: StatusListCacheOptions = { now: () => fakeClockMs, defaultTtlSeconds: 60 };
 * ```
 */
export interface StatusListCacheOptions {
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** How long to keep a list whose token has no `ttl` (default 300 seconds). */
  defaultTtlSeconds?: number;
  /** Upper bound on any `ttl`, against an issuer asking for too much (default 86,400 seconds). */
  maxTtlSeconds?: number;
  /** How many lists to keep; the oldest is dropped first (default 1,000). */
  maxEntries?: number;
}

/**
 * Verified status lists by issuer and URI, each for its token's `ttl`.
 *
 * @example
 * ```ts
 * const statusLists = new StatusListCache();
 * for (const jws of attestations) {
 *   await verifyAttestation(jws, { issuer, jwksUrl, statusList: statusLists });
 * }
 * ```
 */
export class StatusListCache {
  readonly #now: () => number;
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, CachedStatusList>();
  readonly #loading = new Map<string, Promise<CachedStatusList>>();

  constructor(options: StatusListCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#defaultTtl = options.defaultTtlSeconds ?? 300;
    this.#maxTtl = options.maxTtlSeconds ?? 86_400;
    this.#maxEntries = options.maxEntries ?? 1000;
    for (const [name, v] of [['defaultTtlSeconds', this.#defaultTtl], ['maxTtlSeconds', this.#maxTtl], ['maxEntries', this.#maxEntries]] as const) {
      if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`${name} must be a non-negative number`);
    }
  }

  static #key(issuer: string, uri: string): string {
    return `${issuer}\u0000${uri}`;
  }

  /**
   * The fresh entry for this list, or `undefined` (absent or past its ttl).
   *
   * @example
   * ```ts
   * cache.get('https://registry.example.vn', 'https://registry.example.vn/status/1');
   * ```
   */
  get(issuer: string, uri: string): CachedStatusList | undefined {
    const key = StatusListCache.#key(issuer, uri);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Stores a verified list for `min(ttl, maxTtlSeconds)` seconds (or `defaultTtlSeconds` without a
   * `ttl`), and never past its `exp`. Returns the entry (also when it is too short-lived to keep).
   *
   * @example
   * ```ts
   * cache.set(issuer, uri, { claims, statuses });
   * ```
   */
  set(issuer: string, uri: string, list: { claims: StatusListClaims; statuses: Uint8Array }): CachedStatusList {
    const storedAt = this.#now();
    const ttl = Math.min(list.claims.ttl ?? this.#defaultTtl, this.#maxTtl);
    let expiresAt = storedAt + ttl * 1000;
    if (typeof list.claims.exp === 'number') expiresAt = Math.min(expiresAt, list.claims.exp * 1000);
    const entry: CachedStatusList = { claims: list.claims, statuses: list.statuses, storedAt, expiresAt };
    const key = StatusListCache.#key(issuer, uri);
    this.#entries.delete(key);
    if (expiresAt > storedAt && this.#maxEntries > 0) {
      this.#entries.set(key, entry);
      while (this.#entries.size > this.#maxEntries) {
        const oldest = this.#entries.keys().next().value as string;
        this.#entries.delete(oldest);
      }
    }
    return entry;
  }

  /**
   * The fresh entry, or the result of `load()` (stored). Concurrent calls for the same list share
   * one `load()`; a failed load is not cached.
   *
   * @example
   * ```ts
   * const entry = await cache.load(issuer, uri, async () => fetchAndVerify(uri));
   * ```
   */
  async load(
    issuer: string,
    uri: string,
    load: () => Promise<{ claims: StatusListClaims; statuses: Uint8Array }>,
  ): Promise<CachedStatusList> {
    const fresh = this.get(issuer, uri);
    if (fresh !== undefined) return fresh;
    const key = StatusListCache.#key(issuer, uri);
    let pending = this.#loading.get(key);
    if (pending === undefined) {
      pending = (async () => this.set(issuer, uri, await load()))();
      this.#loading.set(key, pending);
      const clear = () => {
        if (this.#loading.get(key) === pending) this.#loading.delete(key);
      };
      pending.then(clear, clear);
    }
    return pending;
  }

  /**
   * Forgets one list.
   *
   * @example
   * ```ts
   * cache.delete(issuer, uri);
   * ```
   */
  delete(issuer: string, uri: string): boolean {
    return this.#entries.delete(StatusListCache.#key(issuer, uri));
  }

  /**
   * Forgets every list.
   *
   * @example
   * ```ts
   * cache.clear();
   * ```
   */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * How many lists are held (including any past their ttl not yet looked up).
   *
   * @example
   * ```ts
   * cache.size; // 1
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }
}
