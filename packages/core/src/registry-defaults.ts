/**
 * What `openRegistry` does with an option left out, in one place: the service's configuration
 * (services/api/src/config.ts) and `registryOptionsFromEnv` read these constants, so a default
 * written down twice cannot drift apart.
 */
import type { KeyAlgorithm } from './generated/prisma/client.ts';

/** The algorithms a signing key may use (`signingAlgorithm`, TRUST_SIGNING_ALG). */
export const SIGNING_ALGORITHMS = ['EdDSA', 'ES256'] as const satisfies readonly KeyAlgorithm[];

/** openRegistry's defaults for the options an environment can set. */
export const REGISTRY_DEFAULTS = Object.freeze({
  /** The embedded database's folder, relative to the working directory. */
  dataDir: './.data',
  /** Issuer of tokens and statements (trailing slashes are dropped). */
  issuer: 'http://localhost:4000',
  /** Algorithm of new signing keys. */
  signingAlgorithm: 'EdDSA' as KeyAlgorithm,
});
