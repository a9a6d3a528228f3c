/**
 * Error masking (DESIGN.md §5, Yoga's default kept on): an error meant for the client (a
 * GraphQLError we raised: FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT, a limit) passes; core's
 * expected failures outside typed results (a bad id in a query) become a GraphQLError with
 * their stable code; everything else becomes "Unexpected error." with an incident id, and
 * the original goes to the server log only. No stack, SQL or file path ever reaches a client,
 * whatever NODE_ENV says. Two kinds are not bugs and are not logged as errors: Pothos' own
 * argument checks (a malformed global id or cursor, `first: -1`) are the client's input, so
 * BAD_USER_INPUT; a database out of reach is SERVICE_UNAVAILABLE, HTTP 503 with Retry-After.
 */
import { GraphQLError } from 'graphql';
import { RegistryError } from '@trust-alliance/core';
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from './unavailable.ts';

/** Core codes a client may see with their message. */
const CLIENT_CODES = new Set(['INVALID_ACCOUNT', 'INVALID_INPUT', 'NOT_FOUND', 'INVALID_TRANSITION', 'PLEDGE_NOT_SIGNED', 'ACCOUNT_NOT_VERIFIED', 'ASSESSMENT_FAILED', 'MEMBER_NOT_ACTIVE', 'CONFLICT', 'CHALLENGE_FAILED', 'UNAUTHENTICATED']);

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
  if (original instanceof RegistryError && CLIENT_CODES.has(original.code)) {
    return new GraphQLError(original.message, { ...located, extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) } });
  }
  // Pothos' input checks throw PothosValidationError (by name: Pothos may be loaded twice, like graphql-js).
  if (original instanceof Error && original.name === 'PothosValidationError') {
    return new GraphQLError(original.message, { ...located, extensions: { code: 'BAD_USER_INPUT' } });
  }
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

function defaultLog(incident: string, error: unknown): void {
  console.error(`[api] unexpected error (incident ${incident}):`, error);
}
