/**
 * The service's configuration: every environment variable the service and the CLI read, in one
 * zod schema (SETTINGS), parsed once at start into one typed object (ApiConfig) that main.ts and
 * the CLI pass down. This is the only module of services/api that reads `process.env`
 * (test/api/config-readme.test.ts enforces it), so a setting cannot be read twice two ways.
 * A value that cannot work stops the start with a ConfigError naming the variable, the problem in
 * Vietnamese and English and an example, and exit code CONFIG_EXIT_CODE. Core's own variables
 * (DATABASE_URL, TRUST_DATA_*, TRUST_ISSUER, TRUST_SIGNING_ALG) are validated here, then turned into
 * registry options by core's `registryOptionsFromEnv`, over core's REGISTRY_DEFAULTS.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  ERROR_TABLE,
  REGISTRY_DEFAULTS,
  ROLES,
  SIGNING_ALGORITHMS,
  STATUS_LIST_TTL_MAX_SECONDS,
  STATUS_LIST_TTL_MIN_SECONDS,
  STATUS_LIST_TTL_SECONDS,
  registryOptionsFromEnv,
  type Role,
} from '@trust-alliance/core';
import { LOG_LEVELS, type LogLevel } from './observability/logger.ts';
import { READ_MAX_LAG_MAX_MS, READ_MAX_LAG_MIN_MS, SettingError, type ReadReplicaOptions } from '@trust-alliance/core';
import type { OidcOptions } from './auth/oidc.ts';
import { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_TOKEN_RATE_LIMITS, parseTokenRateLimits, redisUrlForLog } from './server/rate-limit.ts';
import { MAX_PROXY_HOPS } from './http/client-address.ts';
import { WEBHOOK_NUMBER_SETTINGS, type WebhookSettings } from './webhooks/settings.ts';

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
  /** Requests per minute per token subject, by role (TRUST_TOKEN_RATE_LIMITS over DEFAULT_TOKEN_RATE_LIMITS). */
  tokenRateLimits: Record<Role, number>;
  /** Proxies we run in front of the service (TRUST_PROXY_HOPS, default 0): whose X-Forwarded-For entries the rate limit believes. */
  trustedProxyHops: number;
  /** Absolute path of the embedded database's folder (TRUST_DATA_DIR, default ./.data from where pnpm was run). */
  dataDir: string;
  /** The issuer URL of tokens and statements (TRUST_ISSUER, default the service's own origin). */
  issuer: string;
  /** Seconds a verifier may cache a status list (TRUST_STATUS_LIST_TTL, default 300): passed to openRegistry as `statusListTtlSeconds`. */
  statusListTtlSeconds: number;
  /** NODE_ENV=production: GraphiQL and introspection off, HOST 0.0.0.0 by default. */
  production: boolean;
  /** GraphQL introspection: outside production, or with TRUST_INTROSPECTION=1. */
  introspection: boolean;
  /** Load shedding on: always, except under a test runner (NODE_ENV=test), whose own start-up lags the event loop. */
  loadShedding: boolean;
  oidc: OidcOptions | null;
  /** TRUST_DATA_KEY: passed to openRegistry; undefined means the key file of the data folder. */
  dataKey: string | undefined;
  /** TRUST_DATA_KEY_PREVIOUS: the master key being retired (docs/PRIVACY.md, "Rotating the master data key"). */
  previousDataKey: string | undefined;
  /** TRUST_SIGNING_ALG (default EdDSA): algorithm of new signing keys. */
  signingAlgorithm: (typeof SIGNING_ALGORITHMS)[number];
  /** LOG_LEVEL (default info). */
  logLevel: LogLevel;
  /** METRICS_PORT / METRICS_HOST: the metrics listener, or null (the default: off). */
  metrics: { port: number; host: string } | null;
  /** TRUST_WEBHOOKS*: the delivery worker of this process. */
  webhooks: WebhookSettings;
  /** Started by a package manager (`pnpm start`: npm_lifecycle_event is set), which does not pass SIGTERM on. */
  underPackageManager: boolean;
}

/**
 * The CLI's exit code for a configuration that cannot work: 4, "the registry cannot run as set
 * up", the code core's ERROR_TABLE gives storage and key failures (the operator's to fix).
 */
export const CONFIG_EXIT_CODE = ERROR_TABLE.STORAGE_ERROR.exitCode;

/** A setting that stops the start: the variable, the problem and an example, in both languages. */
export class ConfigError extends Error {
  readonly variable: string;
  readonly exitCode = CONFIG_EXIT_CODE;
  constructor(variable: string, problemVi: string, problemEn: string, example: string, shown?: string) {
    const got = shown === undefined ? ['', ''] : [`, nhận được ${shown}`, `, got ${shown}`];
    super(`${variable}: ${problemVi}${got[0]} (ví dụ ${example}) / ${variable}: ${problemEn}${got[1]} (e.g. ${example})`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** A whole number written in digits only (no sign, point, exponent or hex), from min to max. */
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
/** On or off, in the spellings operators use. */
const flag = z.enum(['1', '0', 'true', 'false', 'on', 'off']).transform((v) => v === '1' || v === 'true' || v === 'on');
const isUrl = (protocols: string[]) => (value: string) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
const httpUrl = z.string().refine(isUrl(['http:', 'https:']));

interface Setting {
  /** Validates the trimmed value (undefined when unset or blank) and gives the typed one. */
  schema: z.ZodType;
  example: string;
  vi: string;
  en: string;
  /** How the refused value is shown in the message; `null`: never (a secret). Default: quoted. */
  show?: ((raw: string) => string) | null;
}

const webhookNumbers = Object.fromEntries(
  Object.entries(WEBHOOK_NUMBER_SETTINGS).map(([name, [, min, max]]) => [
    name,
    { schema: whole(min, max).optional(), example: `${name}=${Math.max(min, 1)}`, vi: `phải là số nguyên từ ${min} đến ${max}`, en: `must be a whole number from ${min} to ${max}` },
  ]),
) as unknown as Record<keyof typeof WEBHOOK_NUMBER_SETTINGS, Setting & { schema: z.ZodOptional<ReturnType<typeof whole>> }>;

/**
 * Every variable the service and the CLI read, with its schema (default included), the example
 * shown when a value is refused, and the problem in both languages. The README's tables list
 * exactly these keys (test/api/config-readme.test.ts).
 */
export const SETTINGS = {
  PORT: { schema: whole(0, 65535).default(4000), example: 'PORT=4000', vi: 'phải là số cổng từ 0 đến 65535', en: 'must be a port number from 0 to 65535' },
  HOST: { schema: z.string().optional(), example: 'HOST=0.0.0.0', vi: 'phải là một địa chỉ để lắng nghe', en: 'must be an address to listen on' },
  NODE_ENV: { schema: z.string().optional(), example: 'NODE_ENV=production', vi: 'là tên môi trường', en: 'is the name of the environment' },
  DATABASE_URL: {
    schema: z.string().regex(/^postgres(ql)?:\/\/\S+$/).optional(),
    example: 'DATABASE_URL=postgresql://user:password@127.0.0.1:5432/registry',
    vi: 'phải là một URL postgresql:// (hoặc postgres://)',
    en: 'must be a postgresql:// (or postgres://) URL',
    show: null,
  },
  DATABASE_READ_URL: {
    schema: z.string().regex(/^postgres(ql)?:\/\/\S+(\s*,\s*postgres(ql)?:\/\/\S+)*$/).optional(),
    example: 'DATABASE_READ_URL=postgresql://reader@replica-1:5432/registry,postgresql://reader@replica-2:5432/registry',
    vi: 'phải là một hoặc nhiều URL postgresql:// của bản sao, cách nhau bởi dấu phẩy',
    en: 'must be one or more postgresql:// URLs of streaming replicas, comma-separated',
    show: null,
  },
  DATABASE_READ_MAX_LAG_MS: {
    schema: whole(READ_MAX_LAG_MIN_MS, READ_MAX_LAG_MAX_MS).optional(),
    example: 'DATABASE_READ_MAX_LAG_MS=1000',
    vi: `phải là số mili giây nguyên từ ${READ_MAX_LAG_MIN_MS} đến ${READ_MAX_LAG_MAX_MS}`,
    en: `must be whole milliseconds from ${READ_MAX_LAG_MIN_MS} to ${READ_MAX_LAG_MAX_MS}`,
  },
  REDIS_URL: {
    schema: z.string().refine(isUrl(['redis:', 'rediss:'])).optional(),
    example: 'REDIS_URL=redis://127.0.0.1:6379',
    vi: 'phải là một URL redis:// hoặc rediss://',
    en: 'must be a redis:// or rediss:// URL',
    show: redisUrlForLog,
  },
  TRUST_DATA_DIR: { schema: z.string().optional(), example: 'TRUST_DATA_DIR=./.data', vi: 'là thư mục của cơ sở dữ liệu nhúng', en: 'is the folder of the embedded database' },
  TRUST_DATA_KEY: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
    example: 'TRUST_DATA_KEY=<output of pnpm cli keys data-key>',
    vi: 'phải là 32 byte dạng base64url (43 ký tự)',
    en: 'must be 32 bytes in base64url (43 characters)',
    show: null,
  },
  TRUST_DATA_KEY_PREVIOUS: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
    example: 'TRUST_DATA_KEY_PREVIOUS=<the TRUST_DATA_KEY being retired>',
    vi: 'phải là 32 byte dạng base64url (43 ký tự): khóa chính cũ đang được thay trong lúc xoay vòng khóa',
    en: 'must be 32 bytes in base64url (43 characters): the old master key being replaced during a key rotation',
    show: null,
  },
  TRUST_ISSUER: { schema: httpUrl.optional(), example: 'TRUST_ISSUER=https://registry.example.vn', vi: 'phải là một URL http:// hoặc https://', en: 'must be an http:// or https:// URL' },
  TRUST_SIGNING_ALG: { schema: z.enum(SIGNING_ALGORITHMS).default(REGISTRY_DEFAULTS.signingAlgorithm as 'EdDSA'), example: 'TRUST_SIGNING_ALG=EdDSA', vi: 'phải là EdDSA hoặc ES256', en: 'must be EdDSA or ES256' },
  TRUST_STATUS_LIST_TTL: {
    schema: whole(STATUS_LIST_TTL_MIN_SECONDS, STATUS_LIST_TTL_MAX_SECONDS).default(STATUS_LIST_TTL_SECONDS),
    example: 'TRUST_STATUS_LIST_TTL=300',
    vi: `phải là số giây nguyên từ ${STATUS_LIST_TTL_MIN_SECONDS} đến ${STATUS_LIST_TTL_MAX_SECONDS}`,
    en: `must be a whole number of seconds from ${STATUS_LIST_TTL_MIN_SECONDS} to ${STATUS_LIST_TTL_MAX_SECONDS}`,
  },
  TRUST_PUBLIC_RATE_LIMIT: {
    schema: whole(0, Number.MAX_SAFE_INTEGER).default(DEFAULT_PUBLIC_RATE_LIMIT),
    example: 'TRUST_PUBLIC_RATE_LIMIT=600',
    vi: 'phải là số yêu cầu nguyên mỗi phút (0 = không giới hạn)',
    en: 'must be a whole number of requests per minute (0 = no limit)',
  },
  TRUST_TOKEN_RATE_LIMITS: {
    schema: z
      .string()
      .transform((raw, ctx) => parseTokenRateLimits(raw) ?? (ctx.addIssue({ code: 'custom', message: 'bad limits' }), z.NEVER))
      .optional(),
    example: 'TRUST_TOKEN_RATE_LIMITS=PLATFORM=120000,MEMBER=600',
    vi: `phải có dạng VAI_TRÒ=số,… (vai trò ${ROLES.join(', ')}; 0 = không giới hạn)`,
    en: `must look like ROLE=number,… (roles ${ROLES.join(', ')}; 0 = no limit)`,
  },
  TRUST_PROXY_HOPS: {
    schema: whole(0, MAX_PROXY_HOPS).default(0),
    example: 'TRUST_PROXY_HOPS=1',
    vi: `phải là số proxy tin cậy từ 0 đến ${MAX_PROXY_HOPS}`,
    en: `must be the number of trusted proxies from 0 to ${MAX_PROXY_HOPS}`,
  },
  TRUST_INTROSPECTION: { schema: flag.default(false), example: 'TRUST_INTROSPECTION=1', vi: 'phải là 1 hoặc 0', en: 'must be 1 or 0' },
  TRUST_OIDC_ISSUER: { schema: httpUrl.optional(), example: 'TRUST_OIDC_ISSUER=https://login.example.vn', vi: 'phải là một URL http:// hoặc https://', en: 'must be an http:// or https:// URL' },
  TRUST_OIDC_JWKS_URL: { schema: httpUrl.optional(), example: 'TRUST_OIDC_JWKS_URL=https://login.example.vn/jwks.json', vi: 'phải là một URL http:// hoặc https://', en: 'must be an http:// or https:// URL' },
  TRUST_OIDC_AUDIENCE: { schema: z.string().optional(), example: 'TRUST_OIDC_AUDIENCE=trust-registry', vi: 'là audience của token', en: 'is the tokens’ audience' },
  TRUST_OIDC_ROLE_CLAIM: { schema: z.string().regex(/^\S+$/).default('role'), example: 'TRUST_OIDC_ROLE_CLAIM=role', vi: 'phải là tên một claim', en: 'must be a claim name' },
  TRUST_OIDC_ALGORITHMS: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]+(\s*,\s*[A-Za-z0-9]+)*$/)
      .transform((v) => v.split(',').map((a) => a.trim()))
      .optional(),
    example: 'TRUST_OIDC_ALGORITHMS=EdDSA,ES256',
    vi: 'phải là danh sách thuật toán JWS cách nhau bởi dấu phẩy',
    en: 'must be a comma-separated list of JWS algorithms',
  },
  TRUST_OIDC_TYP: { schema: z.string().regex(/^\S+$/).optional(), example: 'TRUST_OIDC_TYP=at+jwt', vi: 'phải là một giá trị typ', en: 'must be a typ value' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS).default('info'), example: 'LOG_LEVEL=info', vi: `phải là một trong ${LOG_LEVELS.join(', ')}`, en: `must be one of ${LOG_LEVELS.join(', ')}` },
  METRICS_PORT: { schema: whole(1, 65535).optional(), example: 'METRICS_PORT=9464', vi: 'phải là số cổng từ 1 đến 65535', en: 'must be a port number from 1 to 65535' },
  METRICS_HOST: { schema: z.string().default('127.0.0.1'), example: 'METRICS_HOST=127.0.0.1', vi: 'phải là một địa chỉ để lắng nghe', en: 'must be an address to listen on' },
  TRUST_WEBHOOKS: { schema: flag.default(true), example: 'TRUST_WEBHOOKS=off', vi: 'phải là on hoặc off', en: 'must be on or off' },
  TRUST_WEBHOOKS_ALLOW_LOOPBACK: { schema: flag.default(false), example: 'TRUST_WEBHOOKS_ALLOW_LOOPBACK=1', vi: 'phải là 1 hoặc 0', en: 'must be 1 or 0' },
  ...webhookNumbers,
} as const satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
/** The environment once validated: each variable's typed value, defaults applied. */
export type Environment = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** The one schema: an object of every setting. */
export const ENV_SCHEMA = z.object(Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.schema])) as { [K in keyof Settings]: Settings[K]['schema'] });

/** Validates every variable at once; throws a ConfigError naming each refused one (one line each). */
export function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const raw: Record<string, string | undefined> = {};
  // Unset and blank mean the same: the default.
  for (const name of Object.keys(SETTINGS)) raw[name] = env[name]?.trim() || undefined;
  const parsed = ENV_SCHEMA.safeParse(raw);
  if (parsed.success) return parsed.data as Environment;
  const refused = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
  const errors = refused.map((name) => {
    const setting: Setting = SETTINGS[name as keyof Settings];
    const value = raw[name]!;
    const shown = setting.show === null ? undefined : setting.show ? setting.show(value) : JSON.stringify(value);
    return new ConfigError(name, setting.vi, setting.en, setting.example, shown);
  });
  if (errors.length === 1) throw errors[0];
  const all = new ConfigError(errors[0]!.variable, '', '', '');
  all.message = errors.map((e) => e.message).join('\n');
  throw all;
}

/** Reads and validates the whole configuration. Throws ConfigError on a value that cannot work. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const e = parseEnvironment(env);
  const production = e.NODE_ENV === 'production';
  // Core turns its own variables into registry options. Each value was validated above; what
  // only the combination can break (replicas without a primary, the primary listed as a replica)
  // core refuses, and that is reported like any other bad setting.
  let core: ReturnType<typeof registryOptionsFromEnv>;
  try {
    core = registryOptionsFromEnv({
      DATABASE_URL: e.DATABASE_URL,
      DATABASE_READ_URL: e.DATABASE_READ_URL,
      DATABASE_READ_MAX_LAG_MS: e.DATABASE_READ_MAX_LAG_MS === undefined ? undefined : String(e.DATABASE_READ_MAX_LAG_MS),
      TRUST_DATA_DIR: e.TRUST_DATA_DIR,
      TRUST_DATA_KEY: e.TRUST_DATA_KEY,
      TRUST_DATA_KEY_PREVIOUS: e.TRUST_DATA_KEY_PREVIOUS,
      TRUST_ISSUER: e.TRUST_ISSUER,
      TRUST_SIGNING_ALG: e.TRUST_SIGNING_ALG,
    });
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    throw new ConfigError(error.variable, error.problemVi, error.problemEn, SETTINGS[error.variable as keyof typeof SETTINGS]?.example ?? SETTINGS.DATABASE_READ_URL.example);
  }
  return {
    port: e.PORT,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: core.databaseUrl,
    readReplicas: core.readReplicas,
    redisUrl: e.REDIS_URL,
    publicRateLimit: e.TRUST_PUBLIC_RATE_LIMIT,
    tokenRateLimits: e.TRUST_TOKEN_RATE_LIMITS ?? { ...DEFAULT_TOKEN_RATE_LIMITS },
    trustedProxyHops: e.TRUST_PROXY_HOPS,
    // `pnpm start` and `pnpm cli` run in services/api; pnpm's INIT_CWD is where the user typed
    // the command, so a relative TRUST_DATA_DIR (and the default ./.data) means what they expect.
    dataDir: resolve(env.INIT_CWD || process.cwd(), core.dataDir ?? REGISTRY_DEFAULTS.dataDir),
    // Core's default issuer is this service's default origin (port 4000); another port moves it.
    issuer: core.issuer ?? (e.PORT === 4000 ? REGISTRY_DEFAULTS.issuer : `http://localhost:${e.PORT}`),
    statusListTtlSeconds: e.TRUST_STATUS_LIST_TTL,
    production,
    introspection: !production || e.TRUST_INTROSPECTION,
    loadShedding: e.NODE_ENV !== 'test',
    oidc: oidcOf(e),
    dataKey: core.dataKey,
    previousDataKey: core.previousDataKey,
    signingAlgorithm: core.signingAlgorithm ?? REGISTRY_DEFAULTS.signingAlgorithm,
    logLevel: e.LOG_LEVEL,
    metrics: e.METRICS_PORT === undefined ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    webhooks: webhooksOf(e),
    underPackageManager: Boolean(env.npm_lifecycle_event),
  };
}

function oidcOf(e: Environment): OidcOptions | null {
  if (!e.TRUST_OIDC_ISSUER) return null;
  if (!e.TRUST_OIDC_JWKS_URL || !e.TRUST_OIDC_AUDIENCE) {
    throw new ConfigError(
      'TRUST_OIDC_ISSUER',
      'cần cả TRUST_OIDC_JWKS_URL và TRUST_OIDC_AUDIENCE',
      'needs TRUST_OIDC_JWKS_URL and TRUST_OIDC_AUDIENCE too',
      'TRUST_OIDC_JWKS_URL=https://login.example.vn/jwks.json TRUST_OIDC_AUDIENCE=trust-registry',
    );
  }
  return {
    issuer: e.TRUST_OIDC_ISSUER,
    jwksUrl: e.TRUST_OIDC_JWKS_URL,
    audience: e.TRUST_OIDC_AUDIENCE,
    roleClaim: e.TRUST_OIDC_ROLE_CLAIM,
    ...(e.TRUST_OIDC_ALGORITHMS ? { algorithms: e.TRUST_OIDC_ALGORITHMS } : {}),
    ...(e.TRUST_OIDC_TYP ? { typ: e.TRUST_OIDC_TYP } : {}),
  };
}

function webhooksOf(e: Environment): WebhookSettings {
  const worker: Record<string, number> = {};
  for (const [name, [option]] of Object.entries(WEBHOOK_NUMBER_SETTINGS)) {
    const value = e[name as keyof typeof WEBHOOK_NUMBER_SETTINGS];
    if (value !== undefined) worker[option] = value;
  }
  return { enabled: e.TRUST_WEBHOOKS, allowLoopback: e.TRUST_WEBHOOKS_ALLOW_LOOPBACK, worker: worker as WebhookSettings['worker'] };
}

/**
 * TRUST_STATUS_LIST_TTL alone: whole seconds, within the bounds core's `openRegistry` accepts for
 * `statusListTtlSeconds` (core checks them again); unset or blank means core's default.
 */
export function statusListTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return parseEnvironment({ TRUST_STATUS_LIST_TTL: env.TRUST_STATUS_LIST_TTL }).TRUST_STATUS_LIST_TTL;
}
