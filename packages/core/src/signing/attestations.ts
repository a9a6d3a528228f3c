/**
 * Trust attestations (`typ: trust-mark+jwt`): signed when a badge is issued or renewed, when
 * the member's verified accounts change, and when one of them is flagged or its flag lifted,
 * inside the same transaction as that change. A new attestation supersedes the badge's
 * previous one (whose status entry turns INVALID); suspension and revocation of the badge or
 * the member, and pledge lapses, only flip status entries (signing/status-value.ts), so
 * verifiers need no call.
 */
import { signAttestation, type AttestationClaims } from '@trust-alliance/verifier';
import type { Attestation, Prisma } from '../generated/prisma/client.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { allocateStatusIndex, statusListUri, touchStatusListsOfBadge, touchStatusListsOfMember } from './status-lists.ts';

/** URIs an attestation names, all under the issuer. */
export function programUri(issuer: string, program: string): string {
  return `${issuer.replace(/\/+$/, '')}/programs/${program}`;
}
export function badgeImageUri(issuer: string, program: string): string {
  return `${issuer.replace(/\/+$/, '')}/badge/${program}.svg`;
}
/**
 * A member's entity identifier (OpenID Federation): an https URL under the issuer, the `sub` of
 * its trust marks and the `entity_id` of TRQP answers about it.
 * @example memberEntityId('https://tinnhiemso.vn', 'mem_1') // 'https://tinnhiemso.vn/members/mem_1'
 */
export function memberEntityId(issuer: string, memberId: string): string {
  return `${issuer.replace(/\/+$/, '')}/members/${encodeURIComponent(memberId)}`;
}
/** The member id of an entity identifier under `issuer`, or null. */
export function memberIdOfEntity(issuer: string, entityId: string): string | null {
  const prefix = `${issuer.replace(/\/+$/, '')}/members/`;
  if (typeof entityId !== 'string' || !entityId.startsWith(prefix)) return null;
  const rest = entityId.slice(prefix.length);
  if (rest === '' || rest.includes('/') || rest.includes('?') || rest.includes('#')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}
export function verificationPageUri(issuer: string, badgeId: string): string {
  return `${issuer.replace(/\/+$/, '')}/verify/badge/${badgeId}`;
}

/**
 * Signs a fresh attestation for an ACTIVE badge (returns null for any other state, or when
 * the member has no proven, unflagged account or pledge signature left to attest; the
 * previous one is superseded all the same). Accounts with a standing flag are left out.
 */
export async function attestBadge(ctx: RegistryContext, tx: Prisma.TransactionClient, badgeId: string, at: Date): Promise<Attestation | null> {
  const badge = await tx.badge.findUniqueOrThrow({ where: { id: badgeId }, include: { member: { select: { id: true, displayName: true, kind: true } } } });
  if (badge.status !== 'ACTIVE' || badge.expiresAt <= at) return null;
  const proven = await tx.accountAdmin.findMany({ where: { memberId: badge.memberId, ownership: 'VERIFIED' }, include: { account: true }, orderBy: { createdAt: 'asc' } });
  // A flagged account is never attested: the rule table answers FLAGGED for it, whatever the badge.
  const flagged = new Set((await tx.flag.findMany({ where: { accountKey: { in: proven.map((l) => l.account.key) }, liftedAt: null, createdAt: { lte: at } }, select: { accountKey: true } })).map((f) => f.accountKey));
  const links = proven.filter((l) => !flagged.has(l.account.key));
  const signature = await tx.pledgeSignature.findFirst({ where: { memberId: badge.memberId, withdrawnAt: null }, include: { pledgeVersion: true }, orderBy: { signedAt: 'desc' } });
  // Whatever was attested before no longer describes the member: retire it first.
  const superseded = await tx.attestation.updateMany({ where: { badgeId, supersededAt: null }, data: { supersededAt: at } });
  if (superseded.count > 0) await touchStatusListsOfBadge(tx, badgeId);
  if (links.length === 0 || !signature) return null;
  const { listId, idx } = await allocateStatusIndex(tx);
  const key = await ctx.keys.current(tx);
  const id = crypto.randomUUID();
  const iat = Math.floor(at.getTime() / 1000);
  const exp = Math.floor(badge.expiresAt.getTime() / 1000);
  const claims: AttestationClaims = {
    iss: ctx.issuer,
    sub: memberEntityId(ctx.issuer, badge.memberId),
    trust_mark_type: programUri(ctx.issuer, badge.program),
    iat,
    exp,
    jti: id,
    logo_uri: badgeImageUri(ctx.issuer, badge.program),
    ref: verificationPageUri(ctx.issuer, badge.id),
    accounts: links.map(({ account }) => ({
      platform: account.platform, key: account.key, url: account.url, handle: account.handle,
      ...(account.platformId ? { platform_id: account.platformId } : {}),
    })),
    pledge: { version: String(signature.pledgeVersion.version), content_hash: signature.pledgeVersion.contentHash },
    status: { status_list: { idx, uri: statusListUri(ctx.issuer, listId) } },
    member: { id: badge.memberId, display_name: badge.member.displayName, kind: badge.member.kind },
    badge: { id: badge.id, program: badge.program },
  };
  const jws = await signAttestation(claims, key);
  return tx.attestation.create({ data: { id, badgeId, kid: key.kid, jws, issuedAt: at, expiresAt: badge.expiresAt, statusListId: listId, statusIdx: idx } });
}

/** Re-signs every active badge of a member (their attested accounts changed). */
export async function reattestMember(ctx: RegistryContext, tx: Prisma.TransactionClient, memberId: string, at: Date): Promise<void> {
  const badges = await tx.badge.findMany({ where: { memberId, status: 'ACTIVE', expiresAt: { gt: at } }, select: { id: true } });
  for (const badge of badges) await attestBadge(ctx, tx, badge.id, at);
}

/**
 * Re-signs, in the caller's transaction, the badges of every member with proven ownership of
 * the account `accountKey` (it was just flagged, or its flag lifted): each current attestation
 * naming it is superseded, and the new one leaves the account out while a flag stands on it.
 * The lists of those members' other attestations (say of a suspended badge, not re-signed)
 * are marked changed too, since their value reads the flag.
 *
 * @example await reattestAccount(ctx, tx, 'facebook:scam.page', at);
 */
export async function reattestAccount(ctx: RegistryContext, tx: Prisma.TransactionClient, accountKey: string, at: Date): Promise<void> {
  const admins = await tx.accountAdmin.findMany({ where: { account: { key: accountKey }, ownership: 'VERIFIED' }, select: { memberId: true }, orderBy: { createdAt: 'asc' } });
  for (const memberId of new Set(admins.map((a) => a.memberId))) {
    await reattestMember(ctx, tx, memberId, at);
    await touchStatusListsOfMember(tx, memberId);
  }
}

/** Current attestations of many badges with one query, in the order asked. */
export async function currentAttestations(ctx: RegistryContext, badgeIds: readonly string[]): Promise<Array<Attestation | null>> {
  const rows = await ctx.prisma.attestation.findMany({ where: { badgeId: { in: [...badgeIds] }, supersededAt: null } });
  const byBadge = new Map(rows.map((r) => [r.badgeId, r]));
  return badgeIds.map((id) => byBadge.get(id) ?? null);
}

/** The badge's current (not superseded) attestation. */
export function currentAttestation(ctx: RegistryContext, badgeId: string): Promise<Attestation | null> {
  return ctx.prisma.attestation.findFirst({ where: { badgeId, supersededAt: null }, orderBy: { issuedAt: 'desc' } });
}
