/**
 * `@trust-alliance/api`: the GraphQL service over the Trust Alliance registry.
 *
 * @example
 * import { openRegistry } from '@trust-alliance/core';
 * import { createApp, listen } from '@trust-alliance/api';
 * const registry = await openRegistry();
 * const server = await listen(createApp({ registry, routes: publicRoutes(registry) }), { port: 4000 });
 */
export { createApp, type App, type AppOptions, type Route } from './server/create-yoga.ts';
export { listen, type RunningServer } from './server/http.ts';
export { publicRoutes, HTTP_ERROR_CODES, type HttpErrorCode, discoveryDocument } from './http/index.ts';
export { toVerificationView, type VerificationView } from './verification/verification-view.ts';
export { LIMITS } from './server/limits.ts';
export { schema } from './schema/index.ts';
export type { GraphQLContext } from './schema/context.ts';
export { ROLES, type Role, type Viewer } from './auth/roles.ts';
export { accessTokensFor, type AccessTokenService } from './auth/access-tokens.ts';
export { seedDemo, ALLIANCE_CHANNELS } from './demo/seed-demo.ts';
export { loadConfig, ConfigError, CONFIG_EXIT_CODE, SETTINGS, type ApiConfig } from './config.ts';
