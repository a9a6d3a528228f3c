/**
 * Turns a request's `Authorization` header into a viewer. No header: PUBLIC. A header that is
 * not a valid bearer token (malformed, bad signature, expired, wrong `typ`, issuer or
 * audience, unknown role) is refused with UNAUTHENTICATED and HTTP 401: never a silent
 * downgrade to PUBLIC.
 */
import { decodeJwt } from 'jose';
import { GraphQLError } from 'graphql';
import type { AccessTokenService } from './access-tokens.ts';
import type { OidcVerifier } from './oidc.ts';
import { PUBLIC_VIEWER, type Viewer } from './roles.ts';

export interface Authenticator {
  tokens: AccessTokenService;
  oidc?: OidcVerifier | null | undefined;
}

/** The UNAUTHENTICATED error (HTTP 401 through Yoga). */
export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`Unauthenticated: ${reason}`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } } },
  });
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * @example const viewer = await authenticate(request.headers.get('authorization'), { tokens });
 */
export async function authenticate(header: string | null | undefined, auth: Authenticator): Promise<Viewer> {
  if (header === null || header === undefined || header === '') return PUBLIC_VIEWER;
  const match = BEARER.exec(header.trim());
  if (!match) throw unauthenticated('the Authorization header must be "Bearer <JWT>"');
  const jwt = match[1]!;
  if (auth.oidc) {
    let iss: unknown;
    try {
      iss = decodeJwt(jwt).iss;
    } catch {
      throw unauthenticated('the token is not a JWT');
    }
    if (iss === auth.oidc.issuer) {
      try {
        const { role, subject } = await auth.oidc.verify(jwt);
        return { role, subject };
      } catch {
        throw unauthenticated('the token was refused');
      }
    }
  }
  try {
    const { role, subject } = await auth.tokens.verifyAccessToken(jwt);
    return { role, subject };
  } catch (error) {
    // Anything the key set says about the token is a refusal; a broken key store is not the
    // caller's fault and stays a (masked) server error.
    if (error instanceof Error && (error as { code?: unknown }).code === 'UNAUTHENTICATED') throw unauthenticated('the token was refused');
    if (error instanceof Error && error.name.startsWith('JW')) throw unauthenticated('the token was refused');
    throw error;
  }
}
