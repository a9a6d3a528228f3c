/**
 * Core's expected failures as GraphQL types. Every mutation returns `<Name>Result`, a union of
 * its payload and these types; each carries core's stable `code` and the input `field` at
 * fault. Anything else that goes wrong stays a GraphQL error and is masked by Yoga.
 */
import {
  ConflictError,
  DataProtectionError,
  ForbiddenError,
  InvalidAccountError,
  InvalidTransitionError,
  NotFoundError,
  PreconditionError,
  RegistryError,
  ValidationError,
  ERROR_TABLE,
  type ErrorGraphqlType,
} from '@trust-alliance/core';
import { builder } from './builder.ts';

/** The `Error` interface every error type implements. */
export const ErrorInterface = builder.interfaceRef<RegistryError>('Error').implement({
  description: 'An expected failure: a stable code, a message for people, and the input field at fault.',
  fields: (t) => ({
    code: t.string({ description: 'Stable code from core (e.g. INVALID_INPUT, NOT_FOUND, PLEDGE_NOT_SIGNED).', resolve: (e) => e.code }),
    message: t.exposeString('message'),
    field: t.string({ nullable: true, description: 'Dotted path of the input field at fault.', resolve: (e) => e.field ?? null }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input failed validation (code INVALID_INPUT).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: () => ({}),
});

builder.objectType(InvalidAccountError, {
  name: 'InvalidAccountError',
  description: 'The input is not an account on a supported platform (code INVALID_ACCOUNT).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidAccountError,
  fields: () => ({}),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'A record named in the input does not exist (code NOT_FOUND).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    entity: t.string({ nullable: true, resolve: (e) => (typeof e.data?.entity === 'string' ? e.data.entity : null) }),
  }),
});

builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransitionError',
  description: "The record's current state does not allow this change (code INVALID_TRANSITION).",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidTransitionError,
  fields: (t) => ({
    from: t.string({ nullable: true, resolve: (e) => (typeof e.data?.from === 'string' ? e.data.from : null) }),
    to: t.string({ nullable: true, resolve: (e) => (typeof e.data?.to === 'string' ? e.data.to : null) }),
  }),
});

builder.objectType(PreconditionError, {
  name: 'PreconditionError',
  description: 'A business precondition is not met (codes PLEDGE_NOT_SIGNED, ACCOUNT_NOT_VERIFIED, ASSESSMENT_FAILED, MEMBER_NOT_ACTIVE, CHALLENGE_FAILED).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PreconditionError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'A unique fact already exists, or an idempotency key was reused with other input (code CONFLICT).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: () => ({}),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'A rule of who may do what refused the change (code FORBIDDEN): `rule` names it (ADMIN_ONLY, SYSTEM_ONLY, TWO_ADMINS: the ADMIN who proposed cannot approve).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: (t) => ({
    rule: t.exposeString('rule'),
  }),
});

builder.objectType(DataProtectionError, {
  name: 'DataProtectionError',
  description:
    'A rule protecting personal data refused the call (Law 91/2025/QH15): NO_LEGAL_BASIS (no legal basis in force covers storing or reading this), PROCESSING_RESTRICTED (the member\'s data is restricted: ADMIN with a stated legal basis only), PERSONAL_DATA_ERASED.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof DataProtectionError,
  fields: () => ({}),
});

/** The class behind each GraphQL error type of core's error table: a type the table names without a class here does not compile. */
const ERROR_CLASSES = {
  ValidationError,
  InvalidAccountError,
  NotFoundError,
  InvalidTransitionError,
  PreconditionError,
  ConflictError,
  ForbiddenError,
  DataProtectionError,
} as const satisfies Record<ErrorGraphqlType, new (...args: never[]) => RegistryError>;

/** The error types every mutation result may hold: each typed result of core's error table. */
export const MUTATION_ERRORS = [...new Set(Object.values(ERROR_TABLE).flatMap((rule) => (rule.graphqlType ? [ERROR_CLASSES[rule.graphqlType]] : [])))];

/** A class of {@link MUTATION_ERRORS}. */
export type MutationErrorClass = (typeof ERROR_CLASSES)[ErrorGraphqlType];

/** Errors-plugin options for a mutation `name`: `<Name>Result = <Name>Payload | types`. */
export function mutationErrors(name: string, types: MutationErrorClass[] = MUTATION_ERRORS) {
  const base = name.charAt(0).toUpperCase() + name.slice(1);
  return { types, directResult: true, union: { name: `${base}Result` } } as const;
}
