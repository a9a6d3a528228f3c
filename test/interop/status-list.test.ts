/**
 * Interop: `@sd-jwt/jwt-status-list` (the OpenWallet Foundation's SD-JWT libraries) reads the
 * status lists the service serves, plain and gzipped, exactly as our verifier does.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { decodeStatusList, verifyStatusListToken } from '@trust-alliance/verifier';
import type { TestServer } from '../api/helpers.ts';
import { attestationOf, seededServer } from './server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await seededServer();
});
afterAll(() => t?.close());

describe('@sd-jwt/jwt-status-list reads our status lists', () => {
  it('agrees with our verifier on every entry, and on a suspension', async () => {
    const kol = 'https://www.tiktok.com/@thuha.cantho';
    const { uri, idx } = await attestationOf(t, kol);
    const read = async () => {
      const res = await t.http(new URL(uri).pathname, { headers: { 'accept-encoding': 'gzip' } });
      // Node's fetch undoes Content-Encoding itself; the body is the token.
      return (await res.text()).trim();
    };
    const jwt = await read();
    const theirs = getListFromStatusListJWT(jwt);
    const ours = await verifyStatusListToken(jwt, { issuer: t.origin, jwksUrl: `${t.origin}/.well-known/jwks.json`, uri });
    expect(ours.valid).toBe(true);
    if (!ours.valid) return;
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
    const decoded = await decodeStatusList(payload.status_list.lst, payload.status_list.bits);
    expect(decoded.length).toBe(100_000);
    for (let i = 0; i < decoded.length; i++) if (theirs.getStatus(i) !== decoded[i]) throw new Error(`entry ${i}: theirs ${theirs.getStatus(i)}, ours ${decoded[i]}`);
    expect(theirs.getStatus(idx)).toBe(0);

    await t.registry.suspendBadge({ badgeId: (await t.registry.verify({ url: kol })).badges[0]!.id, reasonCategory: 'UNDER_INVESTIGATION' });
    expect(getListFromStatusListJWT(await read()).getStatus(idx)).toBe(2);
  });

  it('the gzipped representation is the same token', async () => {
    const { uri } = await attestationOf(t, 'https://www.facebook.com/tinnhiemso.cantho');
    const path = new URL(uri).pathname;
    const gz = await t.app.yoga.fetch(`http://yoga${path}`, { headers: { 'accept-encoding': 'gzip' } });
    const plain = await t.app.yoga.fetch(`http://yoga${path}`);
    const token = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8');
    expect(token).toBe(await plain.text());
    expect(() => getListFromStatusListJWT(token)).not.toThrow();
  });
});
