/**
 * A route's failure as a response, by core's error table (ERROR_TABLE): an exposed error answers
 * its status with `{ error: { code, message, field? } }`; a database out of reach 503 with
 * Retry-After; anything else 500 with an incident id only, the error itself going to the log
 * (no stack, SQL or path reaches a client).
 */
import { ERROR_TABLE, RegistryError } from '@trust-alliance/core';
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from './unavailable.ts';
import { noStore } from './respond.ts';

export const UNAVAILABLE_MESSAGE = `The service cannot reach its database right now; retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s. / Dịch vụ tạm thời không kết nối được cơ sở dữ liệu; thử lại sau ${UNAVAILABLE_RETRY_AFTER_SECONDS} giây.`;

/** @example catch (error) { return failureResponse(error, logError); } */
export function failureResponse(error: unknown, logError: (incident: string, error: unknown) => void): Response {
  if (error instanceof RegistryError && ERROR_TABLE[error.code].exposed) {
    return noStore(ERROR_TABLE[error.code].httpStatus, { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
  }
  if (isUnavailable(error)) {
    return noStore(503, { error: { code: 'SERVICE_UNAVAILABLE', message: UNAVAILABLE_MESSAGE } }, { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
  }
  const incident = crypto.randomUUID();
  logError(incident, error);
  return noStore(500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.', incident } });
}
