/**
 * The read models: a read-only Prisma handle on the records that a query layer may show (the
 * GraphQL schema resolves its types and relations through it, with Pothos' Prisma plugin). Every
 * change goes through the registry's methods, which keep the transparency log, the stamps and
 * the rules; so this handle has no write method, and it leaves out the registry's own
 * bookkeeping (signing keys with their sealed private halves, idempotency records, settings,
 * the personal-data access log, the log tables). Sealed columns (`privateData`,
 * `reasonPrivate`, `reporterContact`, `liftReason`) are readable only as ciphertext.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';

/** The methods of a model that only read. */
export const READ_METHODS = ['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy'] as const;
type ReadMethod = (typeof READ_METHODS)[number];

/** The models a query layer may read, by their client property names. */
export const READ_MODELS = [
  'member',
  'memberStatusEvent',
  'account',
  'accountIdentifier',
  'accountAdmin',
  'ownershipEvent',
  'ownershipChallenge',
  'pledgeVersion',
  'pledgeSignature',
  'assessment',
  'certificationPolicy',
  'badge',
  'badgeEvent',
  'report',
  'flag',
  'attestation',
  'statusList',
] as const;
type ReadModel = (typeof READ_MODELS)[number];

/** The read-only handle: for each readable model, its read methods; `$connect` for Pothos. */
export type ReadModels = { readonly [M in ReadModel]: Pick<PrismaClient[M], ReadMethod> } & { $connect(): Promise<void> };

/**
 * Builds the read-only handle over `prisma` (the same connection pool and query batching).
 * @example const reads = readModels(db.prisma); await reads.member.count();
 */
export function readModels(prisma: PrismaClient): ReadModels {
  const handle: Record<string, unknown> = { $connect: () => prisma.$connect() };
  for (const model of READ_MODELS) {
    const delegate = prisma[model] as unknown as Record<ReadMethod, (args?: unknown) => unknown>;
    handle[model] = Object.freeze(Object.fromEntries(READ_METHODS.map((method) => [method, (args?: unknown) => delegate[method](args)])));
  }
  return Object.freeze(handle) as ReadModels;
}
