/**
 * The one JWT check every format goes through: jose's `jwtVerify` with the algorithms, the `typ`
 * and the issuer pinned, plus an `iat`-in-the-future check, with every failure classified as a
 * {@link VerifierError}. Internal.
 *
 * @module
 */
import { jwtVerify } from 'jose';
import type { JWTHeaderParameters, JWTPayload, JWTVerifyGetKey } from 'jose';
import { VerifierError, VerifierErrorCode, fromJoseError } from './errors.ts';
import { ACCEPTED_ALGORITHMS } from './formats.ts';

/** What {@link verifyTypedJwt} pins. */
export interface TypedJwtCheck {
  typ: string;
  issuer: string;
  getKey: JWTVerifyGetKey;
  now?: Date | undefined;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}). */
  clockTolerance?: number | undefined;
  requiredClaims: string[];
  /**
   * Accept a token without `iss` (one that has it must still name `issuer`): for formats whose
   * draft no longer requires `iss` and whose caller binds the token to the issuer otherwise
   * (a status list: by its URI under the issuer, and the issuer's key set).
   */
  issuerOptional?: boolean;
}

/**
 * Clock skew tolerated by default. A platform's clock and the registry's are never exactly
 * equal: with no tolerance, a status list signed a second "in the future" by a registry whose
 * clock runs ahead would make every attestation's status unavailable. Pass `clockTolerance: 0`
 * to be strict.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** Checks `options` common to every verify function; throws `TypeError` on misuse. */
export function assertVerifyOptions(options: unknown): asserts options is { issuer: string } {
  if (options === null || typeof options !== 'object') throw new TypeError('options { issuer, jwks | jwksUrl } are required');
  const { issuer, now, clockTolerance } = options as { issuer?: unknown; now?: unknown; clockTolerance?: unknown };
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('options.issuer must be a non-empty string');
  if (now !== undefined && !(now instanceof Date && Number.isFinite(now.getTime()))) {
    throw new TypeError('options.now must be a valid Date');
  }
  if (clockTolerance !== undefined && !(typeof clockTolerance === 'number' && clockTolerance >= 0 && Number.isFinite(clockTolerance))) {
    throw new TypeError('options.clockTolerance must be a non-negative number of seconds');
  }
}

/**
 * Verifies a compact JWS as a JWT of kind `typ` from `issuer`; throws a {@link VerifierError}.
 */
export async function verifyTypedJwt(
  jws: unknown,
  check: TypedJwtCheck,
): Promise<{ payload: JWTPayload; protectedHeader: JWTHeaderParameters }> {
  if (typeof jws !== 'string' || jws === '') {
    throw new VerifierError(VerifierErrorCode.MALFORMED, 'expected a compact JWS string');
  }
  const tolerance = check.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  let result;
  try {
    result = await jwtVerify(jws.trim(), check.getKey, {
      algorithms: [...ACCEPTED_ALGORITHMS],
      typ: check.typ,
      ...(check.issuerOptional ? {} : { issuer: check.issuer }),
      requiredClaims: check.requiredClaims,
      clockTolerance: tolerance,
      ...(check.now === undefined ? {} : { currentDate: check.now }),
    });
  } catch (err) {
    throw fromJoseError(err);
  }
  const { payload, protectedHeader } = result;
  if (check.issuerOptional && payload.iss !== undefined && payload.iss !== check.issuer) {
    throw new VerifierError(VerifierErrorCode.WRONG_ISSUER, 'unexpected "iss" claim value');
  }
  // jose checks a future `iat` only together with maxTokenAge; a statement cannot predate its issue.
  const now = Math.floor((check.now ?? new Date()).getTime() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now + tolerance) {
    throw new VerifierError(VerifierErrorCode.NOT_YET_VALID, '"iat" claim is in the future');
  }
  return { payload, protectedHeader };
}
