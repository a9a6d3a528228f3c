/**
 * Rate limits for anonymous (PUBLIC) callers of the verification endpoints (DESIGN.md §5):
 * a fixed window per client address. Callers with a bearer token are not limited here.
 *
 * The counters live in this process, so with N replicas behind a load balancer a client gets
 * up to N times the limit; a shared counter in Redis is the next step (DESIGN.md §6). Memory is
 * bounded by the number of distinct clients in one window: the map is dropped when it rolls.
 */

/** Requests per minute a PUBLIC client may make by default (TRUST_PUBLIC_RATE_LIMIT overrides; 0 = off). */
export const DEFAULT_PUBLIC_RATE_LIMIT = 600;
const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window rolls over (for Retry-After). */
  retryAfterSeconds: number;
}

export class PublicRateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  #window = -1;
  #counts = new Map<string, number>();

  /** `perMinute` 0 turns limiting off. */
  constructor(perMinute: number, now: () => number = Date.now) {
    if (!Number.isInteger(perMinute) || perMinute < 0) throw new TypeError('perMinute must be a whole number ≥ 0');
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /**
   * Counts one request of `client` and says whether it may go on.
   * @example if (!limiter.take(req.socket.remoteAddress ?? 'unknown').allowed) reply429();
   */
  take(client: string): RateDecision {
    if (this.#perMinute === 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.#now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const count = (this.#counts.get(client) ?? 0) + 1;
    this.#counts.set(client, count);
    return { allowed: count <= this.#perMinute, retryAfterSeconds: Math.ceil(((window + 1) * WINDOW_MS - now) / 1000) };
  }
}

/** The limit from TRUST_PUBLIC_RATE_LIMIT, or the default. Throws on a value that cannot work. */
export function publicRateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TRUST_PUBLIC_RATE_LIMIT;
  if (raw === undefined || raw === '') return DEFAULT_PUBLIC_RATE_LIMIT;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`TRUST_PUBLIC_RATE_LIMIT must be a whole number of requests per minute (0 = no limit), got ${raw}`);
  return value;
}
