/**
 * A cache of verified status lists, per issuer and list URI, each kept for the `ttl` seconds its
 * token declares (never past its `exp`), with an injectable clock. Concurrent loads of the same
 * list share one fetch, so verifying thousands of attestations at once costs one request per
 * list. A platform creates one and passes it to every `verifyAttestation` call.
 *
 * It also decides which lists may be believed at all, because a validly signed list can still
 * lie about now:
 *
 * - never one older (by `iat`) than the newest it has seen for that URI: an old list replayed by
 *   a stale HTTP cache or an attacker would make a suspended badge VALID again (STATUS_LIST_ROLLBACK);
 * - never one whose `iat + ttl + STATUS_LIST_GRACE_SECONDS` has passed at the time asked about
 *   (STATUS_LIST_STALE): the issuer re-signs its lists well within that (the registry at least
 *   every minute), so only a replayed list is that old.
 *
 * The newest `iat` per URI is remembered after the list itself has left the cache.
 *
 * @module
 */
import { VerifierError, VerifierErrorCode } from './errors.ts';
import type { StatusListClaims } from './status-list.ts';

/**
 * Seconds a status list is still believed after its `iat + ttl`: room for clock skew between
 * issuer and verifier, the issuer's re-signing cadence (the registry re-signs an unchanged list
 * once its token is a minute old) and time spent in HTTP caches that honour `max-age=ttl`.
 * A change at the issuer therefore reaches a verifier within `ttl` when the network is honest,
 * and within `ttl + STATUS_LIST_GRACE_SECONDS` whatever list an attacker replays.
 *
 * @example
 * ```ts
 * const believedUntilMs = (claims.iat + claims.ttl + STATUS_LIST_GRACE_SECONDS) * 1000;
 * ```
 */
export const STATUS_LIST_GRACE_SECONDS = 300;

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
  /** Until when the list may be believed: `(iat + ttl + grace) * 1000` (milliseconds, issuer's time). */
  believedUntil: number;
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
  /** Seconds a list is believed past `iat + ttl` (default and most {@link STATUS_LIST_GRACE_SECONDS}). */
  graceSeconds?: number;
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
  readonly #graceMs: number;
  readonly #entries = new Map<string, CachedStatusList>();
  /** The newest `iat` seen per list, kept after the entry leaves (bounded like the entries, ×10). */
  readonly #newestIat = new Map<string, number>();
  readonly #loading = new Map<string, Promise<CachedStatusList>>();

  constructor(options: StatusListCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#defaultTtl = options.defaultTtlSeconds ?? 300;
    this.#maxTtl = options.maxTtlSeconds ?? 86_400;
    this.#maxEntries = options.maxEntries ?? 1000;
    const grace = options.graceSeconds ?? STATUS_LIST_GRACE_SECONDS;
    for (const [name, v] of [['defaultTtlSeconds', this.#defaultTtl], ['maxTtlSeconds', this.#maxTtl], ['maxEntries', this.#maxEntries], ['graceSeconds', grace]] as const) {
      if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`${name} must be a non-negative number`);
    }
    if (grace > STATUS_LIST_GRACE_SECONDS) throw new RangeError(`graceSeconds must be at most ${STATUS_LIST_GRACE_SECONDS}`);
    this.#graceMs = grace * 1000;
  }

  #ttlSeconds(claims: StatusListClaims): number {
    return Math.min(claims.ttl ?? this.#defaultTtl, this.#maxTtl);
  }

  static #key(issuer: string, uri: string): string {
    return `${issuer}\u0000${uri}`;
  }

  /**
   * The fresh entry for this list, or `undefined` (absent, past its ttl, or no longer believed at
   * `at`, milliseconds, default the cache clock).
   *
   * @example
   * ```ts
   * cache.get('https://registry.example.vn', 'https://registry.example.vn/status/1');
   * ```
   */
  get(issuer: string, uri: string, at: number = this.#now()): CachedStatusList | undefined {
    const key = StatusListCache.#key(issuer, uri);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt || at >= entry.believedUntil) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * The newest `iat` seen for this list, if any: a list older than it is refused.
   *
   * @example
   * ```ts
   * cache.newestIat(issuer, uri); // 1735689600
   * ```
   */
  newestIat(issuer: string, uri: string): number | undefined {
    return this.#newestIat.get(StatusListCache.#key(issuer, uri));
  }

  /**
   * Stores a verified list for `min(ttl, maxTtlSeconds)` seconds (or `defaultTtlSeconds` without a
   * `ttl`), and never past its `exp`. Returns the entry (also when it is too short-lived to keep).
   * Throws a `VerifierError`, storing nothing, when the list is older than the newest seen for
   * this URI (`STATUS_LIST_ROLLBACK`) or no longer believed at `at` (milliseconds, default the
   * cache clock): `iat + ttl + grace` has passed (`STATUS_LIST_STALE`).
   *
   * @example
   * ```ts
   * cache.set(issuer, uri, { claims, statuses });
   * ```
   */
  set(issuer: string, uri: string, list: { claims: StatusListClaims; statuses: Uint8Array }, at: number = this.#now()): CachedStatusList {
    const key = StatusListCache.#key(issuer, uri);
    const { iat } = list.claims;
    const newest = this.#newestIat.get(key);
    if (newest !== undefined && iat < newest) {
      throw new VerifierError(
        VerifierErrorCode.STATUS_LIST_ROLLBACK,
        `status list ${uri} was issued at ${iat}, before the one already seen (${newest}): an older list is never believed again`,
      );
    }
    const ttl = this.#ttlSeconds(list.claims);
    const believedUntil = (iat + ttl) * 1000 + this.#graceMs;
    if (at >= believedUntil) {
      throw new VerifierError(
        VerifierErrorCode.STATUS_LIST_STALE,
        `status list ${uri} was issued at ${iat}: past its ttl (${ttl} s) and the grace (${this.#graceMs / 1000} s), it says nothing about now`,
      );
    }
    this.#newestIat.delete(key);
    this.#newestIat.set(key, iat);
    while (this.#newestIat.size > Math.max(this.#maxEntries, 1) * 10) this.#newestIat.delete(this.#newestIat.keys().next().value as string);

    const storedAt = this.#now();
    let expiresAt = storedAt + ttl * 1000;
    if (typeof list.claims.exp === 'number') expiresAt = Math.min(expiresAt, list.claims.exp * 1000);
    const entry: CachedStatusList = { claims: list.claims, statuses: list.statuses, storedAt, expiresAt, believedUntil };
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
   * The fresh entry, or the result of `load()` (stored, under the rules of {@link set}, which
   * may reject). Concurrent calls for the same list share one `load()`; a failed or refused load
   * is not cached. `at` (milliseconds, default the cache clock) is the time asked about.
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
    at: number = this.#now(),
  ): Promise<CachedStatusList> {
    const fresh = this.get(issuer, uri, at);
    if (fresh !== undefined) return fresh;
    const key = StatusListCache.#key(issuer, uri);
    let pending = this.#loading.get(key);
    if (pending === undefined) {
      pending = (async () => this.set(issuer, uri, await load(), at))();
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
   * Forgets every list (the newest `iat` seen per list is kept, so a rollback is still refused).
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
