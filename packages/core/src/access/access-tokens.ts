/**
 * Bearer tokens for the API (`typ: at+jwt`, RFC 9068 style), issued by the registry's CLI for
 * officers and platforms and signed with the registry's current key. Verification pins the
 * algorithms, the `typ`, the issuer and the audience, so no other kind of token (an
 * attestation, a signed answer) can be presented as one.
 */
import { createLocalJWKSet, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ACCESS_TOKEN_TYP, ALLOWED_ALGORITHMS } from '@trust-alliance/verifier';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import type { KeyStore } from '../kernel/key-store.ts';

/** The roles of the API. PUBLIC is the absence of a token. */
export const ROLES = ['ADMIN', 'OFFICER', 'PLATFORM', 'BUSINESS', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

/** True when `value` is one of {@link ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The audience every registry access token is for. */
export const ACCESS_TOKEN_AUDIENCE = 'trust-alliance-api';
/** Longest lifetime of an access token (`exp - iat`), refused beyond it at issue and at verify. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 3600;
/** How far a token's `iat` may lie ahead of our clock (clocks of issuers drift a little, not a year). */
export const ACCESS_TOKEN_CLOCK_SKEW_SECONDS = 60;

export interface AccessTokenClaims {
  role: Role;
  subject: string;
}

/**
 * Signs an access token.
 * @example const token = await issueAccessToken(keys, issuer, { role: 'OFFICER', subject: 'officer-1', ttlSeconds: 3600 });
 */
export async function issueAccessToken(keys: KeyStore, issuer: string, input: { role: Role; subject?: string; ttlSeconds?: number }, now: Date): Promise<string> {
  if (!(ROLES as readonly string[]).includes(input.role)) throw new ValidationError(`role must be one of ${ROLES.join(', ')}`, 'role');
  const ttl = input.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ACCESS_TOKEN_TTL_SECONDS) throw new ValidationError(`ttl must be 1 second to ${MAX_ACCESS_TOKEN_TTL_SECONDS / 3600} hours`, 'ttl');
  const subject = input.subject ?? `${input.role.toLowerCase()}-cli`;
  const key = await keys.current();
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: input.role })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/**
 * Verifies an access token against the registry's published keys. Any failure of the token
 * (signature, `typ`, issuer, audience, expiry, an `iat` ahead of the clock beyond
 * {@link ACCESS_TOKEN_CLOCK_SKEW_SECONDS}, a lifetime over {@link MAX_ACCESS_TOKEN_TTL_SECONDS},
 * no role) is an UnauthenticatedError (code UNAUTHENTICATED) (never a silent downgrade to PUBLIC).
 * A key store that cannot be read (the database is down) is not the token's fault: that error
 * propagates as it is, so the API answers 503 rather than `invalid_token`.
 *
 * @example const { role, subject } = await verifyAccessToken(keys, issuer, jwt, new Date());
 */
export async function verifyAccessToken(keys: KeyStore, issuer: string, token: string, now: Date): Promise<AccessTokenClaims> {
  const jwks = createLocalJWKSet(await keys.publicJwks());
  try {
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: [...ALLOWED_ALGORITHMS],
      typ: ACCESS_TOKEN_TYP,
      issuer,
      audience: ACCESS_TOKEN_AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (payload.iat! > nowSeconds + ACCESS_TOKEN_CLOCK_SKEW_SECONDS) throw new UnauthenticatedError('Invalid bearer token: it was issued in the future');
    if (payload.exp! - payload.iat! > MAX_ACCESS_TOKEN_TTL_SECONDS) throw new UnauthenticatedError('Invalid bearer token: its lifetime is longer than allowed');
    const role = payload['role'];
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new TypeError('role');
    return { role: role as Role, subject: payload.sub! };
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    const reason = error instanceof joseErrors.JWTExpired ? 'the token has expired' : error instanceof joseErrors.JOSEError ? `the token was refused (${error.code})` : 'the token has no valid role';
    throw new UnauthenticatedError(`Invalid bearer token: ${reason}`);
  }
}
