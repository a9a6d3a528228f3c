/**
 * The public HTTP routes beside GraphQL, one file per family: `/v1/verify`, `/.well-known/*`
 * (key set, discovery, key history), `/status-lists/<id>`, OpenID Federation
 * (`/.well-known/openid-federation`, `/federation/*`), TRQP v2 (`/authorization`,
 * `/recognition`) and the log (`/log/checkpoint`, `/log/proof/*`). Pass them to
 * `createApp({ routes })`, which serves them as a Yoga plugin (route.ts).
 *
 * @example
 * const app = createApp({ registry, routes: [...publicRoutes(registry), ...adminRoutes(…)] });
 */
import type { Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { verifyRoutes } from './verify.ts';
import { wellKnownRoutes } from './well-known.ts';
import { statusListRoutes } from './status-lists.ts';
import { federationRoutes } from './federation.ts';
import { trqpRoutes } from './trqp.ts';
import { logRoutes } from './log.ts';

export { HTTP_ERROR_CODES, type HttpErrorCode } from './respond.ts';
export type { Route, RequestFacts } from './route.ts';
export { VERIFY_MAX_AGE_SECONDS } from './verify.ts';
export { discoveryDocument, DISCOVERY_PATH, JWKS_PATH, KEY_HISTORY_PATH } from './well-known.ts';
export { STATUS_LIST_CONTENT_TYPE, STATUS_LIST_PATH } from './status-lists.ts';
export { TRQP_PATHS, TRQP_VERSION, trqpIdentifierProfile } from './trqp.ts';
export { LOG_CHECKPOINT_PATH, LOG_CONSISTENCY_PATH, LOG_INCLUSION_PATH } from './log.ts';

/** Every public route, in matching order. */
export function publicRoutes(registry: Registry): Route[] {
  return [...verifyRoutes(registry), ...wellKnownRoutes(registry), ...statusListRoutes(registry), ...federationRoutes(registry), ...trqpRoutes(registry), ...logRoutes(registry)];
}
