import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  VerifierErrorCode,
  consistencyProof,
  encodeRootHash,
  inclusionProof,
  jsonLeafHash,
  merkleRoot,
  signAttestation,
  signCheckpoint,
  verifyCheckpoint,
  verifyLogConsistency,
  verifyLogInclusion,
} from '../src/index.ts';
import type { Checkpoint } from '../src/index.ts';
import { ISSUER, NOW, NOW_S, attestationClaims, makeIssuer } from './helpers.ts';

const ORIGIN = 'registry.example.vn/log';

async function log(n: number) {
  const events = Array.from({ length: n }, (_, i) => ({ idx: i, kind: i % 2 ? 'BADGE_ISSUED' : 'MEMBER_REGISTERED', at: NOW_S + i }));
  const leaves = await Promise.all(events.map(jsonLeafHash));
  const checkpoint = async (size: number): Promise<Checkpoint> => ({ origin: ORIGIN, size, root_hash: encodeRootHash(await merkleRoot(leaves.slice(0, size))) });
  return { events, leaves, checkpoint };
}

describe('checkpoints', () => {
  it('are signed with typ log-checkpoint+jwt and verify', async () => {
    const issuer = await makeIssuer('EdDSA');
    const { checkpoint } = await log(11);
    const cp = await checkpoint(11);
    const jwt = await signCheckpoint({ iss: ISSUER, iat: NOW_S, ...cp }, issuer.key);
    expect(decodeProtectedHeader(jwt).typ).toBe('log-checkpoint+jwt');
    const r = await verifyCheckpoint(jwt, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, origin: ORIGIN });
    expect(r.valid && r.claims).toEqual({ iss: ISSUER, iat: NOW_S, ...cp });

    const otherLog = await verifyCheckpoint(jwt, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, origin: 'elsewhere/log' });
    expect(!otherLog.valid && otherLog.errors[0]?.code).toBe(VerifierErrorCode.WRONG_ISSUER);
    const attestation = await signAttestation(attestationClaims(), issuer.key);
    const wrongTyp = await verifyCheckpoint(attestation, { issuer: ISSUER, jwks: issuer.jwks, now: NOW });
    expect(!wrongTyp.valid && wrongTyp.errors[0]?.code).toBe(VerifierErrorCode.WRONG_TYP);
    await expect(signCheckpoint({ iss: ISSUER, iat: NOW_S, ...cp, root_hash: 'abc' }, issuer.key)).rejects.toThrow(TypeError);
  });

  it('anchor inclusion and consistency proofs, failing with INVALID_PROOF', async () => {
    const { leaves, checkpoint } = await log(13);
    const cp13 = await checkpoint(13);
    const cp6 = await checkpoint(6);
    const proof = await inclusionProof(4, leaves, 13);
    expect(await verifyLogInclusion(leaves[4] as Uint8Array, 4, proof, cp13)).toEqual({ valid: true });
    const bad = await verifyLogInclusion(leaves[5] as Uint8Array, 4, proof, cp13);
    expect(!bad.valid && bad.errors[0]?.code).toBe(VerifierErrorCode.INVALID_PROOF);

    const cproof = await consistencyProof(6, leaves, 13);
    expect(await verifyLogConsistency(cp6, cp13, cproof)).toEqual({ valid: true });
    const rewritten = await verifyLogConsistency({ ...cp6, root_hash: cp13.root_hash }, cp13, cproof);
    expect(!rewritten.valid && rewritten.errors[0]?.code).toBe(VerifierErrorCode.INVALID_PROOF);
    const twoLogs = await verifyLogConsistency({ ...cp6, origin: 'other' }, cp13, cproof);
    expect(!twoLogs.valid && twoLogs.errors[0]?.code).toBe(VerifierErrorCode.WRONG_ISSUER);
  });
});
