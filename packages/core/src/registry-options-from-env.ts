/**
 * `openRegistry` takes explicit options only, so a library embedded in someone else's program
 * never changes behaviour because of a variable it did not know was set. Embedders who want the
 * registry's usual variables read them with this helper, in one visible call.
 */
import type { KeyAlgorithm } from './generated/prisma/client.ts';
import type { RegistryOptions } from './registry.ts';
import { SIGNING_ALGORITHMS } from './registry-defaults.ts';

/** The variables {@link registryOptionsFromEnv} reads, and the option each one sets. */
export const REGISTRY_ENV_VARIABLES = {
  DATABASE_URL: 'databaseUrl',
  TRUST_DATA_DIR: 'dataDir',
  TRUST_DATA_KEY: 'dataKey',
  TRUST_ISSUER: 'issuer',
  TRUST_SIGNING_ALG: 'signingAlgorithm',
} as const;

/**
 * Builds `openRegistry` options from `DATABASE_URL`, `TRUST_DATA_DIR`, `TRUST_DATA_KEY`,
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
  if (env.TRUST_DATA_DIR) options.dataDir = env.TRUST_DATA_DIR;
  if (env.TRUST_DATA_KEY) options.dataKey = env.TRUST_DATA_KEY;
  if (env.TRUST_ISSUER) options.issuer = env.TRUST_ISSUER;
  const algorithm = env.TRUST_SIGNING_ALG;
  if (algorithm) {
    if (!(SIGNING_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new RangeError(`TRUST_SIGNING_ALG phải là EdDSA hoặc ES256, nhận được "${algorithm}" / TRUST_SIGNING_ALG must be EdDSA or ES256, got "${algorithm}" (e.g. TRUST_SIGNING_ALG=EdDSA)`);
    }
    options.signingAlgorithm = algorithm as KeyAlgorithm;
  }
  return options;
}
