/**
 * OpenID Federation 1.0 (draft 45) for the registry's trust marks, which are its attestations
 * (`typ: trust-mark+jwt`, `sub` = the member's entity identifier `<issuer>/members/<id>`):
 *
 * - the registry's Entity Configuration (§3, `typ: entity-statement+jwt`), naming its federation
 *   endpoints and the trust mark types it issues;
 * - Trust Mark Status (§8.4): the status of a presented mark, signed
 *   (`typ: trust-mark-status-response+jwt`);
 * - Trust Marked Entities Listing (§8.5) and Trust Mark (§8.6).
 *
 * Nothing here decides anything: a mark's status is the value of its status-list entry as the
 * served Status List Token holds it, which is `decideBadge` of rules/decision.ts mapped by
 * `listValueOf` (status-value.ts), the same decision `verify` answers with. Expiry and
 * supersession are read from the mark and its record.
 */
import {
  StatusValue,
  decodeStatusList,
  readStatus,
  signEntityConfiguration,
  signTrustMarkStatus,
  verifyAttestation,
  type TrustMarkStatusValue,
} from '@trust-alliance/verifier';
import type { BadgeProgram } from '../generated/prisma/enums.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { PROGRAMS } from '../rules/decision.ts';
import { memberEntityId, memberIdOfEntity, programUri } from './attestations.ts';
import { getStatusListToken } from './status-lists.ts';

/** Seconds an Entity Configuration is valid. */
export const ENTITY_CONFIGURATION_LIFETIME_SECONDS = 24 * 3600;

/** Where the federation endpoints are, under the issuer (the API serves them there). */
export const FEDERATION_PATHS = {
  entityConfiguration: '/.well-known/openid-federation',
  trustMarkStatus: '/federation/trust-mark-status',
  trustMarkList: '/federation/trust-mark-list',
  trustMark: '/federation/trust-mark',
} as const;

const base = (issuer: string) => issuer.replace(/\/+$/, '');

/** The program a trust mark type names, or null when it is not one of ours. */
export function programOfTrustMarkType(issuer: string, trustMarkType: string): BadgeProgram | null {
  const prefix = programUri(issuer, '');
  if (typeof trustMarkType !== 'string' || !trustMarkType.startsWith(prefix)) return null;
  const program = trustMarkType.slice(prefix.length);
  return PROGRAMS.includes(program) ? (program as BadgeProgram) : null;
}

/** The decoded entries of a list, as its served token holds them (one decode per list per call). */
function listReader(ctx: RegistryContext): (listId: string) => Promise<Uint8Array> {
  const lists = new Map<string, Promise<Uint8Array>>();
  return (listId) => {
    let entries = lists.get(listId);
    if (entries === undefined) {
      entries = getStatusListToken(ctx, listId).then(({ jwt }) => {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { status_list: { bits: 1 | 2 | 4 | 8; lst: string } };
        return decodeStatusList(payload.status_list.lst, payload.status_list.bits);
      });
      lists.set(listId, entries);
    }
    return entries;
  };
}

/**
 * The status of a trust mark presented to us: `invalid` unless it is a mark we signed and still
 * hold; `expired` once its `exp` (the badge's expiry) has passed; otherwise its status-list
 * entry: VALID → `active`, SUSPENDED → `suspended` (our extension), INVALID → `revoked` (or
 * `invalid` when a newer mark of the badge replaced it).
 * @example await trustMarkStatus(ctx, jws) // 'active'
 */
export async function trustMarkStatus(ctx: RegistryContext, trustMark: string): Promise<TrustMarkStatusValue> {
  const now = ctx.now();
  const checked = await verifyAttestation(trustMark, { issuer: ctx.issuer, jwks: await ctx.keys.publicJwks(), keyHistoryUrl: false, now, clockTolerance: 0, statusList: 'skip' });
  if (!checked.valid) return checked.errors[0]?.code === 'EXPIRED' ? 'expired' : 'invalid';
  const record = await ctx.prisma.attestation.findUnique({ where: { id: checked.claims.jti } });
  if (!record || record.jws !== trustMark.trim()) return 'invalid';
  if (record.supersededAt !== null) return 'invalid';
  const value = readStatus(await listReader(ctx)(record.statusListId), record.statusIdx);
  if (value === StatusValue.VALID) return 'active';
  if (value === StatusValue.SUSPENDED) return 'suspended';
  if (value === StatusValue.INVALID) return record.expiresAt <= now ? 'expired' : 'revoked';
  return 'invalid';
}

/** The signed Trust Mark Status Response (§8.4.2) for `trustMark`. */
export async function trustMarkStatusResponse(ctx: RegistryContext, trustMark: string): Promise<{ jwt: string; status: TrustMarkStatusValue }> {
  const status = await trustMarkStatus(ctx, trustMark);
  const jwt = await signTrustMarkStatus({ iss: base(ctx.issuer), iat: Math.floor(ctx.now().getTime() / 1000), trust_mark: trustMark.trim(), status }, await ctx.keys.current());
  return { jwt, status };
}

/** The current (not superseded, unexpired) marks of a program, optionally of one member, with their entry's value. */
async function currentMarks(ctx: RegistryContext, program: BadgeProgram, memberId?: string) {
  const now = ctx.now();
  const rows = await ctx.prisma.attestation.findMany({
    where: { supersededAt: null, expiresAt: { gt: now }, badge: { program, ...(memberId === undefined ? {} : { memberId }) } },
    select: { jws: true, statusListId: true, statusIdx: true, issuedAt: true, badge: { select: { memberId: true } } },
    orderBy: { issuedAt: 'desc' },
  });
  const read = listReader(ctx);
  return Promise.all(rows.map(async (row) => ({ ...row, value: readStatus(await read(row.statusListId), row.statusIdx) })));
}

/**
 * Trust Marked Entities Listing (§8.5): the entity identifiers holding an active mark of the
 * type (of `sub` alone when given). Null when the type is not one we issue.
 * @example await trustMarkedEntities(ctx, programUri(issuer, 'KOL_TRUST')) // ['https://…/members/…']
 */
export async function trustMarkedEntities(ctx: RegistryContext, trustMarkType: string, sub?: string): Promise<string[] | null> {
  const program = programOfTrustMarkType(ctx.issuer, trustMarkType);
  if (program === null) return null;
  let memberId: string | undefined;
  if (sub !== undefined) {
    const id = memberIdOfEntity(ctx.issuer, sub);
    if (id === null) return [];
    memberId = id;
  }
  const marks = await currentMarks(ctx, program, memberId);
  return [...new Set(marks.filter((m) => m.value === StatusValue.VALID).map((m) => memberEntityId(ctx.issuer, m.badge.memberId)))];
}

/**
 * Trust Mark (§8.6): the newest active mark of the type for `sub`; null when there is none.
 * @example await currentTrustMark(ctx, programUri(issuer, 'KOL_TRUST'), memberEntityId(issuer, id))
 */
export async function currentTrustMark(ctx: RegistryContext, trustMarkType: string, sub: string): Promise<string | null> {
  const program = programOfTrustMarkType(ctx.issuer, trustMarkType);
  const memberId = memberIdOfEntity(ctx.issuer, sub);
  if (program === null || memberId === null) return null;
  const marks = await currentMarks(ctx, program, memberId);
  return marks.find((m) => m.value === StatusValue.VALID)?.jws ?? null;
}

/**
 * The registry's Entity Configuration (§3): its federation keys (the published signing keys,
 * which sign its trust marks), its federation endpoints and the trust mark types it issues.
 */
export async function entityConfiguration(ctx: RegistryContext, organizationName: string): Promise<string> {
  const root = base(ctx.issuer);
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const types = PROGRAMS.map((p) => programUri(root, p));
  return signEntityConfiguration(
    {
      iss: root,
      sub: root,
      iat,
      exp: iat + ENTITY_CONFIGURATION_LIFETIME_SECONDS,
      jwks: await ctx.keys.publicJwks(),
      metadata: {
        federation_entity: {
          organization_name: organizationName,
          homepage_uri: root,
          federation_trust_mark_status_endpoint: `${root}${FEDERATION_PATHS.trustMarkStatus}`,
          federation_trust_mark_list_endpoint: `${root}${FEDERATION_PATHS.trustMarkList}`,
          federation_trust_mark_endpoint: `${root}${FEDERATION_PATHS.trustMark}`,
        },
      },
      trust_mark_issuers: Object.fromEntries(types.map((t) => [t, [root]])),
    },
    await ctx.keys.current(),
  );
}
