/**
 * Verification errors: one class, {@link VerifierError}, with a stable string
 * {@link VerifierErrorCode} per failure, in the style of jose's `util/errors.ts` and tRPC's
 * `codes.ts`.
 *
 * - Bad *untrusted input* (a forged, expired, suspended… token) never throws: verify functions
 *   return `{ valid: false, errors: [{ code, message }] }`, and the code is what callers branch on.
 * - *Misuse of the API* (no issuer, no key set, a status value out of range…) throws `TypeError`
 *   or `RangeError`.
 * - jose's errors are classified by class and `code`/`claim`, never by reading message text
 *   ({@link fromJoseError}).
 *
 * @module
 */
import { errors as jose } from 'jose';

/**
 * Every code a verification can fail with. Stable strings: they are part of the public
 * contract (platforms store and branch on them), so a code is never renamed or reused.
 *
 * @example
 * ```ts
 * import { VerifierErrorCode, verifyAttestation } from '@trust-alliance/verifier';
 *
 * const result = await verifyAttestation(jws, { issuer });
 * if (!result.valid && result.errors[0]?.code === VerifierErrorCode.SUSPENDED) {
 *   // show "badge suspended", not "forged"
 * }
 * ```
 */
export const VerifierErrorCode = {
  /** The signature does not verify with the key the token names: the token was altered or forged. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** No key of the issuer's key set matches the token's `kid`/`alg`: signed by someone else, or by a key withdrawn from the set. */
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  /** The issuer's key set could not be fetched or parsed (network, HTTP status, JSON): retry later; says nothing about the token. */
  KEYS_UNAVAILABLE: 'KEYS_UNAVAILABLE',
  /** The JOSE header `typ` is not the one this check expects: a token of one kind presented as another. */
  WRONG_TYP: 'WRONG_TYP',
  /** The `alg` is not one of {@link ALLOWED_ALGORITHMS} (`none`, HMAC, RSA…). */
  DISALLOWED_ALGORITHM: 'DISALLOWED_ALGORITHM',
  /** `exp` is in the past. */
  EXPIRED: 'EXPIRED',
  /** `nbf` or `iat` is in the future. */
  NOT_YET_VALID: 'NOT_YET_VALID',
  /** `iss` is missing or is not the expected issuer. */
  WRONG_ISSUER: 'WRONG_ISSUER',
  /** Not a well-formed token of the expected kind: bad compact serialization, JSON, missing or mistyped claims, undecodable status list. */
  MALFORMED: 'MALFORMED',
  /** Authentic, but its status list entry says SUSPENDED: the badge is on hold (it can be reinstated). */
  SUSPENDED: 'SUSPENDED',
  /** Authentic, but its status list entry says INVALID: the badge was revoked, for good. */
  REVOKED: 'REVOKED',
  /** The status list could not be obtained or trusted (network, bad list token, index out of range, unknown status value). */
  STATUS_UNAVAILABLE: 'STATUS_UNAVAILABLE',
  /** The status list served is older (by `iat`) than one already seen for the same URI: a rollback that could revive a suspended badge. Follows `STATUS_UNAVAILABLE`. */
  STATUS_LIST_ROLLBACK: 'STATUS_LIST_ROLLBACK',
  /** The status list served was issued longer ago than its `ttl` plus the stated grace: too old to say anything about now. Follows `STATUS_UNAVAILABLE`. */
  STATUS_LIST_STALE: 'STATUS_LIST_STALE',
  /** The attestation's status-list URI is not under its issuer (another origin, or outside the issuer's path): it is not fetched. */
  FOREIGN_STATUS_LIST: 'FOREIGN_STATUS_LIST',
  /** Signed by a key the issuer's key history marks compromised: refused whatever it says, even while an older copy of the key set still lists the key. */
  KEY_COMPROMISED: 'KEY_COMPROMISED',
  /** A Merkle inclusion or consistency proof does not verify against the root. */
  INVALID_PROOF: 'INVALID_PROOF',
} as const;

/**
 * The union of {@link VerifierErrorCode} values.
 *
 * @example
 * ```ts
 * const code: VerifierErrorCode = 'EXPIRED';
 * ```
 */
export type VerifierErrorCode = (typeof VerifierErrorCode)[keyof typeof VerifierErrorCode];

/**
 * One reason a verification failed, as returned in `{ valid: false, errors }`. Plain data, so it
 * serializes as is.
 *
 * @example
 * ```ts
 * const issue: VerificationIssue = { code: 'EXPIRED', message: '"exp" claim timestamp check failed' };
 * ```
 */
export interface VerificationIssue {
  /** The stable code to branch on. */
  code: VerifierErrorCode;
  /** A human-readable explanation, for logs. Never branch on it. */
  message: string;
}

/**
 * The failed branch of every verify function's result. `errors[0]` is the decisive reason;
 * further entries add detail (e.g. why a status list was unavailable).
 *
 * @example
 * ```ts
 * const failure: VerificationFailure = { valid: false, errors: [{ code: 'REVOKED', message: 'revoked' }] };
 * ```
 */
export interface VerificationFailure {
  valid: false;
  errors: VerificationIssue[];
}

/**
 * The one error class of this package. Internal steps throw it; the public verify functions
 * catch it and return its `{ code, message }` instead.
 *
 * @example
 * ```ts
 * try {
 *   await somethingThatVerifies();
 * } catch (err) {
 *   if (err instanceof VerifierError && err.code === VerifierErrorCode.EXPIRED) renew();
 * }
 * ```
 */
export class VerifierError extends Error {
  /** The stable code. */
  readonly code: VerifierErrorCode;

  constructor(code: VerifierErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerifierError';
    this.code = code;
  }

  /**
   * The plain `{ code, message }` form used in verification results.
   *
   * @example
   * ```ts
   * new VerifierError('EXPIRED', 'expired').toIssue(); // { code: 'EXPIRED', message: 'expired' }
   * ```
   */
  toIssue(): VerificationIssue {
    return { code: this.code, message: this.message };
  }
}

/**
 * Builds the failed result from one or more issues.
 *
 * @example
 * ```ts
 * return failure(new VerifierError('MALFORMED', 'not a JWT'));
 * ```
 */
export function failure(...issues: (VerifierError | VerificationIssue)[]): VerificationFailure {
  return {
    valid: false,
    errors: issues.map((i) => (i instanceof VerifierError ? i.toIssue() : { code: i.code, message: i.message })),
  };
}

/**
 * Classifies an error thrown by jose (or by a key resolver) as a {@link VerifierError}, by its
 * class and `code`/`claim`, never by its message. A `VerifierError` passes through unchanged;
 * anything unrecognised becomes `MALFORMED`.
 *
 * @example
 * ```ts
 * try {
 *   await jwtVerify(jws, keys, { typ: ATTESTATION_TYP });
 * } catch (err) {
 *   return failure(fromJoseError(err)); // e.g. JWTExpired → EXPIRED
 * }
 * ```
 */
export function fromJoseError(err: unknown): VerifierError {
  if (err instanceof VerifierError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const make = (code: VerifierErrorCode) => new VerifierError(code, message, { cause: err });
  if (err instanceof jose.JWTExpired) return make(VerifierErrorCode.EXPIRED);
  if (err instanceof jose.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'typ':
        return make(VerifierErrorCode.WRONG_TYP);
      case 'iss':
        return make(VerifierErrorCode.WRONG_ISSUER);
      case 'nbf':
      case 'iat':
        // Present but not a number is malformed; present and in the future is "not yet".
        return make(err.reason === 'check_failed' ? VerifierErrorCode.NOT_YET_VALID : VerifierErrorCode.MALFORMED);
      default:
        return make(VerifierErrorCode.MALFORMED);
    }
  }
  if (err instanceof jose.JWSSignatureVerificationFailed) return make(VerifierErrorCode.BAD_SIGNATURE);
  if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWKSMultipleMatchingKeys) {
    return make(VerifierErrorCode.UNKNOWN_KEY);
  }
  if (err instanceof jose.JWKInvalid) return make(VerifierErrorCode.UNKNOWN_KEY);
  if (err instanceof jose.JOSEAlgNotAllowed) return make(VerifierErrorCode.DISALLOWED_ALGORITHM);
  if (err instanceof jose.JWKSInvalid || err instanceof jose.JWKSTimeout) return make(VerifierErrorCode.KEYS_UNAVAILABLE);
  return make(VerifierErrorCode.MALFORMED);
}
