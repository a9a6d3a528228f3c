/**
 * Issue 4, "Done when", end to end: the service runs over real HTTP on 127.0.0.1 (ephemeral
 * port; the registry's issuer is the server's origin); an attestation fetched from it verifies
 * with @trust-alliance/verifier in a SEPARATE node process given only the issuer URL; after
 * `revokeBadge` over GraphQL that process, with its status-list cache, still says valid before
 * the list's `ttl` has passed and REVOKED after (its clock is moved forward, no sleeping); a
 * fresh process (fresh cache) says REVOKED at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createVerifiedMember } from '@trust-alliance/core/testing';
import { openTestServer, type TestServer } from '../api/helpers.ts';
import { VerifierProcess } from './verifier-client.ts';
import { graphqlData } from './graphql-over-http.ts';

let t: TestServer;
const children: VerifierProcess[] = [];
const PAGE = 'https://www.facebook.com/e2e.kol.page';

beforeAll(async () => {
  t = await openTestServer();
  await createVerifiedMember(t.registry, { accounts: [PAGE] });
});
afterAll(async () => {
  for (const child of children) await child.stop();
  await t?.close();
});

const gqlHttp = (query: string, variables: Record<string, unknown> = {}, token?: string) => graphqlData(t.origin, query, variables, token);

describe('an attestation from the running service, verified in another process by the issuer URL alone', () => {
  it('is valid; after revokeBadge it stays valid until the status list ttl has passed, then REVOKED; a fresh process sees REVOKED at once', async () => {
    expect(t.registry.issuer).toBe(t.origin);
    const verified = await gqlHttp('query($u: String!) { verify(input: { url: $u }) { status attestation badges { id } } }', { u: PAGE });
    expect(verified.verify.status).toBe('VERIFIED');
    const jws = verified.verify.attestation as string;
    expect(jws).toBeTruthy();

    const platform = new VerifierProcess(t.origin);
    children.push(platform);
    expect(platform.pid).not.toBe(process.pid);
    const first = await platform.verify(jws);
    expect(first).toMatchObject({ valid: true, status: 'VALID', sub: decodeJwt(jws).sub });

    // The list's ttl, as served.
    const uri = (decodeJwt(jws) as { status: { status_list: { uri: string } } }).status.status_list.uri;
    const ttl = (decodeJwt(await (await fetch(uri)).text()) as { ttl: number }).ttl;
    expect(ttl).toBeGreaterThan(20);

    const officer = await t.token('OFFICER');
    const revoked = await gqlHttp(
      'mutation($input: BadgeChangeInput!) { revokeBadge(input: $input) { __typename ... on BadgePayload { badge { status } } } }',
      { input: { badgeId: verified.verify.badges[0].id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION', reasonPrivate: 'e2e' } },
      officer,
    );
    expect(revoked.revokeBadge).toEqual({ __typename: 'BadgePayload', badge: { status: 'REVOKED' } });

    // Same process, cached list: still valid right after, and just before the ttl runs out.
    expect(await platform.verify(jws)).toMatchObject({ valid: true, status: 'VALID' });
    // (20 s short of it: the process clock runs in real time too, and a busy machine is slow.)
    expect(await platform.verify(jws, ttl - 20)).toMatchObject({ valid: true, status: 'VALID' });
    // Past the ttl: the list is fetched again and the entry says revoked.
    expect(await platform.verify(jws, 21)).toMatchObject({ valid: false, code: 'REVOKED' });

    // A new process has no cache: revoked at once.
    const fresh = new VerifierProcess(t.origin);
    children.push(fresh);
    expect(await fresh.verify(jws)).toMatchObject({ valid: false, code: 'REVOKED' });
  });
});
