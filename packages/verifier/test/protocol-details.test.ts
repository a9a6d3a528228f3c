/**
 * Issue 14's details in the verifier: `alg: Ed25519` (RFC 9864) accepted wherever `EdDSA` is,
 * in both directions of the key set's naming; a status list without `iss` bound to the issuer
 * by its URI; log proofs passed as the base64url strings the API returns; consistency from the
 * empty tree; and C2SP signed-note checkpoints.
 */
import { SignJWT, base64url, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ATTESTATION_TYP,
  STATUS_LIST_TYP,
  checkpointText,
  consistencyProof,
  encodeRootHash,
  encodeStatusList,
  inclusionProof,
  leafHash,
  merkleRoot,
  noteVerifierKey,
  parseNoteVerifierKey,
  signNote,
  verifyAttestation,
  verifyCheckpointNote,
  verifyLogConsistency,
  verifyLogInclusion,
  verifyStatusListToken,
} from '../src/index.ts';
import { ISSUER, LIST_URI, NOW, NOW_S, attestationClaims, makeIssuer } from './helpers.ts';

const raw = (alg: string, typ: string, claims: object, key: CryptoKey, kid: string) => new SignJWT(claims as Record<string, unknown>).setProtectedHeader({ alg, typ, kid }).sign(key);

describe('alg Ed25519', () => {
  it('verifies a token signed as Ed25519 by a key published as EdDSA, and the other way round', async () => {
    const issuer = await makeIssuer('EdDSA');
    const jws = await raw('Ed25519', ATTESTATION_TYP, attestationClaims(), issuer.key.privateKey as CryptoKey, issuer.key.kid);
    const a = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, statusList: 'skip' });
    expect(a.valid).toBe(true);
    const published = { keys: [{ ...issuer.publicJwk, alg: 'Ed25519' }] };
    const eddsa = await raw('EdDSA', ATTESTATION_TYP, attestationClaims(), issuer.key.privateKey as CryptoKey, issuer.key.kid);
    expect((await verifyAttestation(eddsa, { issuer: ISSUER, jwks: published, now: NOW, statusList: 'skip' })).valid).toBe(true);
    expect((await verifyAttestation(jws, { issuer: ISSUER, jwks: published, now: NOW, statusList: 'skip' })).valid).toBe(true);
  });

  it('still refuses an ES256 key answering for Ed25519, and HS256', async () => {
    const ec = await makeIssuer('ES256', 'ec');
    const ed = await makeIssuer('EdDSA', 'ec');
    const jws = await raw('Ed25519', ATTESTATION_TYP, attestationClaims(), ed.key.privateKey as CryptoKey, 'ec');
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: ec.jwks, now: NOW, statusList: 'skip' });
    expect(r.valid).toBe(false);
    const hs = await new SignJWT(attestationClaims() as unknown as Record<string, unknown>).setProtectedHeader({ alg: 'HS256', typ: ATTESTATION_TYP }).sign(new Uint8Array(32));
    const h = await verifyAttestation(hs, { issuer: ISSUER, jwks: ed.jwks, now: NOW, statusList: 'skip' });
    expect(h.valid || h.errors[0]!.code).toBe('DISALLOWED_ALGORITHM');
  });
});

describe('a status list without iss', () => {
  const claims = async (extra: object = {}) => ({ sub: LIST_URI, iat: NOW_S - 10, exp: NOW_S + 3600, ttl: 300, status_list: { bits: 2, lst: await encodeStatusList([0, 2, 1]) }, ...extra });

  it('is accepted when served under the issuer and signed by its keys', async () => {
    const issuer = await makeIssuer('EdDSA');
    const jwt = await raw('EdDSA', STATUS_LIST_TYP, await claims(), issuer.key.privateKey as CryptoKey, issuer.key.kid);
    const r = await verifyStatusListToken(jwt, { issuer: ISSUER, jwks: issuer.jwks, uri: LIST_URI, now: NOW });
    expect(r.valid).toBe(true);
  });

  it('is refused when its URI is elsewhere; a wrong iss is still refused', async () => {
    const issuer = await makeIssuer('EdDSA');
    const elsewhere = 'https://cdn.example.net/status/1';
    const jwt = await raw('EdDSA', STATUS_LIST_TYP, await claims({ sub: elsewhere }), issuer.key.privateKey as CryptoKey, issuer.key.kid);
    const r = await verifyStatusListToken(jwt, { issuer: ISSUER, jwks: issuer.jwks, uri: elsewhere, now: NOW });
    expect(r.valid || r.errors[0]!.code).toBe('WRONG_ISSUER');
    const other = await raw('EdDSA', STATUS_LIST_TYP, await claims({ iss: 'https://other.example' }), issuer.key.privateKey as CryptoKey, issuer.key.kid);
    const o = await verifyStatusListToken(other, { issuer: ISSUER, jwks: issuer.jwks, uri: LIST_URI, now: NOW });
    expect(o.valid || o.errors[0]!.code).toBe('WRONG_ISSUER');
  });

  it('is refused when signed by a key not in the issuer key set', async () => {
    const issuer = await makeIssuer('EdDSA');
    const stranger = await makeIssuer('EdDSA', 'stranger');
    const jwt = await raw('EdDSA', STATUS_LIST_TYP, await claims(), stranger.key.privateKey as CryptoKey, stranger.key.kid);
    const r = await verifyStatusListToken(jwt, { issuer: ISSUER, jwks: issuer.jwks, uri: LIST_URI, now: NOW });
    expect(r.valid).toBe(false);
  });
});

describe('log proofs as the API returns them', () => {
  it('accepts base64url leaf hashes and proofs; from size 0 an empty proof', async () => {
    const leaves = await Promise.all(Array.from({ length: 11 }, (_, i) => leafHash(new TextEncoder().encode(`e${i}`))));
    const origin = 'registry.example.vn/log';
    const at = async (n: number) => ({ origin, size: n, root_hash: encodeRootHash(await merkleRoot(leaves.slice(0, n))) });
    const cp = await at(11);
    const proof = (await inclusionProof(6, leaves)).map((h) => base64url.encode(h));
    expect(await verifyLogInclusion(base64url.encode(leaves[6]!), 6, proof, cp)).toEqual({ valid: true });
    const wrong = await verifyLogInclusion(base64url.encode(leaves[5]!), 6, proof, cp);
    expect(wrong.valid || wrong.errors[0]!.code).toBe('INVALID_PROOF');
    const junk = await verifyLogInclusion('not base64url!', 6, proof, cp);
    expect(junk.valid || junk.errors[0]!.code).toBe('INVALID_PROOF');
    const c = (await consistencyProof(4, leaves)).map((h) => base64url.encode(h));
    expect(await verifyLogConsistency(await at(4), cp, c)).toEqual({ valid: true });
    expect(await verifyLogConsistency(await at(0), cp, [])).toEqual({ valid: true });
  });
});

describe('C2SP signed-note checkpoints', () => {
  const name = 'registry.example.vn/log';
  const signer = async () => {
    const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
    const pub = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey as CryptoKey));
    return { name, publicKey: pub, privateKey: privateKey as CryptoKey };
  };

  it('signs and verifies a checkpoint; the verifier key round-trips', async () => {
    const s = await signer();
    const vkey = await noteVerifierKey(name, s.publicKey);
    expect(vkey).toMatch(/^registry\.example\.vn\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect((await parseNoteVerifierKey(vkey)).publicKey).toEqual(s.publicKey);
    const root = await merkleRoot([await leafHash(new Uint8Array([1]))]);
    const note = await signNote(checkpointText({ origin: name, size: 1, rootHash: root }), s);
    expect(note.split('\n').slice(0, 4)).toEqual([name, '1', btoa(String.fromCharCode(...root)), '']);
    expect(note.split('\n')[4]).toMatch(/^\u2014 registry\.example\.vn\/log [A-Za-z0-9+/]+=*$/);
    const r = await verifyCheckpointNote(note, { verifierKeys: [vkey], origin: name });
    expect(r.valid && r.checkpoint).toEqual({ origin: name, size: 1, root_hash: encodeRootHash(root) });
  });

  it('refuses a changed body, an unknown key, another origin and a malformed note', async () => {
    const s = await signer();
    const other = await signer();
    const vkey = await noteVerifierKey(name, s.publicKey);
    const root = new Uint8Array(32);
    const note = await signNote(checkpointText({ origin: name, size: 5, rootHash: root }), s);
    const code = async (n: string, keys = [vkey], origin?: string) => {
      const r = await verifyCheckpointNote(n, { verifierKeys: keys, ...(origin ? { origin } : {}) });
      return r.valid ? 'valid' : r.errors[0]!.code;
    };
    expect(await code(note.replace('\n5\n', '\n6\n'))).toBe('BAD_SIGNATURE');
    expect(await code(note, [await noteVerifierKey(name, other.publicKey)])).toBe('UNKNOWN_KEY');
    expect(await code(note, [vkey], 'another/log')).toBe('WRONG_ISSUER');
    expect(await code(note.replace('\n\n', '\n'))).toBe('MALFORMED');
    // A second signature by a key we do not know is ignored.
    const cosigned = note + (await signNote(checkpointText({ origin: name, size: 5, rootHash: root }), { ...other, name: 'witness.example' })).split('\n\n')[1];
    expect(await code(cosigned)).toBe('valid');
  });
});
