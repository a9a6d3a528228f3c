/**
 * Verifies a signed verification answer (`typ: trust-verification+jwt`): the proof a business
 * keeps that a page was, or was not, verified at time T. No status list: an answer states what
 * was true when it was signed.
 *
 * @module
 */
import { VerifierError, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import { SIGNED_ANSWER_TYP } from './formats.ts';
import { assertVerifyOptions, verifyTypedJwt } from './jwt.ts';
import { resolveKeySet } from './keys.ts';
import type { KeySourceOptions } from './keys.ts';
import { parseSignedAnswerClaims } from './signed-answer-format.ts';
import type { SignedAnswerClaims } from './signed-answer-format.ts';

/**
 * Options of {@link verifySignedAnswer}.
 *
 * @example
 * ```ts
 * const options: VerifySignedAnswerOptions = { issuer, jwksUrl: jwksUrlFor(issuer) };
 * ```
 */
export interface VerifySignedAnswerOptions extends KeySourceOptions {
  /** The expected `iss`. Required. */
  issuer: string;
  /** The time to check against (default: now). */
  now?: Date;
  /** Seconds of clock skew tolerated (default 0). */
  clockTolerance?: number;
}

/**
 * The result of {@link verifySignedAnswer}.
 *
 * @example
 * ```ts
 * const r: SignedAnswerVerification = await verifySignedAnswer(jws, options);
 * ```
 */
export type SignedAnswerVerification = { valid: true; claims: SignedAnswerClaims } | VerificationFailure;

/**
 * Verifies a signed answer: signature with the issuer's keys, `alg` in `['EdDSA', 'ES256']`,
 * `typ: trust-verification+jwt`, issuer, `iat`/`nbf`/`exp` when present, claim shape. Never
 * throws for a bad token; throws `TypeError` on misuse.
 *
 * @example
 * ```ts
 * const r = await verifySignedAnswer(jws, { issuer, jwks });
 * if (r.valid) console.log(r.claims.status, new Date(r.claims.checked_at * 1000));
 * ```
 */
export async function verifySignedAnswer(jws: string, options: VerifySignedAnswerOptions): Promise<SignedAnswerVerification> {
  assertVerifyOptions(options);
  const getKey = resolveKeySet(options);
  try {
    const { payload } = await verifyTypedJwt(jws, {
      typ: SIGNED_ANSWER_TYP,
      issuer: options.issuer,
      getKey,
      now: options.now,
      clockTolerance: options.clockTolerance,
      requiredClaims: ['iat', 'jti'],
    });
    return { valid: true, claims: parseSignedAnswerClaims(payload) };
  } catch (err) {
    if (err instanceof VerifierError) return failure(err);
    throw err;
  }
}
