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
}
