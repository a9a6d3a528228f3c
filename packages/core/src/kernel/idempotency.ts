/**
 * Idempotency keys: a retried request with the same key gets the first result back and
 * changes nothing; the same key with other input is a CONFLICT. The key is claimed, the
 * operation runs and its result is stored in ONE transaction (see `write` in context.ts), so
 * a crash can never leave a key claimed without a result or an operation applied twice; a
 * concurrent duplicate waits on the key's row and then replays the first result.
 *
 * The key reaches `write` through AsyncLocalStorage, so operations need no extra parameter:
 * `registry.withIdempotency({ scope, key, input }, () => registry.issueBadge(…))`.
 *
 * The stored fingerprint of the input is a keyed HMAC (the registry passes a key derived from
 * `TRUST_DATA_KEY`), not a plain hash: inputs can hold a phone number or a national ID, and a
 * plain hash of one is undone by trying every number.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { canonicalJson } from '@trust-alliance/verifier';
import { ConflictError, ValidationError } from '../errors.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/** Longest idempotency key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export interface IdempotencyRequest {
  /** Who and what: e.g. `issueBadge:OFFICER:officer-7`. Keys are unique within a scope. */
  scope: string;
  key: string;
  /** The request's input (without the key): a retry must send the same. */
  input: unknown;
}

interface ActiveRequest extends IdempotencyRequest {
  requestHash: string;
}

const ambient = new AsyncLocalStorage<ActiveRequest>();

/** JSON with Dates, bytes and bigints tagged, so a stored result revives to the same shape. */
function encode(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$date === 'string') return new Date(record.$date);
    if (keys.length === 1 && typeof record.$bytes === 'string') return new Uint8Array(Buffer.from(record.$bytes, 'base64'));
    if (keys.length === 1 && typeof record.$bigint === 'string') return BigInt(record.$bigint);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** An unpaired UTF-16 surrogate: text no canonical form (or database) can hold. */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when every string (and key) in a JSON value is well-formed Unicode. */
function wellFormed(value: unknown): boolean {
  if (typeof value === 'string') return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => !LONE_SURROGATE.test(k) && wellFormed(v));
  return true;
}

/**
 * The fingerprint of an input's RFC 8785 canonical JSON: a keyed pseudonym under `key`, or
 * sha-256 (hex) without one (only for callers that hold no personal data).
 * @throws ValidationError (field `input`) when the input holds text that is not valid Unicode.
 */
export function requestHash(input: unknown, key?: Pseudonyms): string {
  const plain = JSON.parse(JSON.stringify(encode(input ?? null))) as unknown;
  if (!wellFormed(plain)) throw new ValidationError('The input holds text that is not valid Unicode (an unpaired surrogate)', 'input');
  const canonical = canonicalJson(plain);
  return key ? key.of('idempotency-request', canonical) : createHash('sha256').update(canonical).digest('hex');
}

/**
 * Runs `operation` so that the write it makes is idempotent under `request.key`.
 * @example await withIdempotency({ scope: 'issueBadge:OFFICER:o-1', key: 'abc', input }, () => registry.issueBadge(input));
 */
export function withIdempotency<T>(request: IdempotencyRequest, operation: () => Promise<T>, key?: Pseudonyms): Promise<T> {
  if (typeof request.key !== 'string' || request.key.length === 0 || request.key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return Promise.reject(new ValidationError(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, 'idempotencyKey'));
  }
  if (LONE_SURROGATE.test(request.key)) return Promise.reject(new ValidationError('idempotencyKey is not valid Unicode (an unpaired surrogate)', 'idempotencyKey'));
  let hash: string;
  try {
    hash = requestHash(request.input, key);
  } catch (error) {
    return Promise.reject(error);
  }
  return ambient.run({ ...request, requestHash: hash }, operation);
}

/** True inside {@link withIdempotency}: such a caller reads its own writes, so its reads stay on the primary. */
export function insideIdempotentRequest(): boolean {
  return ambient.getStore() !== undefined;
}

/**
 * Inside a write's transaction: claims the ambient key, or returns the stored first result.
 * Returns undefined when there is no key (or it was just claimed) and the write should run.
 */
export async function claimIdempotencyKey(tx: Prisma.TransactionClient, at: Date): Promise<{ replay: unknown } | { store: (result: unknown) => Promise<void> } | undefined> {
  const request = ambient.getStore();
  if (!request) return undefined;
  const { scope, key, requestHash: hash } = request;
  // A concurrent duplicate blocks here on the key's row until the first transaction ends.
  const claimed = await tx.idempotencyRecord.createMany({ data: [{ scope, key, requestHash: hash, response: {}, createdAt: at }], skipDuplicates: true });
  if (claimed.count === 0) {
    const record = await tx.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope, key } } });
    if (record.requestHash !== hash) throw new ConflictError('This idempotency key was already used with different input', 'idempotencyKey');
    return { replay: decode((record.response as { result?: unknown }).result) };
  }
  return {
    store: async (result) => {
      await tx.idempotencyRecord.update({ where: { scope_key: { scope, key } }, data: { response: { result: encode(result) } as object } });
    },
  };
}
