/**
 * Status lists (IETF OAuth Token Status List, 2 bits per entry): every attestation gets its
 * own index, handed out by an atomic increment so two never share one; the served token is
 * rebuilt only when an entry changed (the list's `revision` moved) or it nears expiry.
 * Entry values follow `attestationStatusValue` (status-value.ts): the per-badge decision of the
 * rule table (badge, member status, pledge standing, flags on the accounts it names), as
 * `verify` weighs them. Every write that can change one of these
 * bumps the revision of the lists concerned in its own transaction.
 */
import { signStatusList } from '@trust-alliance/verifier';
import type { BadgeStatus, MemberStatus, Prisma } from '../generated/prisma/client.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { pledgeStanding, type PledgeStanding } from '../rules/standing.ts';
import { PLEDGE_VERSIONS_SQL, parseStamp } from '../verification/lookup-sql.ts';
import { toPledgeVersionFacts, toSignatureFacts } from '../verification/account-facts.ts';
import { attestationStatusValue } from './status-value.ts';

/** Entries per list (2 bits each: 25 KB uncompressed). */
export const STATUS_LIST_CAPACITY = 100_000;
/** Seconds a verifier may cache a list, by default (`openRegistry({ statusListTtlSeconds })` changes it). */
export const STATUS_LIST_TTL_SECONDS = 300;
/** The shortest ttl a registry accepts. */
export const STATUS_LIST_TTL_MIN_SECONDS = 10;
/** The longest ttl a registry accepts (one day). */
export const STATUS_LIST_TTL_MAX_SECONDS = 86_400;
/** Lifetime of a served list token. */
export const STATUS_LIST_LIFETIME_SECONDS = 24 * 3600;
/**
 * Age after which a stored token is signed again even if no entry changed. Verifiers refuse a
 * list whose `iat + ttl` plus their grace (300 s in @trust-alliance/verifier) has passed, so
 * that an old list replayed to them cannot revive a suspended badge; a fresh `iat` every minute
 * keeps an honest list well inside that, HTTP caches included.
 */
export const STATUS_LIST_RESIGN_AFTER_SECONDS = 60;

/**
 * Checks a status-list ttl: a whole number of seconds from {@link STATUS_LIST_TTL_MIN_SECONDS}
 * to {@link STATUS_LIST_TTL_MAX_SECONDS}; `undefined` gives {@link STATUS_LIST_TTL_SECONDS}.
 * @throws ValidationError (field `statusListTtlSeconds`) otherwise.
 * @example checkStatusListTtl(600) // 600
 */
export function checkStatusListTtl(value: unknown): number {
  if (value === undefined) return STATUS_LIST_TTL_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < STATUS_LIST_TTL_MIN_SECONDS || value > STATUS_LIST_TTL_MAX_SECONDS) {
    throw new ValidationError(
      `statusListTtlSeconds must be a whole number of seconds from ${STATUS_LIST_TTL_MIN_SECONDS} to ${STATUS_LIST_TTL_MAX_SECONDS}, got ${typeof value === 'number' ? value : typeof value}`,
      'statusListTtlSeconds',
    );
  }
  return value;
}

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

/**
 * Moves the revision of the lists `listIdsSql` selects (its parameters follow). The rows are
 * locked in id order first, so two writes that touch the same lists queue instead of
 * deadlocking.
 */
async function bumpRevisions(tx: Prisma.TransactionClient, listIdsSql: string, ...params: unknown[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `WITH locked AS (SELECT id FROM "StatusList" WHERE id IN (${listIdsSql}) ORDER BY id FOR UPDATE)
     UPDATE "StatusList" s SET revision = s.revision + 1, "updatedAt" = now() FROM locked WHERE s.id = locked.id`,
    ...params,
  );
}

/** Marks the lists holding a badge's attestations as changed. */
export async function touchStatusListsOfBadge(tx: Prisma.TransactionClient, badgeId: string): Promise<void> {
  await bumpRevisions(tx, `SELECT "statusListId" FROM "Attestation" WHERE "badgeId" = $1`, badgeId);
}

/**
 * Marks the lists holding a member's current attestations as changed (their status, or their
 * pledge standing, changed). Superseded attestations are INVALID whatever the member does.
 */
export async function touchStatusListsOfMember(tx: Prisma.TransactionClient, memberId: string): Promise<void> {
  await bumpRevisions(
    tx,
    `SELECT a."statusListId" FROM "Attestation" a JOIN "Badge" b ON b.id = a."badgeId" WHERE b."memberId" = $1 AND a."supersededAt" IS NULL`,
    memberId,
  );
}

/** Marks every list as changed: a new pledge version can change the standing of any member. */
export async function touchAllStatusLists(tx: Prisma.TransactionClient): Promise<void> {
  await bumpRevisions(tx, `SELECT id FROM "StatusList"`);
}

type EntryRow = {
  idx: number;
  superseded: boolean;
  badgeStatus: BadgeStatus;
  badgeExpiresAt: string;
  memberId: string;
  memberStatus: MemberStatus;
  /** Only for current attestations: a superseded one is INVALID whatever they say. */
  signatures: Array<{ version: number; signedAt: string; withdrawnAt: string | null }> | null;
  /** Keys of the member's accounts with a standing flag (current attestations only; null: none). */
  flaggedKeys: string[] | null;
  /** The attestation itself, only when some of the member's accounts are flagged. */
  jws: string | null;
};

/** The account keys an attestation names (read from its payload; it was signed by us). */
function attestedKeys(jws: string): string[] {
  const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { accounts?: Array<{ key: string }> };
  return (payload.accounts ?? []).map((a) => a.key);
}

/** The current values of every entry of a list: two queries, whatever its size. */
async function statusesOf(ctx: RegistryContext, listId: string, capacity: number, at: Date): Promise<Uint8Array> {
  const [rows, versionRows] = await Promise.all([
    ctx.db.sql.query<EntryRow>(
      `SELECT a."statusIdx" AS idx, a."supersededAt" IS NOT NULL AS superseded, b.status::text AS "badgeStatus",
              to_char(b."expiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "badgeExpiresAt", m.id AS "memberId", m.status::text AS "memberStatus",
              CASE WHEN a."supersededAt" IS NULL THEN
                (SELECT json_agg(json_build_object('version', pv.version, 'signedAt', ps."signedAt", 'withdrawnAt', ps."withdrawnAt"))
                 FROM "PledgeSignature" ps JOIN "PledgeVersion" pv ON pv.id = ps."pledgeVersionId" WHERE ps."memberId" = m.id) END AS signatures,
              fl.keys AS "flaggedKeys", CASE WHEN fl.keys IS NOT NULL THEN a.jws END AS jws
       FROM "Attestation" a JOIN "Badge" b ON b.id = a."badgeId" JOIN "Member" m ON m.id = b."memberId"
       LEFT JOIN LATERAL (
         SELECT json_agg(DISTINCT f."accountKey") AS keys FROM "AccountAdmin" aa JOIN "Account" ac ON ac.id = aa."accountId"
         JOIN "Flag" f ON f."accountKey" = ac.key AND f."liftedAt" IS NULL WHERE aa."memberId" = m.id
       ) fl ON a."supersededAt" IS NULL
       WHERE a."statusListId" = $1`,
      [listId],
    ),
    ctx.db.sql.query<{ version: number; effectiveAt: string | null; graceEndsAt: string | null }>(PLEDGE_VERSIONS_SQL),
  ]);
  const versions = toPledgeVersionFacts(versionRows);
  const pledges = new Map<string, PledgeStanding>();
  const standing = (row: EntryRow): PledgeStanding => {
    let pledge = pledges.get(row.memberId);
    if (pledge === undefined) {
      pledge = pledgeStanding(versions, toSignatureFacts(row.signatures), at);
      pledges.set(row.memberId, pledge);
    }
    return pledge;
  };
  const values = new Uint8Array(capacity);
  for (const row of rows) {
    const flagged = row.flaggedKeys !== null && row.jws !== null && attestedKeys(row.jws).some((key) => row.flaggedKeys!.includes(key));
    values[row.idx] = attestationStatusValue({
      superseded: row.superseded,
      badgeStatus: row.badgeStatus,
      badgeExpiresAt: parseStamp(row.badgeExpiresAt),
      memberStatus: row.memberStatus,
      pledge: row.superseded ? 'LAPSED' : standing(row),
      flagged,
    }, at);
  }
  return values;
}

/**
 * The signed Status List Token of a list, rebuilt only when needed. Its `ttl` (and the returned
 * `ttl`, which the API serves as `Cache-Control: max-age`) is the registry's `statusListTtlSeconds`.
 * @example const { jwt, revision, ttl } = await getStatusListToken(ctx, '1');
 */
export async function getStatusListToken(ctx: RegistryContext, listId: string): Promise<{ jwt: string; revision: number; ttl: number }> {
  const list = await ctx.prisma.statusList.findUnique({ where: { id: listId } });
  if (!list) throw new NotFoundError('StatusList', listId);
  const ttl = ctx.statusListTtlSeconds;
  const now = ctx.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // A stored token signed with another ttl (the option changed since) is signed again.
  if (list.jwt && list.jwtRevision === list.revision && reusable(list.jwt, nowSeconds, ttl)) {
    return { jwt: list.jwt, revision: list.revision, ttl };
  }
  ctx.counters.statusListRebuilds++;
  const key = await ctx.keys.current();
  const jwt = await signStatusList(
    { iss: ctx.issuer, sub: statusListUri(ctx.issuer, listId), iat: nowSeconds, exp: nowSeconds + STATUS_LIST_LIFETIME_SECONDS, ttl, statuses: await statusesOf(ctx, listId, list.capacity, now) },
    key,
  );
  // Store only if nothing changed meanwhile; otherwise the next reader rebuilds.
  await ctx.prisma.statusList.updateMany({ where: { id: listId, revision: list.revision }, data: { jwt, jwtRevision: list.revision } });
  return { jwt, revision: list.revision, ttl };
}

/** A stored token can be served again: recent, far enough from expiry, and with the ttl now configured. */
function reusable(jwt: string, nowSeconds: number, ttl: number): boolean {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: number; exp?: number; ttl?: number };
    return (
      payload.iat !== undefined &&
      nowSeconds - payload.iat < STATUS_LIST_RESIGN_AFTER_SECONDS &&
      payload.exp !== undefined &&
      payload.exp - nowSeconds >= STATUS_LIST_LIFETIME_SECONDS / 2 &&
      payload.ttl === ttl
    );
  } catch {
    return false;
  }
}
