/**
 * A registry mutation, declared once: its name gives the field, the result union `<Name>Result`
 * (the payload or core's error types, errors.ts) and the idempotency scope (idempotency.ts), so
 * the three can never disagree.
 */
import type { ArgBuilder, InputFieldMap, InputObjectRef, InputShapeFromFields, ObjectRef } from '@pothos/core';
import type { AuthScopeMap } from '@pothos/plugin-scope-auth';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { mutationErrors, type MutationErrorClass } from './errors.ts';
import { IDEMPOTENCY_KEY_ARG, idempotent } from './idempotency.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

interface MutationBase<Payload> {
  description: string;
  payload: ObjectRef<Types, Payload>;
}

/** The usual shape: `name(input: …!, idempotencyKey: String)`, any error of core's table. */
export interface InputMutation<Input, Payload> extends MutationBase<Payload> {
  input: InputObjectRef<Types, Input>;
  /** Who may call it: fixed scopes, or scopes read from the input (e.g. officerOrSelf). */
  authScopes: AuthScopeMap<Types> | ((input: Input) => AuthScopeMap<Types>);
  /** The core call; runs at most once per idempotency key. */
  run: (input: Input, ctx: GraphQLContext) => Promise<Payload>;
}

/** Top-level arguments and only the errors core can return (default: any of the table). */
export interface ArgsMutation<Args extends InputFieldMap, Payload> extends MutationBase<Payload> {
  args: (t: ArgBuilder<Types>) => Args;
  errors?: MutationErrorClass[];
  /** Adds `idempotencyKey` (the arguments are the input it guards): only when core's call writes through the kernel's `write`, which honours it. */
  idempotent?: boolean;
  authScopes: AuthScopeMap<Types>;
  run: (args: InputShapeFromFields<Args>, ctx: GraphQLContext) => Promise<Payload>;
}

/**
 * Adds the mutation `name` returning `<Name>Result`.
 *
 * @example
 * lifecycleMutation('renewBadge', {
 *   description: 'Extends an ACTIVE badge. OFFICER and ADMIN.',
 *   input: RenewBadgeInput,
 *   payload: BadgePayload,
 *   authScopes: { officer: true },
 *   run: async (input, ctx) => ({ badge: await ctx.registry.renewBadge({ badgeId: rawId(input.badgeId, 'Badge', 'badgeId') }, ctx.actor) }),
 * });
 */
export function lifecycleMutation<Input, Payload>(name: string, mutation: InputMutation<Input, Payload>): void;
export function lifecycleMutation<Args extends InputFieldMap, Payload>(name: string, mutation: ArgsMutation<Args, Payload>): void;
// Pothos cannot follow a generic input or payload through its field types: each call is checked
// against a signature above; the field is built here from their erased form.
export function lifecycleMutation(name: string, mutation: InputMutation<unknown, unknown> | ArgsMutation<InputFieldMap, unknown>): void {
  if ('input' in mutation) {
    const { authScopes, run } = mutation;
    builder.mutationField(name, (t) =>
      t.field({
        type: mutation.payload,
        description: mutation.description,
        authScopes: typeof authScopes === 'function' ? (_root, args) => authScopes(args.input) : authScopes,
        errors: mutationErrors(name),
        args: { input: t.arg({ type: mutation.input, required: true }), idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG) },
        resolve: (_root, { input, idempotencyKey }, ctx) => idempotent(ctx, { mutation: name, key: idempotencyKey, input, run: () => run(input, ctx) }),
      }),
    );
    return;
  }
  const { run } = mutation;
  const keyed = mutation.idempotent === true;
  builder.mutationField(name, (t) =>
    t.field({
      type: mutation.payload,
      description: mutation.description,
      authScopes: mutation.authScopes,
      errors: mutationErrors(name, mutation.errors),
      args: keyed ? { ...mutation.args(t.arg), idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG) } : mutation.args(t.arg),
      resolve: (_root, allArgs, ctx) => {
        if (!keyed) return run(allArgs, ctx);
        // The key is not part of the input it guards.
        const { idempotencyKey, ...args } = allArgs as typeof allArgs & { idempotencyKey?: string | null };
        return idempotent(ctx, { mutation: name, key: idempotencyKey, input: args, run: () => run(args as typeof allArgs, ctx) });
      },
    }),
  );
}
