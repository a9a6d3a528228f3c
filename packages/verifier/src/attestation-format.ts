/**
 * The trust attestation format (docs/ARCHITECTURE.md, "Signed formats"): a JWT with `typ: trust-mark+jwt`, in the spirit of
 * OpenID Federation trust marks, that says "member `sub` holds the badge `trust_mark_type` for
 * these accounts, under this pledge, until `exp`", and points at its entry in a status list.
 *
 * Core signs with {@link signAttestation}; platforms check with `verifyAttestation`.
 *
 * @module
 */
import { ATTESTATION_TYP, signTyped } from './formats.ts';
import type { SigningKey } from './formats.ts';
import { arr, checkShape, numericDate, obj, optStr, str, uint } from './shape.ts';

/**
 * One account the attestation covers.
 *
 * @example
 * ```ts
 * const account: AttestedAccount = {
 *   platform: 'FACEBOOK',
 *   key: 'facebook:id:100064',
 *   url: 'https://www.facebook.com/congan.example',
 *   handle: 'congan.example',
 *   platform_id: '100064',
 * };
 * ```
 */
export interface AttestedAccount {
  /** The platform, e.g. `FACEBOOK`, `ZALO`, `TIKTOK`, `YOUTUBE`. */
  platform: string;
  /** The account's canonical identity key in the registry (what every way of writing it maps to). */
  key: string;
  /** The account's canonical URL. */
  url: string;
  /** The handle at the time of signing (an alias: it can change). */
  handle?: string;
  /** The platform's stable id, where known. */
  platform_id?: string;
}

/**
 * The claims of a trust attestation.
 *
 * @example
 * ```ts
 * const claims: AttestationClaims = {
 *   iss: 'https://registry.example.vn',
 *   sub: 'https://registry.example.vn/members/mem_01HZX',
 *   trust_mark_type: 'https://registry.example.vn/programs/KOL_TRUST',
 *   iat: 1735689600,
 *   exp: 1767225600,
 *   jti: 'att_01HZY',
 *   logo_uri: 'https://registry.example.vn/badge/KOL_TRUST.svg',
 *   ref: 'https://registry.example.vn/v/mem_01HZX',
 *   accounts: [{ platform: 'TIKTOK', key: 'tiktok:@chi.pham', url: 'https://www.tiktok.com/@chi.pham' }],
 *   pledge: { version: '2025.1', content_hash: 'sha256:…' },
 *   status: { status_list: { idx: 42, uri: 'https://registry.example.vn/status/1' } },
 * };
 * ```
 */
export interface AttestationClaims {
  /** The alliance's issuer URL. */
  iss: string;
  /**
   * The member's entity identifier, `<issuer>/members/<member id>` (OpenID Federation: a trust
   * mark's `sub` is an entity identifier, an https URL). Attestations signed before issue 14
   * carry the bare member id here; `member.id` has the id in both.
   */
  sub: string;
  /** The badge program URI, e.g. `https://…/programs/KOL_TRUST`. */
  trust_mark_type: string;
  /** Issued at (NumericDate, seconds). */
  iat: number;
  /** Expires at (NumericDate, seconds): 12 months after issuance by default. */
  exp: number;
  /** Unique id of this attestation. */
  jti: string;
  /** The badge image. */
  logo_uri: string;
  /** The public verification page of this badge. */
  ref: string;
  /** The accounts the badge covers. */
  accounts: AttestedAccount[];
  /** The pledge version the member signed, and the hash of its content. */
  pledge: { version: string; content_hash: string };
  /** Where the live status is (draft-ietf-oauth-status-list "Referenced Token" claim). */
  status: { status_list: { idx: number; uri: string } };
  /** The member's public profile (and id, from issue 14 on). */
  member?: { id?: string; display_name: string; kind: string };
  /** The badge record. */
  badge?: { id: string; program: string };
}

function checkAttestationClaims(value: unknown): AttestationClaims {
  const c = obj(value, 'claims');
  str(c['iss'], 'iss');
  str(c['sub'], 'sub');
  str(c['trust_mark_type'], 'trust_mark_type');
  numericDate(c['iat'], 'iat');
  numericDate(c['exp'], 'exp');
  str(c['jti'], 'jti');
  str(c['logo_uri'], 'logo_uri');
  str(c['ref'], 'ref');
  arr(c['accounts'], 'accounts', (item, path) => {
    const a = obj(item, path);
    str(a['platform'], `${path}.platform`);
    str(a['key'], `${path}.key`);
    str(a['url'], `${path}.url`);
    optStr(a['handle'], `${path}.handle`);
    optStr(a['platform_id'], `${path}.platform_id`);
  });
  const pledge = obj(c['pledge'], 'pledge');
  str(pledge['version'], 'pledge.version');
  str(pledge['content_hash'], 'pledge.content_hash');
  const ref = obj(obj(c['status'], 'status')['status_list'], 'status.status_list');
  uint(ref['idx'], 'status.status_list.idx');
  str(ref['uri'], 'status.status_list.uri');
  if (c['member'] !== undefined) {
    const m = obj(c['member'], 'member');
    str(m['display_name'], 'member.display_name');
    str(m['kind'], 'member.kind');
    optStr(m['id'], 'member.id');
  }
  if (c['badge'] !== undefined) {
    const b = obj(c['badge'], 'badge');
    str(b['id'], 'badge.id');
    str(b['program'], 'badge.program');
  }
  return value as AttestationClaims;
}

/**
 * Checks that a verified payload has the attestation shape; throws a `MALFORMED`
 * `VerifierError` naming the first bad claim. Used by `verifyAttestation`; exported for callers
 * that obtain the payload another way.
 *
 * @example
 * ```ts
 * const claims = parseAttestationClaims(payload); // AttestationClaims, or throws MALFORMED
 * ```
 */
export function parseAttestationClaims(payload: unknown): AttestationClaims {
  return checkShape('verify', 'attestation', () => checkAttestationClaims(payload));
}

/**
 * Signs an attestation: `{ alg, kid, typ: 'trust-mark+jwt' }` header over `claims`. Throws
 * `TypeError` when the claims lack a required field or the key's algorithm is not allowed.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateKeyPair('Ed25519');
 * const jws = await signAttestation(claims, { privateKey, kid: 'k1', alg: 'EdDSA' });
 * ```
 */
export async function signAttestation(claims: AttestationClaims, key: SigningKey): Promise<string> {
  checkShape('sign', 'attestation', () => checkAttestationClaims(claims));
  return signTyped(ATTESTATION_TYP, claims, key);
}
