/**
 * The registry's own access tokens (`typ: at+jwt`): issued and verified by core with the
 * registry's signing keys (algorithms, `typ`, issuer and audience pinned there).
 */
import type { Registry } from '@trust-alliance/core';

/** What the API needs from the registry's key set. */
export type AccessTokenService = Pick<Registry['keys'], 'issueAccessToken' | 'verifyAccessToken' | 'publicJwks'>;

/** The registry's access-token service. */
export function accessTokensFor(registry: Registry): AccessTokenService {
  return registry.keys;
}
