/**
 * Which failures mean "the database cannot be reached right now" (a 503 with Retry-After,
 * which the client may retry) rather than a bug (a 500). Classified by stable codes only,
 * never by message text: socket errors (`ECONNREFUSED`, …), PostgreSQL's SQLSTATE classes 08
 * (connection exception), 57P (operator intervention: shutdown, restart) and 53 (insufficient
 * resources: disk full, too many connections), Prisma's connection codes (P1001, P1017, …) and
 * its driver-adapter kinds, and core's StorageError STORAGE_ERROR. The chain of `cause`s is
 * followed, since drivers and Prisma wrap each other.
 */
import { RegistryError } from '@trust-alliance/core';

/** Seconds a client should wait before retrying after a 503. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOSPC', 'EROFS']);
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseAccessDenied', 'TransactionAlreadyClosed']);

function codeOf(error: object): unknown {
  return (error as { code?: unknown }).code;
}

/**
 * True when `error` (or one of its causes) says the database is unreachable or out of resources.
 * @example if (isUnavailable(error)) reply503(); else reply500();
 */
export function isUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let hops = 0; hops < 8 && current !== null && typeof current === 'object'; hops++) {
    if (current instanceof RegistryError) return current.code === 'STORAGE_ERROR';
    const code = codeOf(current);
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
      if (/^(08|57P|53)[0-9A-Z]{0,3}$/.test(code) && code.length === 5) return true;
    }
    const kind = (current as { kind?: unknown; cause?: { kind?: unknown } }).kind;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    const meta = (current as { meta?: { driverAdapterError?: unknown } }).meta;
    if (meta?.driverAdapterError && isUnavailable(meta.driverAdapterError)) return true;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
