/**
 * The OpenID Federation 1.0 statements the registry signs besides its trust marks (OpenID
 * Federation 1.0, draft 45): its Entity Configuration (`typ: entity-statement+jwt`, §3) and the
 * Trust Mark Status Response (`typ: trust-mark-status-response+jwt`, §8.4.2). The trust marks
 * themselves are the attestations (`attestation-format.ts`, `typ: trust-mark+jwt`).
 *
 * @module
 */
import type { JWK } from 'jose';
import { VerifierError, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import { signTyped } from './formats.ts';
import type { SigningKey } from './formats.ts';
import { assertVerifyOptions, verifyTypedJwt } from './jwt.ts';
import { resolveKeySet } from './keys.ts';
import type { KeySourceOptions } from './keys.ts';
import { ShapeError, checkShape, numericDate, obj, oneOf, str } from './shape.ts';

/**
 * `typ` of an Entity Statement, and so of an Entity Configuration.
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jwt).typ === ENTITY_STATEMENT_TYP; // 'entity-statement+jwt'
 * ```
 */
export const ENTITY_STATEMENT_TYP = 'entity-statement+jwt';

/**
 * `typ` of a Trust Mark Status Response.
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jwt).typ === TRUST_MARK_STATUS_TYP; // 'trust-mark-status-response+jwt'
 * ```
 */
export const TRUST_MARK_STATUS_TYP = 'trust-mark-status-response+jwt';

/**
 * The status a Trust Mark Status Response gives: the draft's four values, plus `suspended`
 * (our extension: the mark is withheld for now and may become active again without a new mark).
 *
 * @example
 * ```ts
 * const s: TrustMarkStatusValue = 'active';
 * ```
 */
export type TrustMarkStatusValue = 'active' | 'expired' | 'revoked' | 'invalid' | 'suspended';

/**
 * Every {@link TrustMarkStatusValue}.
 *
 * @example
 * ```ts
 * TRUST_MARK_STATUS_VALUES.includes('suspended'); // true
 * ```
 */
export const TRUST_MARK_STATUS_VALUES: readonly TrustMarkStatusValue[] = ['active', 'expired', 'revoked', 'invalid', 'suspended'];

/**
 * The claims of an Entity Configuration (the registry's own, `iss` = `sub` = its entity identifier).
 *
 * @example
 * ```ts
 * const ec: EntityConfigurationClaims = { iss, sub: iss, iat, exp, jwks: { keys }, metadata: { federation_entity: { … } } };
 * ```
 */
export interface EntityConfigurationClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jwks: { keys: JWK[] };
  metadata: { federation_entity: Record<string, unknown> } & Record<string, unknown>;
  /** Trust mark type → the issuers the federation accepts for it (here: the registry alone). */
  trust_mark_issuers?: Record<string, string[]>;
  [claim: string]: unknown;
}

/**
 * The claims of a Trust Mark Status Response.
 *
 * @example
 * ```ts
 * const r: TrustMarkStatusClaims = { iss, iat, trust_mark: jws, status: 'active' };
 * ```
 */
export interface TrustMarkStatusClaims {
  iss: string;
  iat: number;
  /** The trust mark asked about, as received. */
  trust_mark: string;
  status: TrustMarkStatusValue;
}

function checkEntityConfiguration(value: unknown): EntityConfigurationClaims {
  const c = obj(value, 'claims');
  const iss = str(c['iss'], 'iss');
  if (str(c['sub'], 'sub') !== iss) throw new ShapeError('an Entity Configuration has sub equal to iss');
  numericDate(c['iat'], 'iat');
  numericDate(c['exp'], 'exp');
  if (!Array.isArray(obj(c['jwks'], 'jwks')['keys'])) throw new ShapeError('jwks.keys must be an array');
  obj(obj(c['metadata'], 'metadata')['federation_entity'], 'metadata.federation_entity');
  return value as EntityConfigurationClaims;
}

function checkTrustMarkStatus(value: unknown): TrustMarkStatusClaims {
  const c = obj(value, 'claims');
  str(c['iss'], 'iss');
  numericDate(c['iat'], 'iat');
  str(c['trust_mark'], 'trust_mark');
  oneOf(c['status'], TRUST_MARK_STATUS_VALUES, 'status');
  return value as TrustMarkStatusClaims;
}

/**
 * Signs an Entity Configuration (`typ: entity-statement+jwt`).
 *
 * @example
 * ```ts
 * const jwt = await signEntityConfiguration(claims, key);
 * ```
 */
export async function signEntityConfiguration(claims: EntityConfigurationClaims, key: SigningKey): Promise<string> {
  checkShape('sign', 'entity configuration', () => checkEntityConfiguration(claims));
  return signTyped(ENTITY_STATEMENT_TYP, claims, key);
}

/**
 * Signs a Trust Mark Status Response (`typ: trust-mark-status-response+jwt`).
 *
 * @example
 * ```ts
 * const jwt = await signTrustMarkStatus({ iss, iat, trust_mark, status: 'revoked' }, key);
 * ```
 */
export async function signTrustMarkStatus(claims: TrustMarkStatusClaims, key: SigningKey): Promise<string> {
  checkShape('sign', 'trust mark status', () => checkTrustMarkStatus(claims));
  return signTyped(TRUST_MARK_STATUS_TYP, claims, key);
}

/**
 * Verifies a Trust Mark Status Response from `issuer`: signature, pinned algorithms, `typ`,
 * `iss`, `iat`, shape. Never throws for a bad token.
 *
 * @example
 * ```ts
 * const r = await verifyTrustMarkStatus(jwt, { issuer, jwksUrl: jwksUrlFor(issuer) });
 * if (r.valid) console.log(r.claims.status);
 * ```
 */
export async function verifyTrustMarkStatus(
  jwt: string,
  options: KeySourceOptions & { issuer: string; now?: Date; clockTolerance?: number },
): Promise<{ valid: true; claims: TrustMarkStatusClaims } | VerificationFailure> {
  assertVerifyOptions(options);
  const getKey = resolveKeySet(options);
  try {
    const { payload } = await verifyTypedJwt(jwt, { typ: TRUST_MARK_STATUS_TYP, issuer: options.issuer, getKey, now: options.now, clockTolerance: options.clockTolerance, requiredClaims: ['iat'] });
    return { valid: true, claims: checkShape('verify', 'trust mark status', () => checkTrustMarkStatus(payload)) };
  } catch (err) {
    if (err instanceof VerifierError) return failure(err);
    throw err;
  }
}
