/**
 * Rate limits, with rate-limiter-flexible: each key has a budget per one-minute window, and a
 * window starts at that key's first request. Anonymous (PUBLIC) callers of the verification
 * endpoints are keyed by client address (PublicRateLimiter); callers with a verified bearer
 * token by their token's subject, with a budget per role (TokenRateLimits), on every route.
 *
 * Without Redis the counters live in this process (`RateLimiterMemory`). With Redis (REDIS_URL,
 * passed in by main.ts) they live there (`RateLimiterRedis`, an atomic Lua increment), so all
 * replicas behind a load balancer draw on one budget per client (docs/DESIGN-NOTES.md). When Redis is
 * down, not yet connected or slow, an in-memory insurance limiter with the same limit answers in
 * each process instead: limiting degrades to per process, requests never fail because of it.
 *
 * Client addresses are personal data: keys hold a pseudonym of the address, never the address
 * itself, and expire with their window: the app passes the registry's keyed pseudonym (`keyOf`).
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ROLES, isRole, type Role } from '@trust-alliance/core';

/** Requests per minute a PUBLIC client may make by default (TRUST_PUBLIC_RATE_LIMIT overrides; 0 = off). */
export const DEFAULT_PUBLIC_RATE_LIMIT = 600;
/** Where the counters live in Redis: `<prefix>:<hashed address>`. Replicas sharing a budget must share it. */
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = 'trust:ratelimit:public';
const WINDOW_SECONDS = 60;

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the client's window rolls over (for Retry-After); at least 1 when refused. */
  retryAfterSeconds: number;
  /** The budget per window (0 when limiting is off). */
  limit: number;
  /** Requests left in this window. */
  remaining: number;
}

/** Where to share the counters (see PublicRateLimiter). */
export interface RedisRateLimitOptions {
  /** A `redis://` or `rediss://` URL (REDIS_URL). */
  url: string;
  /** Milliseconds to wait for a connection before trying again (default 2,000). */
  connectTimeoutMs?: number;
  /** Milliseconds to wait for Redis's answer before the in-memory limiter answers instead (default 500). */
  commandTimeoutMs?: number;
  /** Where an outage and the recovery are reported, once each (default console.warn). Never given the URL's credentials. */
  log?: (message: string) => void;
}

export interface PublicRateLimiterOptions {
  /** Share the counters of all replicas in Redis; default: in this process only. */
  redis?: RedisRateLimitOptions | null | undefined;
  /** Key prefix (default DEFAULT_RATE_LIMIT_KEY_PREFIX). */
  keyPrefix?: string | undefined;
  /**
   * How a client address becomes its key: a keyed pseudonym (the app passes
   * `registry.pseudonym('rate-limit', address)`), so no address is kept; replicas sharing a
   * budget must agree.
   */
  keyOf: (client: string) => string;
  /** An open Redis connection to share (TokenRateLimits passes one to all its limiters); not closed by close(). */
  client?: Redis | undefined;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

export class PublicRateLimiter {
  readonly #limiter: Limiter | null;
  readonly #redis: Redis | null;
  readonly #log: (message: string) => void;
  readonly #keyOf: (client: string) => string;
  readonly #ownsRedis: boolean;
  readonly perMinute: number;
  #storeDown = false;

  /**
   * `perMinute` 0 turns limiting off (and no Redis connection is opened).
   * @example
   * const limiter = new PublicRateLimiter(600, { keyOf: (a) => registry.pseudonym('rate-limit', a), redis: config.redisUrl ? { url: config.redisUrl } : null });
   * const { allowed, retryAfterSeconds } = await limiter.take(req.socket.remoteAddress ?? 'unknown');
   * await limiter.close(); // on shutdown
   */
  constructor(perMinute: number, options: PublicRateLimiterOptions) {
    if (!Number.isInteger(perMinute) || perMinute < 0) throw new TypeError('perMinute must be a whole number ≥ 0');
    const keyPrefix = options.keyPrefix ?? DEFAULT_RATE_LIMIT_KEY_PREFIX;
    this.#keyOf = options.keyOf;
    this.perMinute = perMinute;
    this.#ownsRedis = !options.client;
    this.#log = options.redis?.log ?? ((message) => console.warn(message));
    if (perMinute === 0) {
      this.#limiter = null;
      this.#redis = null;
      return;
    }
    const memory = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS, keyPrefix });
    if (!options.redis) {
      this.#limiter = memory;
      this.#redis = null;
      return;
    }
    const where = redisUrlForLog(options.redis.url);
    this.#redis = options.client ?? openRateLimitRedis(options.redis);
    // The limiter that opened the connection reports its outages; sharers only use it.
    if (options.client === undefined) this.#reportOutages(this.#redis, where);
    this.#limiter = new RateLimiterRedis({
      storeClient: this.#redis,
      points: perMinute,
      duration: WINDOW_SECONDS,
      keyPrefix,
      insuranceLimiter: memory,
      // Not connected (yet, or any more): the insurance limiter answers without trying Redis.
      rejectIfRedisNotReady: true,
      // A client already over its budget is refused from memory until its window ends, so a flood
      // from one address costs no Redis round trips.
      inMemoryBlockOnConsumed: perMinute + 1,
    });
  }

  /** The Redis connection (to share with other limiters), or null. */
  get redis(): Redis | null {
    return this.#redis;
  }

  /** Logs once when Redis goes away and once when it is back (never its password). */
  #reportOutages(redis: Redis, where: string): void {
    redis.on('error', (error: Error) => {
      if (this.#storeDown) return;
      this.#storeDown = true;
      this.#log(`[api] Redis for the public rate limit (${where}) is unavailable; limiting per process until it is back: ${error.message}`);
    });
    redis.on('ready', () => {
      if (!this.#storeDown) return;
      this.#storeDown = false;
      this.#log(`[api] Redis for the public rate limit (${where}) is back; the limit is shared again`);
    });
  }

  /** False when the limit is 0 (off): take() then always allows. */
  get enabled(): boolean {
    return this.#limiter !== null;
  }

  /** True while the counters are shared in Redis; false without Redis, or while the insurance limiter stands in. */
  get shared(): boolean {
    return this.#redis?.status === 'ready';
  }

  /**
   * Counts one request of `client` (its address) and says whether it may go on. Never rejects: a
   * failure of the store that even the insurance limiter cannot absorb lets the request through.
   * @example if (!(await limiter.take(req.socket.remoteAddress ?? 'unknown')).allowed) reply429();
   */
  async take(client: string): Promise<RateDecision> {
    const limit = this.perMinute;
    if (this.#limiter === null) return { allowed: true, retryAfterSeconds: 0, limit, remaining: 0 };
    try {
      const res = await this.#limiter.consume(this.#keyOf(client));
      return { allowed: true, retryAfterSeconds: secondsOf(res.msBeforeNext), limit, remaining: Math.max(0, res.remainingPoints) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, secondsOf(rejection.msBeforeNext)), limit, remaining: 0 };
      this.#log(`[api] rate limit unavailable, request let through: ${rejection instanceof Error ? rejection.message : String(rejection)}`);
      return { allowed: true, retryAfterSeconds: 0, limit, remaining: limit };
    }
  }

  /** Closes the Redis connection, if any. Counting goes on in memory afterwards. */
  async close(): Promise<void> {
    const redis = this.#redis;
    if (redis === null || !this.#ownsRedis || redis.status === 'end') return;
    if (redis.status === 'ready') {
      try {
        await redis.quit();
        return;
      } catch {
        // fall through: drop the connection
      }
    }
    redis.disconnect();
  }
}

/**
 * The Redis connection the limiter uses, with its settings: a command while disconnected fails
 * at once instead of waiting in a queue for a reconnection (the library's documented setting for
 * ioredis), so the insurance limiter answers; so it does when Redis is slower than the timeout.
 * ioredis reconnects by itself, with backoff. Exported for tests and tools that inspect the keys.
 * @example const redis = openRateLimitRedis({ url: 'redis://127.0.0.1:6379' });
 */
export function openRateLimitRedis(options: RedisRateLimitOptions): Redis {
  return new Redis(options.url, {
    enableOfflineQueue: false,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 500,
    maxRetriesPerRequest: 1,
  });
}

function secondsOf(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * A Redis URL fit for a log line: scheme, host, port and database, without user or password.
 * @example redisUrlForLog('redis://:s3cret@cache:6379/2') // 'redis://cache:6379/2'
 */
export function redisUrlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable Redis URL)';
  }
}

/**
 * Requests per minute per token subject, by role, by default: generous for platforms that
 * check at volume, tight for members; TRUST_TOKEN_RATE_LIMITS overrides (0 = no limit).
 */
export const DEFAULT_TOKEN_RATE_LIMITS: Readonly<Record<Role, number>> = Object.freeze({ ADMIN: 6_000, OFFICER: 6_000, PLATFORM: 600_000, BUSINESS: 60_000, MEMBER: 1_200 });

/**
 * One budget per token subject, sized by the token's role; the limiters share one Redis
 * connection (opened by the first, owned by the set) when Redis is configured.
 */
export class TokenRateLimits {
  readonly #byRole: Map<Role, PublicRateLimiter>;
  readonly #owner: PublicRateLimiter | null;

  /**
   * @example
   * const limits = new TokenRateLimits(DEFAULT_TOKEN_RATE_LIMITS, { keyOf: (s) => registry.pseudonym('rate-limit-subject', s) });
   * const decision = await limits.take('PLATFORM', 'platform-1');
   */
  constructor(perRole: Readonly<Record<Role, number>>, options: PublicRateLimiterOptions) {
    this.#byRole = new Map();
    let owner: PublicRateLimiter | null = null;
    const prefix = options.keyPrefix ?? 'trust:ratelimit:token';
    for (const role of ROLES) {
      const limiter: PublicRateLimiter = new PublicRateLimiter(perRole[role], { ...options, keyPrefix: `${prefix}:${role}`, client: options.client ?? owner?.redis ?? undefined });
      // A connection passed in belongs to the caller; otherwise the first limiter opens and owns it.
      if (owner === null && options.client === undefined && limiter.redis !== null) owner = limiter;
      this.#byRole.set(role, limiter);
    }
    this.#owner = owner;
  }

  /** Counts one request of `subject` (holding a `role` token). */
  take(role: Role, subject: string): Promise<RateDecision> {
    return this.#byRole.get(role)!.take(subject);
  }

  async close(): Promise<void> {
    await this.#owner?.close();
  }
}

/**
 * A TRUST_TOKEN_RATE_LIMITS value, e.g. `PLATFORM=120000,MEMBER=600` (requests per minute per
 * token subject; roles not named keep their default; 0 = no limit), or null when it cannot work.
 * config.ts calls it inside its zod schema.
 */
export function parseTokenRateLimits(raw: string): Record<Role, number> | null {
  const limits: Record<Role, number> = { ...DEFAULT_TOKEN_RATE_LIMITS };
  for (const part of raw.split(',')) {
    const [role, value] = part.split('=').map((s) => s.trim());
    const n = Number(value);
    if (!isRole(role) || !/^\d+$/.test(value ?? '') || !Number.isSafeInteger(n)) return null;
    limits[role] = n;
  }
  return limits;
}
