/**
 * Bearer tokens for the API (`typ: at+jwt`, RFC 9068 style), issued by the registry's CLI for
 * officers and platforms and signed with the registry's current key. Verification pins the
 * algorithms, the `typ`, the issuer and the audience, so no other kind of token (an
 * attestation, a signed answer) can be presented as one.
 */
import { createLocalJWKSet, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ACCESS_TOKEN_TYP, ALLOWED_ALGORITHMS } from '@trust-alliance/verifier';
import { RegistryError, ValidationError } from '../errors.ts';
import type { KeyStore } from './key-store.ts';

/** The roles of the API. PUBLIC is the absence of a token. */
export const ROLES = ['ADMIN', 'OFFICER', 'PLATFORM', 'BUSINESS', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

/** True when `value` is one of {@link ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The audience every registry access token is for. */
export const ACCESS_TOKEN_AUDIENCE = 'trust-alliance-api';
/** Longest lifetime of an access token. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 3600;

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
 * Verifies an access token against the registry's published keys. Any failure is a
 * RegistryError with code UNAUTHENTICATED (never a silent downgrade to PUBLIC).
 */
export async function verifyAccessToken(keys: KeyStore, issuer: string, token: string, now: Date): Promise<AccessTokenClaims> {
  try {
    const jwks = createLocalJWKSet(await keys.publicJwks());
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: [...ALLOWED_ALGORITHMS],
      typ: ACCESS_TOKEN_TYP,
      issuer,
      audience: ACCESS_TOKEN_AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const role = payload['role'];
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new TypeError('role');
    return { role: role as Role, subject: payload.sub! };
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'the token has expired' : error instanceof joseErrors.JOSEError ? `the token was refused (${error.code})` : 'the token has no valid role';
    throw new RegistryError('UNAUTHENTICATED', `Invalid bearer token: ${reason}`);
  }
}
