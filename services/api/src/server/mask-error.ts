/**
 * Error masking (services/api/README.md, Yoga's default kept on): an error meant for the client (a
 * GraphQLError we raised: FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT, a limit) passes; core's
 * failures that core's error table (ERROR_TABLE) marks exposed pass unchanged too, with their
 * stable code (core errors carry it as `extensions`), so Yoga, which logs every error masking
 * changes, logs none of them; everything else becomes "Unexpected error." with an incident id,
 * and the original goes to the server log only, once. No stack, SQL or file path ever reaches a client,
 * whatever NODE_ENV says. Two kinds are not bugs and are not logged as errors: Pothos' own
 * argument checks (a malformed global id or cursor, `first: -1`) are the client's input, so
 * BAD_USER_INPUT; a database out of reach is SERVICE_UNAVAILABLE, HTTP 503 with Retry-After;
 * a database refusal only client input causes is NOT_FOUND or BAD_USER_INPUT (inputFault).
 */
import { GraphQLError } from 'graphql';
import { errorRule, RegistryError } from '@trust-alliance/core';
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../http/unavailable.ts';

/**
 * By name, not `instanceof`: graphql-js may be loaded twice (ESM and CJS copies, as under
 * vitest), and an error from the other copy is still a GraphQLError.
 */
function isGraphQLError(value: unknown): value is GraphQLError {
  return value instanceof Error && value.name === 'GraphQLError';
}

export function maskError(error: unknown, message: string, log: (incident: string, error: unknown) => void = defaultLog): Error {
  let original: unknown = error;
  while (isGraphQLError(original) && original.originalError) original = original.originalError;
  const located = isGraphQLError(error) ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path } : {};
  if (isGraphQLError(original)) return error as GraphQLError;
  if (original instanceof RegistryError && errorRule(original)?.exposed) {
    // Located by graphql-js, the error already carries the code (core's `extensions`): unchanged.
    if (isGraphQLError(error) && error.extensions.code === original.code) return error;
    return new GraphQLError(original.message, { ...located, extensions: original.extensions });
  }
  // Pothos' input checks throw PothosValidationError (by name: Pothos may be loaded twice, like graphql-js).
  // A global id naming an interface ("Node:1") makes Pothos' node loader fail with a schema
  // error; under node/nodes that is the id's fault, not the schema's.
  const underNode = isGraphQLError(error) && (error.path?.[0] === 'node' || error.path?.[0] === 'nodes');
  if (original instanceof Error && (original.name === 'PothosValidationError' || (underNode && original.name === 'PothosSchemaError'))) {
    return new GraphQLError(original.message, { ...located, extensions: { code: 'BAD_USER_INPUT' } });
  }
  const input = inputFault(original);
  if (input) return new GraphQLError(input.message, { ...located, extensions: { code: input.code } });
  if (isUnavailable(original)) {
    return new GraphQLError('The service cannot reach its database right now. / Dịch vụ tạm thời không kết nối được cơ sở dữ liệu.', {
      ...located,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } } },
    });
  }
  const incident = crypto.randomUUID();
  log(incident, original);
  return new GraphQLError(message, { ...located, extensions: { code: 'INTERNAL_SERVER_ERROR', incident } });
}

/**
 * Database refusals that only client input causes, by stable code: a record named by a
 * well-formed global id that does not exist (Prisma P2025, from the node loaders), and a value the
 * column cannot hold (Prisma P2023; PostgreSQL 22P02 invalid text, 22021 NUL byte, 22008 date out
 * of range). Core should refuse such input first; this keeps a miss from becoming a 500.
 */
function inputFault(error: unknown): { code: 'NOT_FOUND' | 'BAD_USER_INPUT'; message: string } | null {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  if (code === 'P2025') return { code: 'NOT_FOUND', message: 'No record with this id. / Không có bản ghi với mã này.' };
  if (code === 'P2023' || code === '22P02' || code === '22021' || code === '22008') return { code: 'BAD_USER_INPUT', message: 'A value does not fit its field (id, date or text). / Một giá trị không hợp lệ cho trường của nó (mã, ngày hoặc văn bản).' };
  return null;
}

function defaultLog(incident: string, error: unknown): void {
  console.error(`[api] unexpected error (incident ${incident}):`, error);
}
