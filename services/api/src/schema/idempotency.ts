/**
 * Idempotency keys for mutations (DESIGN.md §5), in one place. A mutation called with an
 * `idempotencyKey` claims the key in `IdempotencyRecord` (scope = mutation name + actor) before
 * it runs, then stores its result there. A retry with the same key and the same input gets the
 * stored result back and changes nothing; the same key with other input is a ConflictError
 * (code CONFLICT, field `idempotencyKey`). Only successes are stored: a call that failed changed
 * nothing, so retrying it runs it again.
 *
 * This belongs in core (TODO, see services/api/README.md): there the claim, the operation and
 * the stored result can share one transaction. Here they are three steps, so a crash between
 * the operation's commit and storing its result leaves the key claimed ("in progress") for good
 * rather than risk running the operation twice.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@trust-alliance/verifier';
import { ConflictError, ValidationError } from '@trust-alliance/core';
import type { GraphQLContext } from './context.ts';

/** Longest idempotency key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

const PENDING = { $pending: true } as const;

/** JSON with Dates and byte arrays tagged, so a stored result revives to the same shape. */
function encode(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encode(v)]));
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
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

/** sha-256 (hex) of the RFC 8785 canonical JSON of the input. */
export function requestHash(input: unknown): string {
  const plain = JSON.parse(JSON.stringify(encode(input ?? null))) as unknown;
  return createHash('sha256').update(canonicalJson(plain)).digest('hex');
}

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
 * Runs `call.run` at most once per (mutation, actor, key).
 *
 * @example
 * return idempotent(ctx, { mutation: 'issueBadge', key: args.idempotencyKey, input: args.input, run: () => registry.issueBadge(…) });
 */
export async function idempotent<T>(ctx: GraphQLContext, call: IdempotentCall<T>): Promise<T> {
  if (call.key === null || call.key === undefined) return call.run();
  const key = call.key;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new ValidationError(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, 'idempotencyKey');
  const prisma = ctx.registry.context.prisma;
  const scope = `${call.mutation}:${ctx.actor.role}:${ctx.actor.id}`;
  const hash = requestHash(call.input);
  const claimed = await prisma.idempotencyRecord.createMany({
    data: [{ scope, key, requestHash: hash, response: PENDING, createdAt: ctx.registry.context.now() }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) {
    const record = await prisma.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
    if (!record) throw new ConflictError('This idempotency key is being released by a failed attempt; retry', 'idempotencyKey');
    if (record.requestHash !== hash) throw new ConflictError('This idempotency key was already used with different input', 'idempotencyKey');
    const response = record.response as Record<string, unknown> | null;
    if (response && typeof response === 'object' && '$pending' in response) {
      throw new ConflictError('A request with this idempotency key is still in progress', 'idempotencyKey');
    }
    return decode((response as { result: unknown }).result) as T;
  }
  let result: T;
  try {
    result = await call.run();
  } catch (error) {
    await prisma.idempotencyRecord.delete({ where: { scope_key: { scope, key } } }).catch(() => {});
    throw error;
  }
  await prisma.idempotencyRecord.update({ where: { scope_key: { scope, key } }, data: { response: { result: encode(result) } as object } });
  return result;
}
