/**
 * The query behind `verify` and `verifyMany`: for an array of canonical keys, each key's account,
 * its flags, and for every admin the member's status, pledge signatures, ownership and badges,
 * as JSON; the first row also carries the pledge versions in force (a tiny table every answer
 * needs). One round trip whatever the batch size; every lookup in it goes through an index.
 *
 * Two forms of one template:
 * - as of a moment ($2): the identifier valid then, and the full histories (ownership, member
 *   status and badge events) for the evaluation to replay up to that moment;
 * - now: the account by its current key (`Account.key`, kept equal to the active identifier
 *   by the same transactions), and each history reduced to the current state columns (kept in
 *   step with the events likewise), which saves four index lookups per key on the hot path.
 *   The evaluation code is the same for both.
 */
const EPOCH = `'1970-01-01T00:00:00'`;
/** The public reason of a badge's current state (answers name it only when the badge is not ACTIVE, so the hot path skips it then). */
const LATEST_CATEGORY = `CASE WHEN b.status <> 'ACTIVE' THEN (SELECT be."reasonCategory" FROM "BadgeEvent" be WHERE be."badgeId" = b.id ORDER BY be.at DESC, be.id DESC LIMIT 1) END`;

function lookupSql(asOf: boolean): string {
  const history = (expr: string, events: string) => (asOf ? events : `json_build_array(${expr})`);
  return `
SELECT i.ord::int AS ord,
       a.id AS "accountId", a.platform::text AS platform, ${asOf ? 'cur.key, cur.url' : 'a.key, a.url'},
       COALESCE((SELECT json_agg(json_build_object('category', f.category, 'createdAt', f."createdAt", 'liftedAt', f."liftedAt"))
                 FROM "Flag" f WHERE f."accountKey" = i.key${asOf ? '' : ' AND f."liftedAt" IS NULL'}), '[]'::json) AS flags,
       COALESCE((SELECT json_agg(json_build_object(
                   'memberId', m.id, 'displayName', m."displayName", 'kind', m.kind, 'province', m.province,
                   'ownership', ${history(`json_build_object('status', aa.ownership, 'at', ${EPOCH})`, `(SELECT json_agg(json_build_object('status', oe.ownership, 'at', oe.at) ORDER BY oe.at, oe.id)
                                 FROM "OwnershipEvent" oe WHERE oe."accountAdminId" = aa.id)`)},
                   'memberEvents', ${history(`json_build_object('status', m.status, 'at', ${EPOCH})`, `(SELECT json_agg(json_build_object('status', me.status, 'at', me.at) ORDER BY me.at, me.id)
                                    FROM "MemberStatusEvent" me WHERE me."memberId" = m.id)`)},
                   'signatures', (SELECT json_agg(json_build_object('version', pv.version, 'signedAt', ps."signedAt", 'withdrawnAt', ps."withdrawnAt"))
                                  FROM "PledgeSignature" ps JOIN "PledgeVersion" pv ON pv.id = ps."pledgeVersionId" WHERE ps."memberId" = m.id),
                   'badges', (SELECT json_agg(json_build_object('id', b.id, 'program', b.program, 'issuedAt', b."issuedAt",
                                'events', ${history(`json_build_object('status', b.status, 'expiresAt', b."expiresAt", 'at', ${EPOCH}, 'category', ${LATEST_CATEGORY})`, `(SELECT json_agg(json_build_object('status', be.status, 'expiresAt', be."expiresAt", 'at', be.at, 'category', be."reasonCategory") ORDER BY be.at, be.id)
                                           FROM "BadgeEvent" be WHERE be."badgeId" = b.id)`)}) ORDER BY b."issuedAt")
                              FROM "Badge" b WHERE b."memberId" = m.id)
                 ) ORDER BY aa."createdAt")
                 FROM "AccountAdmin" aa JOIN "Member" m ON m.id = aa."memberId" WHERE aa."accountId" = a.id), '[]'::json) AS admins,
       CASE WHEN i.ord = 1 THEN (SELECT COALESCE(json_agg(json_build_object('version', pv.version, 'effectiveAt', pv."effectiveAt", 'graceEndsAt', pv."graceEndsAt")), '[]'::json)
                                 FROM "PledgeVersion" pv WHERE pv.status <> 'DRAFT') END AS "pledgeVersions"
FROM unnest($1::text[]) WITH ORDINALITY AS i(key, ord)
${asOf ? `LEFT JOIN LATERAL (
  SELECT ai."accountId", ai.key, ai.url FROM "AccountIdentifier" ai
  WHERE ai.key = i.key AND ai."validFrom" <= $2::timestamp AND (ai."validTo" IS NULL OR ai."validTo" > $2::timestamp)
  ORDER BY ai."validFrom" DESC LIMIT 1
) cur ON true
LEFT JOIN "Account" a ON a.id = cur."accountId"` : `LEFT JOIN "Account" a ON a.key = i.key`}
ORDER BY i.ord`;
}

/** The lookup as of a moment: `$1` keys, `$2` the moment (UTC, no zone). */
export const LOOKUP_AS_OF_SQL = lookupSql(true);
/** The lookup of the current state: `$1` keys. */
export const LOOKUP_NOW_SQL = lookupSql(false);

/** Pledge versions in force at any time, alone: when every key was answered from the cache but they were not. */
export const PLEDGE_VERSIONS_SQL = `SELECT version, to_char("effectiveAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "effectiveAt", to_char("graceEndsAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "graceEndsAt" FROM "PledgeVersion" WHERE status <> 'DRAFT'`;

type Stamp = string;
export interface LookupRow extends Record<string, unknown> {
  ord: number;
  accountId: string | null;
  platform: string | null;
  key: string | null;
  url: string | null;
  flags: Array<{ category: string; createdAt: Stamp; liftedAt: Stamp | null }>;
  admins: Array<{
    memberId: string;
    displayName: string;
    kind: string;
    province: string | null;
    ownership: Array<{ status: string; at: Stamp }> | null;
    memberEvents: Array<{ status: string; at: Stamp }> | null;
    signatures: Array<{ version: number; signedAt: Stamp; withdrawnAt: Stamp | null }> | null;
    badges: Array<{ id: string; program: string; issuedAt: Stamp; events: Array<{ status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED'; expiresAt: Stamp; at: Stamp; category: string | null }> | null }> | null;
  }>;
  /** On the first row only. */
  pledgeVersions: Array<{ version: number; effectiveAt: Stamp | null; graceEndsAt: Stamp | null }> | null;
}

/** A moment as the columns hold it: UTC without a zone (as Prisma writes them). */
export function sqlStamp(date: Date): string {
  return date.toISOString().replace('Z', '');
}

/** Timestamps in JSON come without a zone; the columns hold UTC (as Prisma writes them). */
export function parseStamp(stamp: Stamp): Date {
  return new Date(stamp.endsWith('Z') ? stamp : `${stamp}Z`);
}
