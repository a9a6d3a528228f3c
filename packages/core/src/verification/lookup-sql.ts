/**
 * The one query behind `verify` and `verifyMany`: for an array of canonical keys and a moment,
 * it returns each key's account (its key and URL as they were at that moment), its flags, and for every admin
 * the member's status history, pledge signatures, ownership history and badge histories, as
 * JSON. One round trip whatever the batch size; every lookup in it goes through an index.
 */
export const LOOKUP_SQL = `
SELECT i.ord::int AS ord,
       a.id AS "accountId", a.platform::text AS platform, cur.key, cur.url,
       COALESCE((SELECT json_agg(json_build_object('category', f.category, 'createdAt', f."createdAt", 'liftedAt', f."liftedAt"))
                 FROM "Flag" f WHERE f."accountKey" = i.key), '[]'::json) AS flags,
       COALESCE((SELECT json_agg(json_build_object(
                   'memberId', m.id, 'displayName', m."displayName", 'kind', m.kind, 'province', m.province,
                   'ownership', (SELECT json_agg(json_build_object('status', oe.ownership, 'at', oe.at) ORDER BY oe.at, oe.id)
                                 FROM "OwnershipEvent" oe WHERE oe."accountAdminId" = aa.id),
                   'memberEvents', (SELECT json_agg(json_build_object('status', me.status, 'at', me.at) ORDER BY me.at, me.id)
                                    FROM "MemberStatusEvent" me WHERE me."memberId" = m.id),
                   'signatures', (SELECT json_agg(json_build_object('version', pv.version, 'signedAt', ps."signedAt", 'withdrawnAt', ps."withdrawnAt"))
                                  FROM "PledgeSignature" ps JOIN "PledgeVersion" pv ON pv.id = ps."pledgeVersionId" WHERE ps."memberId" = m.id),
                   'badges', (SELECT json_agg(json_build_object('id', b.id, 'program', b.program, 'issuedAt', b."issuedAt",
                                'events', (SELECT json_agg(json_build_object('status', be.status, 'expiresAt', be."expiresAt", 'at', be.at) ORDER BY be.at, be.id)
                                           FROM "BadgeEvent" be WHERE be."badgeId" = b.id)) ORDER BY b."issuedAt")
                              FROM "Badge" b WHERE b."memberId" = m.id)
                 ) ORDER BY aa."createdAt")
                 FROM "AccountAdmin" aa JOIN "Member" m ON m.id = aa."memberId" WHERE aa."accountId" = a.id), '[]'::json) AS admins
FROM unnest($1::text[]) WITH ORDINALITY AS i(key, ord)
LEFT JOIN LATERAL (
  SELECT ai."accountId", ai.key, ai.url FROM "AccountIdentifier" ai
  WHERE ai.key = i.key AND ai."validFrom" <= $2::timestamp AND (ai."validTo" IS NULL OR ai."validTo" > $2::timestamp)
  ORDER BY ai."validFrom" DESC LIMIT 1
) cur ON true
LEFT JOIN "Account" a ON a.id = cur."accountId"
ORDER BY i.ord`;

/** Pledge versions in force at any time (a small table), the second and last query of a lookup. */
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
    badges: Array<{ id: string; program: string; issuedAt: Stamp; events: Array<{ status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED'; expiresAt: Stamp; at: Stamp }> | null }> | null;
  }>;
}

/** Timestamps in JSON come without a zone; the columns hold UTC (as Prisma writes them). */
export function parseStamp(stamp: Stamp): Date {
  return new Date(stamp.endsWith('Z') ? stamp : `${stamp}Z`);
}
