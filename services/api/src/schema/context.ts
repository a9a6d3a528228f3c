/**
 * The GraphQL context of one request: the registry, the authenticated viewer, the actor
 * core records for it, and the language answers are given in.
 */
import type { Actor, Lang, Registry } from '@trust-alliance/core';
import type { Viewer } from '../auth/roles.ts';

export interface GraphQLContext {
  registry: Registry;
  viewer: Viewer;
  actor: Actor;
  /**
   * Who the caller is, for scoping its idempotency keys: role and subject for a token holder; a
   * keyed pseudonym of the client address for an anonymous caller (so anonymous callers do not
   * share one scope, and no address is stored). A function: the pseudonym is an HMAC that only
   * a mutation with an idempotency key needs, so a read never computes it.
   */
  caller: () => string;
  /** The language the caller prefers (`Accept-Language`; Vietnamese unless English is preferred). */
  lang: Lang;
}
