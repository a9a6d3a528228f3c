import { errors as jose } from 'jose';
import { describe, expect, it } from 'vitest';
import { VerifierError, VerifierErrorCode, fromJoseError } from '../src/index.ts';

describe('VerifierErrorCode', () => {
  it('has stable string codes equal to their names', () => {
    for (const [name, code] of Object.entries(VerifierErrorCode)) expect(code).toBe(name);
    for (const required of ['BAD_SIGNATURE', 'UNKNOWN_KEY', 'WRONG_TYP', 'DISALLOWED_ALGORITHM', 'EXPIRED', 'NOT_YET_VALID', 'WRONG_ISSUER', 'MALFORMED', 'SUSPENDED', 'REVOKED', 'STATUS_UNAVAILABLE', 'INVALID_PROOF']) {
      expect(VerifierErrorCode).toHaveProperty(required, required);
    }
  });
});

describe('fromJoseError', () => {
  const payload = {};
  it.each<[string, unknown, string]>([
    ['JWTExpired', new jose.JWTExpired('x', payload, 'exp', 'check_failed'), 'EXPIRED'],
    ['typ check', new jose.JWTClaimValidationFailed('x', payload, 'typ', 'check_failed'), 'WRONG_TYP'],
    ['iss check', new jose.JWTClaimValidationFailed('x', payload, 'iss', 'check_failed'), 'WRONG_ISSUER'],
    ['iss missing', new jose.JWTClaimValidationFailed('x', payload, 'iss', 'missing'), 'WRONG_ISSUER'],
    ['nbf in the future', new jose.JWTClaimValidationFailed('x', payload, 'nbf', 'check_failed'), 'NOT_YET_VALID'],
    ['iat in the future', new jose.JWTClaimValidationFailed('x', payload, 'iat', 'check_failed'), 'NOT_YET_VALID'],
    ['nbf not a number', new jose.JWTClaimValidationFailed('x', payload, 'nbf', 'invalid'), 'MALFORMED'],
    ['jti missing', new jose.JWTClaimValidationFailed('x', payload, 'jti', 'missing'), 'MALFORMED'],
    ['bad signature', new jose.JWSSignatureVerificationFailed(), 'BAD_SIGNATURE'],
    ['no key', new jose.JWKSNoMatchingKey(), 'UNKNOWN_KEY'],
    ['alg not allowed', new jose.JOSEAlgNotAllowed('x'), 'DISALLOWED_ALGORITHM'],
    ['JWS invalid', new jose.JWSInvalid('x'), 'MALFORMED'],
    ['JWT invalid', new jose.JWTInvalid('x'), 'MALFORMED'],
    ['JWKS timeout', new jose.JWKSTimeout(), 'KEYS_UNAVAILABLE'],
  ])('%s', (_, err, code) => {
    const mapped = fromJoseError(err);
    expect(mapped).toBeInstanceOf(VerifierError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(err);
  });

  it('never reads message text', () => {
    expect(fromJoseError(new jose.JOSEError('"exp" claim timestamp check failed')).code).toBe('MALFORMED');
    expect(fromJoseError(new Error('signature verification failed')).code).toBe('MALFORMED');
  });

  it('passes a VerifierError through', () => {
    const e = new VerifierError('REVOKED', 'gone');
    expect(fromJoseError(e)).toBe(e);
    expect(e.toIssue()).toEqual({ code: 'REVOKED', message: 'gone' });
  });
});
