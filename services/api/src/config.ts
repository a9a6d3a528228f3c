/**
 * The service's configuration, read from the environment once.
 */
import { resolve } from 'node:path';
import { STATUS_LIST_TTL_MAX_SECONDS, STATUS_LIST_TTL_MIN_SECONDS, STATUS_LIST_TTL_SECONDS } from '@trust-alliance/core';
import { oidcFromEnv, type OidcOptions } from './auth/oidc.ts';
import { publicRateLimitFromEnv, redisUrlForLog } from './server/rate-limit.ts';
import { trustedProxyHopsFromEnv } from './server/client-address.ts';

export interface ApiConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * Redis URL (REDIS_URL) for state shared by replicas: the public rate limit's counters;
   * undefined means counting in this process. May hold a password: log it with redisUrlForLog.
   */
  redisUrl: string | undefined;
  /** Requests per minute per address for callers without a token (TRUST_PUBLIC_RATE_LIMIT, default 600; 0 = off). */
  publicRateLimit: number;
  /** Proxies we run in front of the service (TRUST_PROXY_HOPS, default 0): whose X-Forwarded-For entries the rate limit believes. */
  trustedProxyHops: number;
  dataDir: string;
  /** The issuer URL of tokens and statements (TRUST_ISSUER, default the service's own origin). */
  issuer: string;
  /** Seconds a verifier may cache a status list (TRUST_STATUS_LIST_TTL, default 300): passed to openRegistry as `statusListTtlSeconds`. */
  statusListTtlSeconds: number;
  production: boolean;
  oidc: OidcOptions | null;
}

/** Reads TRUST_* and the usual variables. Throws on values that cannot work. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 4000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const production = env.NODE_ENV === 'production';
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: redisUrlFromEnv(env),
    publicRateLimit: publicRateLimitFromEnv(env),
    trustedProxyHops: trustedProxyHopsFromEnv(env),
    // `pnpm start` and `pnpm cli` run in services/api; pnpm's INIT_CWD is where the user typed
    // the command, so a relative TRUST_DATA_DIR (and the default ./.data) means what they expect.
    dataDir: resolve(env.INIT_CWD || process.cwd(), env.TRUST_DATA_DIR || '.data'),
    issuer: env.TRUST_ISSUER || `http://localhost:${port}`,
    statusListTtlSeconds: statusListTtlFromEnv(env),
    production,
    oidc: oidcFromEnv(env),
  };
}

function redisUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // Not echoed: the value may hold a password.
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got ${redisUrlForLog(raw)}`);
  return raw;
}

/**
 * TRUST_STATUS_LIST_TTL: whole seconds, within the bounds core's `openRegistry` accepts for
 * `statusListTtlSeconds` (core checks them again); unset or empty means core's default.
 */
export function statusListTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TRUST_STATUS_LIST_TTL;
  if (raw === undefined || raw.trim() === '') return STATUS_LIST_TTL_SECONDS;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < STATUS_LIST_TTL_MIN_SECONDS || value > STATUS_LIST_TTL_MAX_SECONDS) {
    throw new Error(
      `TRUST_STATUS_LIST_TTL phải là số giây nguyên từ ${STATUS_LIST_TTL_MIN_SECONDS} đến ${STATUS_LIST_TTL_MAX_SECONDS}, nhận được "${raw}" / ` +
        `TRUST_STATUS_LIST_TTL must be a whole number of seconds from ${STATUS_LIST_TTL_MIN_SECONDS} to ${STATUS_LIST_TTL_MAX_SECONDS}, got "${raw}"`,
    );
  }
  return value;
}
