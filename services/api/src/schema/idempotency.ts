/**
 * Idempotency keys for mutations (services/api/README.md): the API only names the scope (mutation name
 * and actor); core claims the key, runs the operation and stores its result in one
 * transaction (packages/core/src/kernel/idempotency.ts).
 */
import { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@trust-alliance/core';
import type { GraphQLContext } from './context.ts';

/** Options of the `idempotencyKey` argument. */
export const IDEMPOTENCY_KEY_ARG = {
  required: false,
  description: 'Retrying with the same key returns the first result and changes nothing; the same key with other input is a ConflictError.',
  validate: z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH),
} as const;

export interface IdempotentCall<T> {
  /** The mutation's name (part of the scope). */
  mutation: string;
  /** The key the client sent, if any. */
  key: string | null | undefined;
  /** The mutation's input, without the key. */
  input: unknown;
  run: () => Promise<T>;
}

/**
 * Runs `call.run` at most once per (mutation, caller, key): an anonymous caller's keys are
 * scoped by its keyed pseudonym, never shared with every other anonymous caller. Called by
 * lifecycle-mutation.ts, which names the mutation once for the field and the scope.
 *
 * @example
 * return idempotent(ctx, { mutation: 'issueBadge', key: args.idempotencyKey, input: args.input, run: () => registry.issueBadge(…) });
 */
export function idempotent<T>(ctx: GraphQLContext, call: IdempotentCall<T>): Promise<T> {
  if (call.key === null || call.key === undefined) return call.run();
  return ctx.registry.withIdempotency({ scope: `${call.mutation}:${ctx.caller()}`, key: call.key, input: call.input }, call.run);
}
