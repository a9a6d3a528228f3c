/**
 * `openRegistry` takes explicit options only, so a library embedded in someone else's program
 * never changes behaviour because of a variable it did not know was set. Embedders who want the
 * registry's usual variables read them with this helper, in one visible call.
 */
import type { KeyAlgorithm } from './generated/prisma/client.ts';
import type { RegistryOptions } from './registry.ts';
import { SIGNING_ALGORITHMS } from './registry-defaults.ts';

/** The variables {@link registryOptionsFromEnv} reads, and the option each one sets. */
/**
 * A variable this module refuses: which one, and the problem in Vietnamese and English (the
 * message holds both), so a caller can report it in its own form without parsing the text.
 */
export class SettingError extends RangeError {
  constructor(
    readonly variable: string,
    readonly problemVi: string,
    readonly problemEn: string,
  ) {
    super(`${variable}: ${problemVi} / ${variable}: ${problemEn}`);
    this.name = 'SettingError';
  }
}

export const REGISTRY_ENV_VARIABLES = {
  DATABASE_URL: 'databaseUrl',
  DATABASE_READ_URL: 'readReplicas',
  DATABASE_READ_MAX_LAG_MS: 'readReplicas',
  TRUST_DATA_DIR: 'dataDir',
  TRUST_DATA_KEY: 'dataKey',
  TRUST_DATA_KEY_PREVIOUS: 'previousDataKey',
  TRUST_ISSUER: 'issuer',
  TRUST_SIGNING_ALG: 'signingAlgorithm',
} as const;

/** Bounds of `DATABASE_READ_MAX_LAG_MS` (ms). */
export const READ_MAX_LAG_MIN_MS = 50;
export const READ_MAX_LAG_MAX_MS = 600_000;

/**
 * `DATABASE_READ_URL`: one or more PostgreSQL URLs, comma-separated, of streaming replicas of
 * `DATABASE_URL`; `DATABASE_READ_MAX_LAG_MS` the oldest data they may answer with. Refused: a
 * replica without `DATABASE_URL`, a URL that is not postgres(ql)://, a bound out of range.
 * URLs are never echoed (they may hold passwords).
 */
export function readReplicasFromEnv(env: Record<string, string | undefined>): RegistryOptions['readReplicas'] {
  const raw = env.DATABASE_READ_URL?.trim();
  const lagRaw = env.DATABASE_READ_MAX_LAG_MS?.trim();
  if (!raw) {
    if (lagRaw) throw new SettingError('DATABASE_READ_MAX_LAG_MS', 'cần DATABASE_READ_URL', 'needs DATABASE_READ_URL (the read replicas it bounds)');
    return undefined;
  }
  if (!env.DATABASE_URL) throw new SettingError('DATABASE_READ_URL', 'cần DATABASE_URL (máy chủ chính)', 'needs DATABASE_URL (the primary its replicas follow)');
  const urls = raw.split(',').map((u) => u.trim());
  urls.forEach((url, i) => {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new SettingError('DATABASE_READ_URL', `mục thứ ${i + 1} không phải URL postgresql://`, `entry ${i + 1} of ${urls.length} is not a postgresql:// URL (e.g. DATABASE_READ_URL=postgresql://reader@replica-1:5432/trust,postgresql://reader@replica-2:5432/trust)`);
    }
  });
  if (new Set(urls).size !== urls.length) throw new SettingError('DATABASE_READ_URL', 'nêu một bản sao hai lần', 'names the same replica twice');
  if (urls.includes(env.DATABASE_URL)) throw new SettingError('DATABASE_READ_URL', 'nêu chính DATABASE_URL: chỉ liệt kê các bản sao', 'names DATABASE_URL itself: list the replicas only');
  if (!lagRaw) return { urls };
  const maxLagMs = /^\d+$/.test(lagRaw) ? Number(lagRaw) : Number.NaN;
  if (!Number.isSafeInteger(maxLagMs) || maxLagMs < READ_MAX_LAG_MIN_MS || maxLagMs > READ_MAX_LAG_MAX_MS) {
    throw new SettingError('DATABASE_READ_MAX_LAG_MS', `phải là số mili giây nguyên từ ${READ_MAX_LAG_MIN_MS} đến ${READ_MAX_LAG_MAX_MS}, nhận được "${lagRaw}"`, `must be whole milliseconds from ${READ_MAX_LAG_MIN_MS} to ${READ_MAX_LAG_MAX_MS}, got "${lagRaw}"`);
  }
  return { urls, maxLagMs };
}

/**
 * Builds `openRegistry` options from `DATABASE_URL`, `DATABASE_READ_URL` and
 * `DATABASE_READ_MAX_LAG_MS` (read replicas for `verify`), `TRUST_DATA_DIR`, `TRUST_DATA_KEY`, `TRUST_DATA_KEY_PREVIOUS`,
 * `TRUST_ISSUER` and `TRUST_SIGNING_ALG`; unset or empty variables are left out (core's defaults
 * apply: REGISTRY_DEFAULTS). The service's configuration (services/api/src/config.ts) validates
 * the same variables with its zod schema, then builds its registry options with this function. An unknown `TRUST_SIGNING_ALG` is refused rather than replaced by another algorithm.
 *
 * @example
 * const registry = await openRegistry({ ...registryOptionsFromEnv(), onProgress: console.log });
 */
export function registryOptionsFromEnv(env: Record<string, string | undefined> = process.env): RegistryOptions {
  const options: RegistryOptions = {};
  if (env.DATABASE_URL) options.databaseUrl = env.DATABASE_URL;
  const readReplicas = readReplicasFromEnv(env);
  if (readReplicas) options.readReplicas = readReplicas;
  if (env.TRUST_DATA_DIR) options.dataDir = env.TRUST_DATA_DIR;
  if (env.TRUST_DATA_KEY) options.dataKey = env.TRUST_DATA_KEY;
  if (env.TRUST_DATA_KEY_PREVIOUS) {
    // The retiring key only makes sense beside the key replacing it (never the data folder's key file).
    if (!env.TRUST_DATA_KEY) throw new SettingError('TRUST_DATA_KEY_PREVIOUS', 'cần TRUST_DATA_KEY (khóa mới thay thế nó)', 'needs TRUST_DATA_KEY (the new key replacing it)');
    options.previousDataKey = env.TRUST_DATA_KEY_PREVIOUS;
  }
  if (env.TRUST_ISSUER) options.issuer = env.TRUST_ISSUER;
  const algorithm = env.TRUST_SIGNING_ALG;
  if (algorithm) {
    if (!(SIGNING_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new SettingError('TRUST_SIGNING_ALG', `phải là EdDSA hoặc ES256, nhận được "${algorithm}"`, `must be EdDSA or ES256, got "${algorithm}" (e.g. TRUST_SIGNING_ALG=EdDSA)`);
    }
    options.signingAlgorithm = algorithm as KeyAlgorithm;
  }
  return options;
}
