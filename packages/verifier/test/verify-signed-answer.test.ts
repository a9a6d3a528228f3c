import { SignJWT, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYP, VerifierErrorCode, signAttestation, signSignedAnswer, verifySignedAnswer } from '../src/index.ts';
import type { AllowedAlgorithm, SignedAnswerClaims, SignedAnswerVerification } from '../src/index.ts';
import { ISSUER, NOW, NOW_S, attestationClaims, makeIssuer } from './helpers.ts';

const answer = (overrides: Partial<SignedAnswerClaims> = {}): SignedAnswerClaims => ({
  iss: ISSUER,
  iat: NOW_S,
  jti: 'ans_01J0',
  input: 'https://m.facebook.com/congan.example/?ref=share',
  key: 'facebook:id:100064',
  status: 'VERIFIED',
  checked_at: NOW_S,
  at: NOW_S - 86400 * 30,
  badges: [{ id: 'bdg_1', program: 'KOL_TRUST', status: 'ACTIVE', expires_at: NOW_S + 86400 * 300 }],
  member: { id: 'mem_01HZX', display_name: 'Chi Phạm', kind: 'KOL' },
  ...overrides,
});

const codes = (r: SignedAnswerVerification) => (r.valid ? [] : r.errors.map((e) => e.code));

describe.each<AllowedAlgorithm>(['EdDSA', 'ES256'])('verifySignedAnswer with %s', (alg) => {
  it('round-trips', async () => {
    const issuer = await makeIssuer(alg);
    const jws = await signSignedAnswer(answer(), issuer.key);
    expect(decodeProtectedHeader(jws).typ).toBe('trust-verification+jwt');
    expect(await verifySignedAnswer(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW })).toEqual({ valid: true, claims: answer() });
    const notFound = answer({ input: { platform: 'ZALO', handle: 'x' }, key: null, status: 'NOT_FOUND', badges: [] });
    const r = await verifySignedAnswer(await signSignedAnswer(notFound, issuer.key), { issuer: ISSUER, jwks: issuer.jwks, now: NOW });
    expect(r).toEqual({ valid: true, claims: notFound });
  });

  it('carries per-program verdicts and reason codes, and still reads answers signed without them', async () => {
    const issuer = await makeIssuer(alg);
    const withReasons = answer({
      status: 'REVOKED',
      program: 'KOL_TRUST',
      reason: { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' },
      programs: [{ program: 'KOL_TRUST', status: 'REVOKED', reason: { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' } }],
    });
    expect(await verifySignedAnswer(await signSignedAnswer(withReasons, issuer.key), { issuer: ISSUER, jwks: issuer.jwks, now: NOW })).toEqual({ valid: true, claims: withReasons });
    const verified = answer({ reason: null, programs: [{ program: 'ALLIANCE_MEMBER', status: 'VERIFIED', reason: null }] });
    expect(await verifySignedAnswer(await signSignedAnswer(verified, issuer.key), { issuer: ISSUER, jwks: issuer.jwks, now: NOW })).toEqual({ valid: true, claims: verified });
  });
});

describe('verifySignedAnswer rejects', () => {
  it('an attestation presented as a signed answer, and an access token (WRONG_TYP)', async () => {
    const issuer = await makeIssuer('EdDSA');
    const attestation = await signAttestation(attestationClaims(), issuer.key);
    expect(codes(await verifySignedAnswer(attestation, { issuer: ISSUER, jwks: issuer.jwks, now: NOW }))).toEqual([VerifierErrorCode.WRONG_TYP]);
    const at = await new SignJWT({ ...answer() }).setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: ACCESS_TOKEN_TYP }).sign(issuer.key.privateKey);
    expect(codes(await verifySignedAnswer(at, { issuer: ISSUER, jwks: issuer.jwks, now: NOW }))).toEqual([VerifierErrorCode.WRONG_TYP]);
  });

  it('another issuer, another key, an unknown verdict', async () => {
    const issuer = await makeIssuer('ES256');
    const jws = await signSignedAnswer(answer(), issuer.key);
    expect(codes(await verifySignedAnswer(jws, { issuer: 'https://other.example', jwks: issuer.jwks, now: NOW }))).toEqual([VerifierErrorCode.WRONG_ISSUER]);
    const other = await makeIssuer('ES256', 'other');
    expect(codes(await verifySignedAnswer(jws, { issuer: ISSUER, jwks: other.jwks, now: NOW }))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
    const weird = await new SignJWT({ ...answer(), status: 'PROBABLY' })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.key.kid, typ: 'trust-verification+jwt' })
      .sign(issuer.key.privateKey);
    expect(codes(await verifySignedAnswer(weird, { issuer: ISSUER, jwks: issuer.jwks, now: NOW }))).toEqual([VerifierErrorCode.MALFORMED]);
    await expect(signSignedAnswer({ ...answer(), status: 'PROBABLY' } as never, issuer.key)).rejects.toThrow(TypeError);
  });

  it('a malformed reason or program verdict (MALFORMED), and refuses to sign one', async () => {
    const issuer = await makeIssuer('EdDSA');
    for (const bad of [{ reason: { category: 'SCAM' } }, { programs: [{ program: 'KOL_TRUST', status: 'MAYBE', reason: null }] }, { programs: [{ program: 'KOL_TRUST', status: 'REVOKED' }] }]) {
      const jws = await new SignJWT({ ...answer(), ...bad }).setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: 'trust-verification+jwt' }).sign(issuer.key.privateKey);
      expect(codes(await verifySignedAnswer(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW }))).toEqual([VerifierErrorCode.MALFORMED]);
      await expect(signSignedAnswer({ ...answer(), ...bad } as never, issuer.key)).rejects.toThrow(TypeError);
    }
  });
});
