/**
 * The request limits, explicit from the start (services/api/README.md): graphql-armor's depth, alias,
 * token, directive and cost limits, and the batch size of verifyMany (core's MAX_BATCH).
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { MAX_BATCH } from '@trust-alliance/core';

export const LIMITS = {
  /** Deepest selection (members → edges → node → accounts → account → admins → member … is 9). */
  maxDepth: 12,
  /** Aliases per operation (each `verify` alias is one lookup, batched). */
  maxAliases: 30,
  /** Tokens per document: big batches go in variables, not in the query text. */
  maxTokens: 5000,
  maxDirectives: 20,
  /** graphql-armor's static cost (objects 2, scalars 1, ×1.5 per level). */
  maxCost: 5000,
  /** Inputs per verifyMany. */
  verifyBatch: MAX_BATCH,
  /** Bytes per request body: a full verifyMany of URLs at their longest (2,048 characters) fits. */
  maxRequestBodyBytes: 4 * 1024 * 1024,
} as const;

/** The armor plugins for Yoga. */
export function armorPlugin() {
  return EnvelopArmorPlugin({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: LIMITS.maxAliases },
    maxTokens: { n: LIMITS.maxTokens },
    maxDirectives: { n: LIMITS.maxDirectives },
    costLimit: { maxCost: LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: true },
  });
}
