/**
 * Status lists (IETF OAuth Token Status List, 2 bits per entry): every attestation gets its
 * own index, handed out by an atomic increment so two never share one; the served token is
 * rebuilt only when an entry changed (the list's `revision` moved) or it nears expiry.
 * Entry values: INVALID when the attestation was superseded or its badge revoked, SUSPENDED
 * while the badge is suspended, VALID otherwise.
 */
import { signStatusList, StatusValue } from '@trust-alliance/verifier';
import type { Prisma } from '../generated/prisma/client.ts';
import { NotFoundError } from '../errors.ts';
import type { RegistryContext } from '../registry/context.ts';

/** Entries per list (2 bits each: 25 KB uncompressed). */
export const STATUS_LIST_CAPACITY = 100_000;
/** Seconds a verifier may cache a list. */
export const STATUS_LIST_TTL_SECONDS = 300;
/** Lifetime of a served list token. */
export const STATUS_LIST_LIFETIME_SECONDS = 24 * 3600;

/** The public URI of a list: attestations point at it, and the API serves it there. */
export function statusListUri(issuer: string, listId: string): string {
  return `${issuer.replace(/\/+$/, '')}/status-lists/${listId}`;
}

/** Hands out the next free index, opening a new list when the last one is full. */
export async function allocateStatusIndex(tx: Prisma.TransactionClient): Promise<{ listId: string; idx: number }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // The capacity test is in the UPDATE itself, so PostgreSQL re-checks it after waiting for a concurrent writer.
    const rows = await tx.$queryRawUnsafe<Array<{ id: string; idx: number }>>(
      `UPDATE "StatusList" SET "nextIdx" = "nextIdx" + 1, "updatedAt" = now()
       WHERE id = (SELECT id FROM "StatusList" WHERE "nextIdx" < capacity ORDER BY length(id), id LIMIT 1) AND "nextIdx" < capacity
       RETURNING id, "nextIdx" - 1 AS idx`,
    );
    if (rows[0]) return { listId: rows[0].id, idx: Number(rows[0].idx) };
    const [{ count }] = await tx.$queryRawUnsafe<Array<{ count: number }>>('SELECT count(*)::int AS count FROM "StatusList"');
    await tx.$executeRawUnsafe(`INSERT INTO "StatusList" (id, capacity, "updatedAt") VALUES ($1, $2, now()) ON CONFLICT (id) DO NOTHING`, String(count + 1), STATUS_LIST_CAPACITY);
  }
  throw new Error('could not allocate a status-list index');
}

/** Marks the lists holding a badge's attestations as changed. */
export async function touchStatusListsOfBadge(tx: Prisma.TransactionClient, badgeId: string): Promise<void> {
  await tx.$executeRawUnsafe(`UPDATE "StatusList" SET revision = revision + 1, "updatedAt" = now() WHERE id IN (SELECT "statusListId" FROM "Attestation" WHERE "badgeId" = $1)`, badgeId);
}

/** The current values of every entry of a list. */
async function statusesOf(ctx: RegistryContext, listId: string, capacity: number): Promise<Uint8Array> {
  const rows = await ctx.db.sql.query<{ idx: number; superseded: boolean; status: string }>(
    `SELECT a."statusIdx" AS idx, a."supersededAt" IS NOT NULL AS superseded, b.status::text AS status
     FROM "Attestation" a JOIN "Badge" b ON b.id = a."badgeId" WHERE a."statusListId" = $1`,
    [listId],
  );
  const values = new Uint8Array(capacity);
  for (const row of rows) {
    values[row.idx] = row.superseded || row.status === 'REVOKED' ? StatusValue.INVALID : row.status === 'SUSPENDED' ? StatusValue.SUSPENDED : StatusValue.VALID;
  }
  return values;
}

/**
 * The signed Status List Token of a list, rebuilt only when needed.
 * @example const { jwt, revision } = await getStatusListToken(ctx, '1');
 */
export async function getStatusListToken(ctx: RegistryContext, listId: string): Promise<{ jwt: string; revision: number; ttl: number }> {
  const list = await ctx.prisma.statusList.findUnique({ where: { id: listId } });
  if (!list) throw new NotFoundError('StatusList', listId);
  const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
  if (list.jwt && list.jwtRevision === list.revision && !nearExpiry(list.jwt, nowSeconds)) {
    return { jwt: list.jwt, revision: list.revision, ttl: STATUS_LIST_TTL_SECONDS };
  }
  const key = await ctx.keys.current();
  const jwt = await signStatusList(
    { iss: ctx.issuer, sub: statusListUri(ctx.issuer, listId), iat: nowSeconds, exp: nowSeconds + STATUS_LIST_LIFETIME_SECONDS, ttl: STATUS_LIST_TTL_SECONDS, statuses: await statusesOf(ctx, listId, list.capacity) },
    key,
  );
  // Store only if nothing changed meanwhile; otherwise the next reader rebuilds.
  await ctx.prisma.statusList.updateMany({ where: { id: listId, revision: list.revision }, data: { jwt, jwtRevision: list.revision } });
  return { jwt, revision: list.revision, ttl: STATUS_LIST_TTL_SECONDS };
}

function nearExpiry(jwt: string, nowSeconds: number): boolean {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return payload.exp === undefined || payload.exp - nowSeconds < STATUS_LIST_LIFETIME_SECONDS / 2;
  } catch {
    return true;
  }
}
