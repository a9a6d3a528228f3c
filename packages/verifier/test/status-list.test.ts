import { inflateSync } from 'node:zlib';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  StatusValue,
  VerifierError,
  VerifierErrorCode,
  decodeStatusList,
  encodeStatusList,
  packStatuses,
  readStatus,
  signAttestation,
  signStatusList,
  unpackStatuses,
  verifyStatusListToken,
} from '../src/index.ts';
import type { StatusListBits } from '../src/index.ts';
import { ISSUER, LIST_URI, NOW, NOW_S, attestationClaims, makeIssuer } from './helpers.ts';

// draft-ietf-oauth-status-list, "Status List" section and its examples/ folder:
// the 1-bit example (bytes 0xB9 0xA3) and the 2-bit example (bytes 0xC9 0x44 0xF9).
const ONE_BIT = { lst: 'eNrbuRgAAhcBXQ', bytes: [0xb9, 0xa3], statuses: [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1] };
const TWO_BIT = { lst: 'eNo76fITAAPfAgc', bytes: [0xc9, 0x44, 0xf9], statuses: [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3] };

describe('status list encoding (draft-ietf-oauth-status-list)', () => {
  it('decodes the draft’s 1-bit example, LSB first', async () => {
    expect(Array.from(await decodeStatusList(ONE_BIT.lst, 1))).toEqual(ONE_BIT.statuses);
    expect(Array.from(packStatuses(ONE_BIT.statuses, 1))).toEqual(ONE_BIT.bytes);
  });

  it('decodes the draft’s 2-bit example', async () => {
    const decoded = await decodeStatusList(TWO_BIT.lst, 2);
    expect(Array.from(decoded)).toEqual(TWO_BIT.statuses);
    expect(Array.from(packStatuses(TWO_BIT.statuses, 2))).toEqual(TWO_BIT.bytes);
    expect(readStatus(decoded, 0)).toBe(StatusValue.INVALID);
    expect(readStatus(decoded, 1)).toBe(StatusValue.SUSPENDED);
    expect(readStatus(decoded, 2)).toBe(StatusValue.VALID);
    expect(readStatus(decoded, 12)).toBeUndefined();
    expect(readStatus(decoded, -1)).toBeUndefined();
  });

  it('encodes to ZLIB (RFC 1950) data that zlib itself inflates to the packed bytes', async () => {
    const lst = await encodeStatusList(TWO_BIT.statuses, 2);
    const compressed = Buffer.from(lst, 'base64url');
    expect(compressed[0]).toBe(0x78); // CMF: deflate, 32K window
    expect(Array.from(inflateSync(compressed))).toEqual(TWO_BIT.bytes);
    expect(lst).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each<StatusListBits>([1, 2, 4, 8])('round-trips random lists with %i bits', async (bits) => {
    for (const length of [0, 1, 7, 8, 9, 1000, 4099]) {
      const values = Array.from({ length }, () => Math.floor(Math.random() * (1 << bits)));
      const decoded = await decodeStatusList(await encodeStatusList(values, bits), bits);
      expect(Array.from(decoded.subarray(0, length))).toEqual(values);
      expect(decoded.subarray(length).every((v) => v === 0)).toBe(true); // padding
      expect(Array.from(unpackStatuses(packStatuses(values, bits), bits).subarray(0, length))).toEqual(values);
    }
  });

  it('refuses values that do not fit and bit sizes the draft does not allow', async () => {
    expect(() => packStatuses([4], 2)).toThrow(RangeError);
    expect(() => packStatuses([-1], 2)).toThrow(RangeError);
    await expect(encodeStatusList([0, 1], 3 as never)).rejects.toThrow(TypeError);
  });

  it('rejects undecodable lists as MALFORMED, including zip bombs', async () => {
    for (const bad of ['', 'not base64!', Buffer.from('plain bytes').toString('base64url')]) {
      const err = await decodeStatusList(bad, 2).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VerifierError);
      expect((err as VerifierError).code).toBe(VerifierErrorCode.MALFORMED);
    }
    const bomb = deflateSync(new Uint8Array(1_000_000)).toString('base64url');
    expect((await decodeStatusList(bomb, 2)).length).toBe(4_000_000);
    const err = await decodeStatusList(bomb, 2, { maxBytes: 10_000 }).catch((e: unknown) => e);
    expect((err as VerifierError).code).toBe(VerifierErrorCode.MALFORMED);
  });
});

describe('status list token', () => {
  it('is signed with typ statuslist+jwt and verifies', async () => {
    const issuer = await makeIssuer('ES256');
    const jwt = await signStatusList({ iss: ISSUER, sub: LIST_URI, iat: NOW_S, exp: NOW_S + 86400, ttl: 300, statuses: TWO_BIT.statuses }, issuer.key);
    const r = await verifyStatusListToken(jwt, { issuer: ISSUER, jwks: issuer.jwks, uri: LIST_URI, now: NOW });
    if (!r.valid) throw new Error(JSON.stringify(r.errors));
    expect(r.claims).toMatchObject({ iss: ISSUER, sub: LIST_URI, iat: NOW_S, ttl: 300, status_list: { bits: 2 } });
    expect(Array.from(r.statuses.subarray(0, 12))).toEqual(TWO_BIT.statuses);
  });

  it('rejects another URI, another kind of token, an expired list, a bad ttl', async () => {
    const issuer = await makeIssuer('EdDSA');
    const opts = { issuer: ISSUER, jwks: issuer.jwks, uri: LIST_URI, now: NOW };
    const other = await signStatusList({ iss: ISSUER, sub: `${LIST_URI}-other`, iat: NOW_S, statuses: [0] }, issuer.key);
    const r1 = await verifyStatusListToken(other, opts);
    expect(!r1.valid && r1.errors[0]?.code).toBe(VerifierErrorCode.MALFORMED);

    const attestation = await signAttestation(attestationClaims(), issuer.key);
    const r2 = await verifyStatusListToken(attestation, opts);
    expect(!r2.valid && r2.errors[0]?.code).toBe(VerifierErrorCode.WRONG_TYP);

    const expired = await signStatusList({ iss: ISSUER, sub: LIST_URI, iat: NOW_S - 7200, exp: NOW_S - 3600, statuses: [0] }, issuer.key);
    const r3 = await verifyStatusListToken(expired, opts);
    expect(!r3.valid && r3.errors[0]?.code).toBe(VerifierErrorCode.EXPIRED);

    await expect(signStatusList({ iss: ISSUER, sub: LIST_URI, iat: NOW_S, ttl: 0, statuses: [0] }, issuer.key)).rejects.toThrow(TypeError);
    await expect(verifyStatusListToken(other, { issuer: ISSUER, jwks: issuer.jwks } as never)).rejects.toThrow(TypeError);
  });
});
