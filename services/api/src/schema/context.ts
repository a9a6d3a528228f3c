/**
 * The GraphQL context of one request: the registry, the authenticated viewer and the actor
 * core records for it.
 */
import type { Actor, Registry } from '@trust-alliance/core';
import type { Viewer } from '../auth/roles.ts';

export interface GraphQLContext {
  registry: Registry;
  viewer: Viewer;
  actor: Actor;
  /**
   * Who the caller is, for scoping its idempotency keys: role and subject for a token holder; a
   * keyed pseudonym of the client address for an anonymous caller (so anonymous callers do not
   * share one scope, and no address is stored).
   */
  caller: string;
}
