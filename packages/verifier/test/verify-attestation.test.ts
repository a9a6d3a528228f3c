import { SignJWT, base64url, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_TYP,
  StatusListCache,
  StatusValue,
  VerifierErrorCode,
  signAttestation,
  signSignedAnswer,
  signStatusList,
  verifyAttestation,
} from '../src/index.ts';
import type { AllowedAlgorithm, AttestationVerification, VerifyAttestationOptions } from '../src/index.ts';
import { ISSUER, LIST_URI, NOW, NOW_S, attestationClaims, b64u, fakeFetch, makeIssuer } from './helpers.ts';
import type { TestIssuer } from './helpers.ts';

function codes(r: AttestationVerification): string[] {
  return r.valid ? [] : r.errors.map((e) => e.code);
}

async function statusListJwt(issuer: TestIssuer, statuses: number[], extra: { ttl?: number; exp?: number; sub?: string; iat?: number } = {}) {
  return signStatusList(
    {
      iss: ISSUER,
      sub: extra.sub ?? LIST_URI,
      iat: extra.iat ?? NOW_S - 60,
      ...(extra.exp === undefined ? {} : { exp: extra.exp }),
      ttl: extra.ttl ?? 300,
      statuses,
    },
    issuer.key,
  );
}

const skip = { statusList: 'skip' as const };

describe.each<AllowedAlgorithm>(['EdDSA', 'ES256'])('verifyAttestation with %s', (alg) => {
  it('round-trips: signed by core, verified by a platform', async () => {
    const issuer = await makeIssuer(alg);
    const claims = attestationClaims();
    const jws = await signAttestation(claims, issuer.key);
    expect(decodeProtectedHeader(jws)).toEqual({ alg, kid: issuer.key.kid, typ: 'trust-mark+jwt' });
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, ...skip });
    expect(r).toEqual({ valid: true, claims, status: 'UNKNOWN' });
  });

  it('reads VALID, SUSPENDED and INVALID from the status list', async () => {
    const issuer = await makeIssuer(alg);
    const net = fakeFetch();
    const statuses = [0, 0, 0, 0, 0, StatusValue.VALID, StatusValue.SUSPENDED, StatusValue.INVALID];
    net.serve(LIST_URI, await statusListJwt(issuer, statuses));
    const opts: VerifyAttestationOptions = { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: new StatusListCache() };

    const valid = await verifyAttestation(await signAttestation(attestationClaims(), issuer.key), opts);
    expect(valid.valid && valid.status).toBe('VALID');

    const suspendedClaims = attestationClaims({ status: { status_list: { idx: 6, uri: LIST_URI } } });
    const suspended = await verifyAttestation(await signAttestation(suspendedClaims, issuer.key), opts);
    expect(codes(suspended)).toEqual([VerifierErrorCode.SUSPENDED]);
    expect(!suspended.valid && suspended.claims).toEqual(suspendedClaims);

    const revoked = await verifyAttestation(await signAttestation(attestationClaims({ status: { status_list: { idx: 7, uri: LIST_URI } } }), issuer.key), opts);
    expect(codes(revoked)).toEqual([VerifierErrorCode.REVOKED]);
    expect(net.calls).toEqual([LIST_URI]); // one fetch for three checks
  });
});

describe('verifyAttestation rejects', () => {
  const setup = async () => {
    const issuer = await makeIssuer('EdDSA');
    const jws = await signAttestation(attestationClaims(), issuer.key);
    const opts = { issuer: ISSUER, jwks: issuer.jwks, now: NOW, ...skip };
    return { issuer, jws, opts };
  };

  it('a tampered payload (BAD_SIGNATURE)', async () => {
    const { jws, opts } = await setup();
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    payload.sub = 'mem_IMPOSTOR';
    const tampered = `${h}.${b64u(JSON.stringify(payload))}.${s}`;
    expect(codes(await verifyAttestation(tampered, opts))).toEqual([VerifierErrorCode.BAD_SIGNATURE]);
  });

  it('a token re-signed by another key under our kid (BAD_SIGNATURE)', async () => {
    const { issuer, opts } = await setup();
    const attacker = await makeIssuer('EdDSA', issuer.key.kid);
    const forged = await signAttestation(attestationClaims(), attacker.key);
    expect(codes(await verifyAttestation(forged, opts))).toEqual([VerifierErrorCode.BAD_SIGNATURE]);
  });

  it('a token signed by a key not in the set (UNKNOWN_KEY)', async () => {
    const { opts } = await setup();
    const attacker = await makeIssuer('EdDSA', 'attacker-key');
    const forged = await signAttestation(attestationClaims(), attacker.key);
    expect(codes(await verifyAttestation(forged, opts))).toEqual([VerifierErrorCode.UNKNOWN_KEY]);
  });

  it('an unsecured token, alg none (DISALLOWED_ALGORITHM)', async () => {
    const { opts } = await setup();
    const unsecured = `${b64u(JSON.stringify({ alg: 'none', typ: 'trust-mark+jwt' }))}.${b64u(JSON.stringify(attestationClaims()))}.`;
    expect(codes(await verifyAttestation(unsecured, opts))).toEqual([VerifierErrorCode.DISALLOWED_ALGORITHM]);
  });

  it('an HS256 token keyed with our public key bytes (DISALLOWED_ALGORITHM)', async () => {
    const { issuer, opts } = await setup();
    const publicKeyBytes = base64url.decode(issuer.publicJwk.x as string);
    for (const secret of [publicKeyBytes, new TextEncoder().encode(JSON.stringify(issuer.publicJwk))]) {
      const hmac = await new SignJWT({ ...attestationClaims() })
        .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid, typ: 'trust-mark+jwt' })
        .sign(secret);
      expect(codes(await verifyAttestation(hmac, opts))).toEqual([VerifierErrorCode.DISALLOWED_ALGORITHM]);
    }
  });

  it('an HS256 token even when a naive key resolver hands out the public key bytes (DISALLOWED_ALGORITHM)', async () => {
    const { issuer } = await setup();
    const publicKeyBytes = base64url.decode(issuer.publicJwk.x as string);
    const hmac = await new SignJWT({ ...attestationClaims() })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid, typ: 'trust-mark+jwt' })
      .sign(publicKeyBytes);
    const naive = async () => publicKeyBytes; // the classic confusion: "the key for this kid"
    const r = await verifyAttestation(hmac, { issuer: ISSUER, jwks: naive as never, now: NOW, ...skip });
    expect(codes(r)).toEqual([VerifierErrorCode.DISALLOWED_ALGORITHM]);
  });

  it('an RS256 token signed by an RSA key that is in the set (DISALLOWED_ALGORITHM)', async () => {
    const { issuer } = await setup();
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' };
    const jws = await new SignJWT({ ...attestationClaims() }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1', typ: 'trust-mark+jwt' }).sign(rsa.privateKey);
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: { keys: [issuer.publicJwk, rsaJwk] }, now: NOW, ...skip });
    expect(codes(r)).toEqual([VerifierErrorCode.DISALLOWED_ALGORITHM]);
  });

  it('an access token (typ at+jwt) signed with the right key (WRONG_TYP)', async () => {
    const { issuer, opts } = await setup();
    const at = await new SignJWT({ ...attestationClaims() })
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: ACCESS_TOKEN_TYP })
      .sign(issuer.key.privateKey);
    expect(codes(await verifyAttestation(at, opts))).toEqual([VerifierErrorCode.WRONG_TYP]);
  });

  it('a token without typ, and a signed answer (WRONG_TYP)', async () => {
    const { issuer, opts } = await setup();
    const noTyp = await new SignJWT({ ...attestationClaims() }).setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid }).sign(issuer.key.privateKey);
    expect(codes(await verifyAttestation(noTyp, opts))).toEqual([VerifierErrorCode.WRONG_TYP]);
    const answer = await signSignedAnswer(
      { iss: ISSUER, iat: NOW_S, jti: 'ans_1', input: 'https://fb.com/x', key: null, status: 'NOT_FOUND', checked_at: NOW_S, badges: [] },
      issuer.key,
    );
    expect(codes(await verifyAttestation(answer, opts))).toEqual([VerifierErrorCode.WRONG_TYP]);
  });

  it('an expired attestation (EXPIRED)', async () => {
    const { issuer, opts } = await setup();
    const jws = await signAttestation(attestationClaims({ iat: NOW_S - 400 * 86400, exp: NOW_S - 3600 }), issuer.key);
    expect(codes(await verifyAttestation(jws, opts))).toEqual([VerifierErrorCode.EXPIRED]);
    // …which was valid the day before it expired.
    expect((await verifyAttestation(jws, { ...opts, now: new Date((NOW_S - 86400) * 1000) })).valid).toBe(true);
  });

  it('an attestation issued in the future, by iat or nbf (NOT_YET_VALID)', async () => {
    const { issuer, opts } = await setup();
    const future = await signAttestation(attestationClaims({ iat: NOW_S + 600 }), issuer.key);
    expect(codes(await verifyAttestation(future, opts))).toEqual([VerifierErrorCode.NOT_YET_VALID]);
    expect((await verifyAttestation(future, { ...opts, clockTolerance: 601 })).valid).toBe(true);
    const nbf = await signAttestation({ ...attestationClaims(), nbf: NOW_S + 600 } as never, issuer.key);
    expect(codes(await verifyAttestation(nbf, opts))).toEqual([VerifierErrorCode.NOT_YET_VALID]);
  });

  it('another issuer, or none (WRONG_ISSUER)', async () => {
    const { issuer, jws, opts } = await setup();
    expect(codes(await verifyAttestation(jws, { ...opts, issuer: 'https://evil.example' }))).toEqual([VerifierErrorCode.WRONG_ISSUER]);
    const noIss = await new SignJWT({ ...attestationClaims(), iss: undefined })
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: 'trust-mark+jwt' })
      .sign(issuer.key.privateKey);
    expect(codes(await verifyAttestation(noIss, opts))).toEqual([VerifierErrorCode.WRONG_ISSUER]);
  });

  it('garbage and bad claim shapes (MALFORMED)', async () => {
    const { issuer, opts } = await setup();
    for (const garbage of ['', 'not.a.jwt', 'a.b', 42 as unknown as string]) {
      expect(codes(await verifyAttestation(garbage, opts))).toEqual([VerifierErrorCode.MALFORMED]);
    }
    const noAccounts = await new SignJWT({ ...attestationClaims(), accounts: 'all of them' })
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.key.kid, typ: 'trust-mark+jwt' })
      .sign(issuer.key.privateKey);
    const r = await verifyAttestation(noAccounts, opts);
    expect(codes(r)).toEqual([VerifierErrorCode.MALFORMED]);
    expect(!r.valid && r.errors[0]?.message).toContain('accounts');
  });

  it('misuse with TypeError, not a result', async () => {
    const { jws, issuer } = await setup();
    await expect(verifyAttestation(jws, { jwks: issuer.jwks } as never)).rejects.toThrow(TypeError);
    await expect(verifyAttestation(jws, { issuer: ISSUER } as never)).rejects.toThrow(TypeError);
    await expect(verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, statusList: 'maybe' } as never)).rejects.toThrow(TypeError);
    await expect(signAttestation({ ...attestationClaims(), pledge: undefined } as never, issuer.key)).rejects.toThrow(TypeError);
    await expect(signAttestation(attestationClaims(), { ...issuer.key, alg: 'HS256' } as never)).rejects.toThrow(TypeError);
  });
});

describe('verifyAttestation key discovery', () => {
  it('fetches the key set from jwksUrl', async () => {
    const issuer = await makeIssuer('ES256');
    const net = fakeFetch();
    const jwksUrl = `${ISSUER}/.well-known/jwks.json`;
    net.serve(jwksUrl, JSON.stringify(issuer.jwks));
    const jws = await signAttestation(attestationClaims(), issuer.key);
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwksUrl, fetch: net.fetch, now: NOW, ...skip });
    expect(r.valid).toBe(true);
    // The key history is read beside the key set (absent here: the key set alone decides).
    expect([...net.calls].sort()).toEqual([jwksUrl, `${ISSUER}/.well-known/trust-alliance/keys`].sort());
  });

  it('says KEYS_UNAVAILABLE when the key set cannot be fetched', async () => {
    const issuer = await makeIssuer('EdDSA');
    const jws = await signAttestation(attestationClaims(), issuer.key);
    const net = fakeFetch();
    net.fail(`${ISSUER}/.well-known/jwks.json`);
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwksUrl: `${ISSUER}/.well-known/jwks.json`, fetch: net.fetch, now: NOW, ...skip });
    expect(codes(r)).toEqual([VerifierErrorCode.KEYS_UNAVAILABLE]);
    const net404 = fakeFetch();
    const r404 = await verifyAttestation(jws, { issuer: ISSUER, jwksUrl: `${ISSUER}/.well-known/jwks.json`, fetch: net404.fetch, now: NOW, ...skip });
    expect(codes(r404)).toEqual([VerifierErrorCode.KEYS_UNAVAILABLE]);
  });
});

describe('verifyAttestation status list', () => {
  const setup = async (statuses: number[] = [0, 0, 0, 0, 0, 0], extra: Parameters<typeof statusListJwt>[2] = {}) => {
    const issuer = await makeIssuer('EdDSA');
    const net = fakeFetch();
    net.serve(LIST_URI, await statusListJwt(issuer, statuses, extra));
    const jws = await signAttestation(attestationClaims(), issuer.key);
    return { issuer, net, jws };
  };

  it('is STATUS_UNAVAILABLE when the list cannot be fetched, and says why', async () => {
    const { issuer, jws } = await setup();
    const down = fakeFetch();
    down.fail(LIST_URI);
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: down.fetch, statusList: new StatusListCache() });
    expect(codes(r)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE]);
    expect(!r.valid && r.claims?.sub).toBe('mem_01HZX');
    const missing = fakeFetch();
    const r404 = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: missing.fetch, statusList: new StatusListCache() });
    expect(codes(r404)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE]);
  });

  it('does not trust a status list signed by someone else', async () => {
    const { issuer, jws } = await setup();
    const attacker = await makeIssuer('EdDSA', 'attacker');
    const net = fakeFetch();
    net.serve(LIST_URI, await statusListJwt(attacker, [0, 0, 0, 0, 0, 0]));
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: new StatusListCache() });
    expect(codes(r)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.UNKNOWN_KEY]);
  });

  it('does not accept a list served for another URI, nor an attestation as a list', async () => {
    const { issuer, jws } = await setup();
    const net = fakeFetch();
    net.serve(LIST_URI, await statusListJwt(issuer, [0, 0, 0, 0, 0, 0], { sub: `${ISSUER}/status/2` }));
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: new StatusListCache() });
    expect(codes(r)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.MALFORMED]);
    const wrongTyp = fakeFetch();
    wrongTyp.serve(LIST_URI, jws);
    const r2 = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: wrongTyp.fetch, statusList: new StatusListCache() });
    expect(codes(r2)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.WRONG_TYP]);
  });

  it('refuses an expired list, and an index the list does not cover', async () => {
    const { issuer, jws } = await setup([0, 0, 0, 0, 0, 0], { exp: NOW_S - 3600, iat: NOW_S - 7200 });
    const net = fakeFetch();
    net.serve(LIST_URI, await statusListJwt(issuer, [0, 0, 0, 0, 0, 0], { exp: NOW_S - 3600, iat: NOW_S - 7200 }));
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: new StatusListCache() });
    expect(codes(r)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE, VerifierErrorCode.EXPIRED]);

    const short = fakeFetch();
    short.serve(LIST_URI, await statusListJwt(issuer, [0])); // 1 entry → one byte → indices 0..3
    const far = await signAttestation(attestationClaims({ status: { status_list: { idx: 4, uri: LIST_URI } } }), issuer.key);
    const r2 = await verifyAttestation(far, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: short.fetch, statusList: new StatusListCache() });
    expect(codes(r2)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE]);
  });

  it('treats the application-specific value 3 as unavailable, not valid', async () => {
    const { issuer, jws } = await setup();
    const net = fakeFetch();
    net.serve(LIST_URI, await statusListJwt(issuer, [0, 0, 0, 0, 0, 3]));
    const r = await verifyAttestation(jws, { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: new StatusListCache() });
    expect(codes(r)).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE]);
  });

  it('caches a list for its ttl, by the injected clock', async () => {
    const { issuer, net, jws } = await setup([0, 0, 0, 0, 0, 0], { ttl: 120 });
    let clock = 1_000_000;
    const cache = new StatusListCache({ now: () => clock });
    const opts = { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: cache };

    expect((await verifyAttestation(jws, opts)).valid).toBe(true);
    expect(net.calls).toHaveLength(1);
    // The badge is suspended at the issuer; within the ttl the cached list still answers.
    net.serve(LIST_URI, await statusListJwt(issuer, [0, 0, 0, 0, 0, StatusValue.SUSPENDED], { ttl: 120 }));
    clock += 119_000;
    expect((await verifyAttestation(jws, opts)).valid).toBe(true);
    expect(net.calls).toHaveLength(1);
    // Past the ttl, the list is fetched again and the suspension is seen.
    clock += 1_000;
    expect(codes(await verifyAttestation(jws, opts))).toEqual([VerifierErrorCode.SUSPENDED]);
    expect(net.calls).toHaveLength(2);
  });

  it('shares one fetch between concurrent checks, and does not cache failures', async () => {
    const { issuer, net, jws } = await setup();
    const cache = new StatusListCache();
    const opts = { issuer: ISSUER, jwks: issuer.jwks, now: NOW, fetch: net.fetch, statusList: cache };
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyAttestation(jws, opts)));
    expect(results.every((r) => r.valid)).toBe(true);
    expect(net.calls).toHaveLength(1);

    const flaky = fakeFetch();
    flaky.fail(LIST_URI);
    const cache2 = new StatusListCache();
    const opts2 = { ...opts, fetch: flaky.fetch, statusList: cache2 };
    expect(codes(await verifyAttestation(jws, opts2))).toEqual([VerifierErrorCode.STATUS_UNAVAILABLE]);
    flaky.serve(LIST_URI, await statusListJwt(issuer, [0, 0, 0, 0, 0, 0]));
    expect((await verifyAttestation(jws, opts2)).valid).toBe(true);
    expect(flaky.calls).toHaveLength(2);
  });
});
