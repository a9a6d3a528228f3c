/**
 * An external OpenID provider as a second source of bearer tokens: its JWKS (fetched and
 * cached by jose), with issuer, audience, algorithms and `typ` pinned, and the role read from
 * a configurable claim.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, isRole, type Role } from './roles.ts';
import { ACCESS_TOKEN_TYP, ALLOWED_ALGORITHMS as ACCESS_TOKEN_ALGORITHMS } from '@trust-alliance/verifier';

export interface OidcOptions {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** Claim holding the role (a string or an array of strings); default `role`. */
  roleClaim?: string;
  /** Default EdDSA and ES256. */
  algorithms?: string[];
  /** Default `at+jwt` (RFC 9068). */
  typ?: string;
}

/** Picks the most privileged known role from a claim value. */
function roleFrom(value: unknown): Role | null {
  const values = Array.isArray(value) ? value : [value];
  for (const role of ROLES) if (values.includes(role)) return role;
  return null;
}

export interface OidcVerifier {
  issuer: string;
  verify(jwt: string): Promise<{ role: Role; subject: string }>;
}

/** Throws on any failure (the caller turns it into UNAUTHENTICATED). */
export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const claim = options.roleClaim ?? 'role';
  return {
    issuer: options.issuer,
    async verify(jwt) {
      const { payload } = await jwtVerify(jwt, jwks, {
        algorithms: options.algorithms ?? [...ACCESS_TOKEN_ALGORITHMS],
        typ: options.typ ?? ACCESS_TOKEN_TYP,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['sub', 'exp'],
      });
      const role = roleFrom((payload as JWTPayload & Record<string, unknown>)[claim]);
      if (!role || !isRole(role)) throw new Error(`no role in claim ${claim}`);
      return { role, subject: payload.sub! };
    },
  };
}
