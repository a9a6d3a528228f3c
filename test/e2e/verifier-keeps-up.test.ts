/**
 * Issue 9, item 8 ("the verifier trusts stale or withdrawn state too long"), end to end: the
 * service runs over real HTTP, and a platform's verifier runs in a SEPARATE long-running process
 * that knows only the issuer URL (verifier-process.ts). Clocks are moved, never waited on; where
 * the old list is "replayed", the test stands between the verifier and the network as a stale
 * HTTP cache or an attacker would.
 *
 * - rollback: after a suspension was seen, the older VALID list served again is refused;
 * - stale list: a validly signed list older than `ttl + STATUS_LIST_GRACE_SECONDS` is refused;
 * - foreign status-list URI: an attestation (signed with the issuer's key) whose list is on
 *   another server is refused, and that server is never asked;
 * - rotation: an attestation signed by the new key right after `rotateSigningKey` verifies at once;
 * - compromise: an attestation forged with a key then marked compromised is refused as soon as
 *   the verifier reads the key history (at most 60 s later).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createVerifiedMember } from '@trust-alliance/core/testing';
import { JWKS_MAX_AGE_SECONDS, STATUS_LIST_GRACE_SECONDS, signAttestation, signStatusList, type AttestationClaims } from '@trust-alliance/verifier';
import { openTestServer, type TestServer } from '../api/helpers.ts';
import { VerifierProcess } from './verifier-client.ts';
import { graphqlData } from './graphql-over-http.ts';

/** Longer than the key cache's 60 s, so the compromise test sees the key check alone, not a list refetch. */
const TTL = 90;
let t: TestServer;
/** Seconds the registry's clock was moved forward; every new verifier starts as far ahead. */
let ahead = 0;
const children: VerifierProcess[] = [];

beforeAll(async () => {
  t = await openTestServer({ registry: { statusListTtlSeconds: TTL } });
});
afterAll(async () => {
  for (const child of children) await child.stop();
  await t?.close();
});

const platform = () => {
  const p = new VerifierProcess(t.origin, ahead);
  children.push(p);
  return p;
};
const advanceRegistry = (seconds: number) => {
  t.clock.advance(seconds * 1000);
  ahead += seconds;
};

const gqlHttp = (query: string, variables: Record<string, unknown> = {}, token?: string) => graphqlData(t.origin, query, variables, token);

/** A verified member's page, its attestation (signed by the registry) and badge id. */
async function verifiedPage(page: string) {
  await createVerifiedMember(t.registry, { accounts: [page] });
  const verified = await gqlHttp('query($u: String!) { verify(input: { url: $u }) { status attestation badges { id } } }', { u: page });
  expect(verified.verify.status).toBe('VERIFIED');
  const jws = verified.verify.attestation as string;
  const claims = decodeJwt(jws) as unknown as AttestationClaims;
  return { jws, claims, uri: claims.status.status_list.uri, badgeId: verified.verify.badges[0].id as string };
}

const listNow = async (uri: string) => {
  const res = await fetch(uri);
  expect(res.status).toBe(200);
  return (await res.text()).trim();
};

describe('a long-running verifier keeps up with the registry', () => {
  it('refuses an older status list replayed after a newer one was seen (rollback), so a suspended badge never turns VALID again', async () => {
    const { jws, uri, badgeId } = await verifiedPage('https://www.facebook.com/e2e.rollback.page');
    const verifier = platform();
    expect(await verifier.verify(jws)).toMatchObject({ valid: true, status: 'VALID' });
    const validList = await listNow(uri);

    advanceRegistry(2); // the next list is signed at a later second
    const suspended = await gqlHttp(
      'mutation($input: BadgeChangeInput!) { suspendBadge(input: $input) { __typename } }',
      { input: { badgeId, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION', reasonPrivate: 'e2e' } },
      await t.token('OFFICER'),
    );
    expect(suspended.suspendBadge.__typename).toBe('BadgePayload');
    expect(await verifier.verify(jws, 2 + TTL)).toMatchObject({ valid: false, code: 'SUSPENDED' });

    // A stale cache (or an attacker) hands the verifier the old VALID list.
    await verifier.serve(uri, validList);
    const replayed = await verifier.verify(jws, TTL + 1);
    expect(replayed).toMatchObject({ valid: false, codes: ['STATUS_UNAVAILABLE', 'STATUS_LIST_ROLLBACK'] });
  });

  it(`refuses a status list older than its ttl plus ${STATUS_LIST_GRACE_SECONDS} s, and takes the fresh one the registry serves`, async () => {
    const { jws, uri } = await verifiedPage('https://www.facebook.com/e2e.stale.page');
    const oldList = await listNow(uri);
    expect(decodeJwt(oldList).ttl).toBe(TTL);
    advanceRegistry(TTL + STATUS_LIST_GRACE_SECONDS + 5);

    const verifier = platform();
    await verifier.serve(uri, oldList);
    expect(await verifier.verify(jws)).toMatchObject({ valid: false, codes: ['STATUS_UNAVAILABLE', 'STATUS_LIST_STALE'] });
    await verifier.unserve(uri);
    expect(await verifier.verify(jws)).toMatchObject({ valid: true, status: 'VALID' });
  });

  it('refuses an attestation whose status list is not under the issuer, and never asks that server', async () => {
    const { claims } = await verifiedPage('https://www.facebook.com/e2e.foreign.page');
    const key = await t.registry.keys.current();
    const hits: string[] = [];
    let foreignList = '';
    const foreign: Server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end(foreignList);
    });
    await new Promise<void>((done) => foreign.listen(0, '127.0.0.1', done));
    try {
      const foreignUri = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/status-lists/1`;
      const iat = Math.floor(t.clock.now().getTime() / 1000);
      // A list that says VALID, signed with the issuer's own key: followed, it would be believed.
      foreignList = await signStatusList({ iss: t.origin, sub: foreignUri, iat, exp: iat + 3600, ttl: TTL, statuses: new Uint8Array(claims.status.status_list.idx + 1) }, key);
      const pointing = await signAttestation({ ...claims, jti: `${claims.jti}-foreign`, status: { status_list: { idx: claims.status.status_list.idx, uri: foreignUri } } }, key);

      const answer = await platform().verify(pointing);
      expect(answer).toMatchObject({ valid: false, code: 'FOREIGN_STATUS_LIST' });
      expect(hits).toEqual([]);
    } finally {
      await new Promise((done) => foreign.close(done));
    }
  });

  it('verifies an attestation signed by the new key right after a rotation, at once', async () => {
    const before = await verifiedPage('https://www.facebook.com/e2e.before.rotation');
    const verifier = platform();
    expect(await verifier.verify(before.jws)).toMatchObject({ valid: true, status: 'VALID' });

    const admin = await t.token('ADMIN');
    const rotated = await gqlHttp('mutation { rotateSigningKey { __typename ... on SigningKeyPayload { signingKey { kid } } } }', {}, admin);
    const newKid = rotated.rotateSigningKey.signingKey.kid as string;
    // The registry signs with its new key at once (signed here directly, so that only moments pass).
    const newKey = await t.registry.keys.current();
    expect(newKey.kid).toBe(newKid);
    expect(newKid).not.toBe(decodeProtectedHeader(before.jws).kid);
    const after = await signAttestation({ ...before.claims, jti: `${before.claims.jti}-after-rotation`, iat: Math.floor(t.clock.now().getTime() / 1000) }, newKey);

    // No clock moved: the verifier fetched the key set moments ago.
    expect(await verifier.verify(after)).toMatchObject({ valid: true, status: 'VALID' });
    expect(await verifier.verify(before.jws)).toMatchObject({ valid: true, status: 'VALID' });
  });

  it(`refuses an attestation forged with a key marked compromised once it has read the key history (within ${JWKS_MAX_AGE_SECONDS} s)`, async () => {
    const { claims } = await verifiedPage('https://www.facebook.com/e2e.compromise.page');
    // The thief holds the registry's current private key and signs what they like.
    const stolen = await t.registry.keys.current();
    const forged = await signAttestation({ ...claims, sub: 'mem_FORGED', jti: 'att_FORGED', member: { display_name: 'Trang Giả Mạo', kind: 'KOL' } }, stolen);
    const verifier = platform();
    expect(await verifier.verify(forged)).toMatchObject({ valid: true, sub: 'mem_FORGED' });

    const marked = await gqlHttp(
      'mutation($kid: String!, $reason: String!) { markSigningKeyCompromised(kid: $kid, reason: $reason) { __typename } }',
      { kid: stolen.kid, reason: 'private key leaked' },
      await t.token('ADMIN'),
    );
    expect(marked.markSigningKeyCompromised.__typename).toBe('SigningKeyPayload');
    const history = (await (await fetch(`${t.origin}/.well-known/trust-alliance/keys`)).json()) as { keys: Array<{ kid: string; status: string }> };
    expect(history.keys.find((k) => k.kid === stolen.kid)?.status).toBe('COMPROMISED');

    expect(await verifier.verify(forged, JWKS_MAX_AGE_SECONDS)).toMatchObject({ valid: false, code: 'KEY_COMPROMISED' });
    // A new process reads the history first: refused at once.
    expect(await platform().verify(forged)).toMatchObject({ valid: false, code: 'KEY_COMPROMISED' });
  });
});
