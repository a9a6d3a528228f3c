/**
 * The service's configuration, read from the environment once.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './observability/logger.ts';
import { readReplicasFromEnv, STATUS_LIST_TTL_MAX_SECONDS, STATUS_LIST_TTL_MIN_SECONDS, STATUS_LIST_TTL_SECONDS, type ReadReplicaOptions } from '@trust-alliance/core';
import { oidcFromEnv, type OidcOptions } from './auth/oidc.ts';
import { publicRateLimitFromEnv, redisUrlForLog } from './server/rate-limit.ts';
import { trustedProxyHopsFromEnv } from './http/client-address.ts';

export interface ApiConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Streaming replicas for `verify`'s reads (DATABASE_READ_URL, DATABASE_READ_MAX_LAG_MS). */
  readReplicas: ReadReplicaOptions | undefined;
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
  /** TRUST_DATA_KEY: passed to openRegistry; undefined means the key file of the data folder. */
  dataKey: string | undefined;
  /** TRUST_SIGNING_ALG (default EdDSA): algorithm of new signing keys. */
  signingAlgorithm: 'EdDSA' | 'ES256';
  /** LOG_LEVEL (default info). */
  logLevel: LogLevel;
  /** METRICS_PORT / METRICS_HOST: the metrics listener, or null (the default: off). */
  metrics: { port: number; host: string } | null;
}

/** A setting that stops the start: the variable, the problem and an example, in both languages. */
export class ConfigError extends Error {
  constructor(variable: string, problemVi: string, problemEn: string, example: string) {
    super(`${variable}: ${problemVi} (ví dụ ${example}) / ${variable}: ${problemEn} (e.g. ${example})`);
    this.name = 'ConfigError';
  }
}

/**
 * The settings validated with zod, one default each. Each entry: schema, the example shown when
 * a value is refused, and the problem in Vietnamese (zod's message gives the English one).
 */
export const SETTINGS = {
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS).default('info'), example: 'LOG_LEVEL=info', vi: `phải là một trong ${LOG_LEVELS.join(', ')}` },
  METRICS_PORT: { schema: z.coerce.number().int().min(1).max(65535).optional(), example: 'METRICS_PORT=9464', vi: 'phải là số cổng từ 1 đến 65535' },
  METRICS_HOST: { schema: z.string().min(1).default('127.0.0.1'), example: 'METRICS_HOST=127.0.0.1', vi: 'phải là một địa chỉ để lắng nghe' },
  TRUST_SIGNING_ALG: { schema: z.enum(['EdDSA', 'ES256']).default('EdDSA'), example: 'TRUST_SIGNING_ALG=EdDSA', vi: 'phải là EdDSA hoặc ES256' },
  TRUST_DATA_KEY: { schema: z.string().regex(/^[A-Za-z0-9_-]{43}$/, '32 bytes in base64url (43 characters)').optional(), example: 'TRUST_DATA_KEY=<output of pnpm cli keys data-key>', vi: 'phải là 32 byte dạng base64url (43 ký tự)' },
} as const;

function setting<K extends keyof typeof SETTINGS>(env: NodeJS.ProcessEnv, name: K): z.output<(typeof SETTINGS)[K]['schema']> {
  const { schema, example, vi } = SETTINGS[name];
  const raw = env[name] === '' ? undefined : env[name];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // The value itself is not echoed: TRUST_DATA_KEY is a secret.
    const en = parsed.error.issues.map((i) => i.message).join('; ');
    throw new ConfigError(name, vi, en, example);
  }
  return parsed.data as z.output<(typeof SETTINGS)[K]['schema']>;
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
    // DATABASE_READ_URL (comma-separated replicas) and DATABASE_READ_MAX_LAG_MS, checked by core.
    readReplicas: readReplicasFromEnv({ DATABASE_URL: env.DATABASE_URL, DATABASE_READ_URL: env.DATABASE_READ_URL, DATABASE_READ_MAX_LAG_MS: env.DATABASE_READ_MAX_LAG_MS }),
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
    dataKey: setting(env, 'TRUST_DATA_KEY'),
    signingAlgorithm: setting(env, 'TRUST_SIGNING_ALG'),
    logLevel: setting(env, 'LOG_LEVEL'),
    metrics: metricsFromEnv(env),
  };
}

function metricsFromEnv(env: NodeJS.ProcessEnv): { port: number; host: string } | null {
  const port = setting(env, 'METRICS_PORT');
  const host = setting(env, 'METRICS_HOST');
  return port === undefined ? null : { port, host };
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
