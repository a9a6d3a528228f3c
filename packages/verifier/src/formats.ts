/**
 * The shared vocabulary of every signed statement (docs/ARCHITECTURE.md, "Signed formats"): the JOSE `typ` of each kind of
 * token, the pinned algorithms, the shape of a signing key, and the one internal signing helper
 * through which every format is written, so that `typ`, `alg` and `kid` are always set.
 *
 * The claims of each kind live beside it: `attestation-format.ts`, `signed-answer-format.ts`,
 * `status-list.ts`, `checkpoint.ts`.
 *
 * @module
 */
import { SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload, KeyObject } from 'jose';

/**
 * `typ` of a trust attestation (a badge's trust mark, docs/ARCHITECTURE.md, "Signed formats").
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jws).typ === ATTESTATION_TYP; // 'trust-mark+jwt'
 * ```
 */
export const ATTESTATION_TYP = 'trust-mark+jwt';

/**
 * `typ` of a signed verification answer ("was this page verified at time T?").
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jws).typ === SIGNED_ANSWER_TYP; // 'trust-verification+jwt'
 * ```
 */
export const SIGNED_ANSWER_TYP = 'trust-verification+jwt';

/**
 * `typ` of a Status List Token (draft-ietf-oauth-status-list).
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jwt).typ === STATUS_LIST_TYP; // 'statuslist+jwt'
 * ```
 */
export const STATUS_LIST_TYP = 'statuslist+jwt';

/**
 * `typ` of an OAuth access token (RFC 9068), used by the API for bearer tokens. Defined here so no
 * other kind of token can be accepted as one, and no access token as anything else.
 *
 * @example
 * ```ts
 * await jwtVerify(bearer, keys, { typ: ACCESS_TOKEN_TYP, algorithms: [...ALLOWED_ALGORITHMS] });
 * ```
 */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/**
 * `typ` of a signed transparency-log checkpoint (origin, size, root hash).
 *
 * @example
 * ```ts
 * decodeProtectedHeader(jwt).typ === CHECKPOINT_TYP; // 'log-checkpoint+jwt'
 * ```
 */
export const CHECKPOINT_TYP = 'log-checkpoint+jwt';

/**
 * The only signature algorithms accepted or produced: EdDSA (Ed25519, the default) and ES256.
 * Everything else — `none`, HMAC, RSA — is refused with `DISALLOWED_ALGORITHM`.
 *
 * @example
 * ```ts
 * await jwtVerify(jws, keys, { algorithms: [...ALLOWED_ALGORITHMS] });
 * ```
 */
export const ALLOWED_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/**
 * One of {@link ALLOWED_ALGORITHMS}.
 *
 * @example
 * ```ts
 * const alg: AllowedAlgorithm = 'EdDSA';
 * ```
 */
export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

/**
 * The algorithms every check accepts: {@link ALLOWED_ALGORITHMS} plus `Ed25519`, the fully
 * specified name of EdDSA over Ed25519 (RFC 9864), which supersedes the polymorphic `EdDSA`.
 * A token signed with `alg: Ed25519` by a key published as `alg: EdDSA` (or the other way
 * round) verifies: both name the same signature. We still sign with `EdDSA`, which every
 * deployed JOSE library reads.
 *
 * @example
 * ```ts
 * await jwtVerify(jws, keys, { algorithms: [...ACCEPTED_ALGORITHMS] });
 * ```
 */
export const ACCEPTED_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256'] as const;

/** The two names of Ed25519 signatures in JOSE: each is tried as the other when no key matches. */
export const ED25519_ALIASES: Readonly<Record<string, string>> = { EdDSA: 'Ed25519', Ed25519: 'EdDSA' };

/**
 * A private key to sign with, its `kid` (as published in the issuer's JWKS) and its pinned
 * algorithm. `privateKey` is whatever jose accepts for an asymmetric key: a WebCrypto
 * `CryptoKey`, a private JWK, or a Node `KeyObject`.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateKeyPair('Ed25519');
 * const key: SigningKey = { privateKey, kid: '2025-01', alg: 'EdDSA' };
 * ```
 */
export interface SigningKey {
  privateKey: CryptoKey | KeyObject | JWK;
  kid: string;
  alg: AllowedAlgorithm;
}

/**
 * Whether `alg` is one of {@link ALLOWED_ALGORITHMS}.
 *
 * @example
 * ```ts
 * isAllowedAlgorithm('HS256'); // false
 * ```
 */
export function isAllowedAlgorithm(alg: unknown): alg is AllowedAlgorithm {
  return (ALLOWED_ALGORITHMS as readonly unknown[]).includes(alg);
}

/**
 * Signs `claims` as a compact JWS with `{ alg, kid, typ }` in the protected header. Internal: the
 * public `sign…` functions validate their claims and call this.
 */
export async function signTyped(typ: string, claims: object, key: SigningKey): Promise<string> {
  if (key === null || typeof key !== 'object') throw new TypeError('a signing key { privateKey, kid, alg } is required');
  if (!isAllowedAlgorithm(key.alg)) {
    throw new TypeError(`signing algorithm must be one of ${ALLOWED_ALGORITHMS.join(', ')}, got ${String(key.alg)}`);
  }
  if (typeof key.kid !== 'string' || key.kid === '') throw new TypeError('the signing key needs a non-empty kid');
  return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
}
