/**
 * Signing keys through GraphQL and the CLI: `signingKeys` (public key history),
 * `rotateSigningKey` and `markSigningKeyCompromised` (ADMIN only: OFFICER, PLATFORM and PUBLIC
 * refused), their effect on the served key set and on attestations signed before, typed
 * results for unknown and already compromised keys, and `pnpm cli keys` through the running
 * service's loopback admin routes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { jwksUrlFor, verifyAttestation } from '@trust-alliance/verifier';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { adminRoutes } from '../../services/api/src/http/admin.ts';
import { newAdminSecret, writeServiceFile } from '../../services/api/src/lifecycle/service-file.ts';
import { accessTokensFor } from '../../services/api/src/auth/access-tokens.ts';
import { runCli } from '../../services/api/src/cli/main.ts';
import { openTestServer, type TestServer } from './helpers.ts';
import { RESULT_ERROR } from './documents.ts';
import { registryInternals } from '@trust-alliance/core/testing';

let t: TestServer;
let dataDir: string;
const secret = newAdminSecret();
const KOL = 'https://www.tiktok.com/@thuha.cantho';

beforeAll(async () => {
  t = await openTestServer({ extraRoutes: (test) => adminRoutes({ registry: test.registry, tokens: accessTokensFor(test.registry), secret }) });
  expect((await seedDemo(t.registry)).seeded).toBe(true);
  dataDir = await mkdtemp(join(tmpdir(), 'trust-keys-'));
  await writeServiceFile(dataDir, { pid: process.pid, origin: t.origin, adminSecret: secret, startedAt: new Date().toISOString() });
});
afterAll(async () => {
  await t?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const KEYS = '{ signingKeys { kid algorithm status createdAt retiredAt compromisedAt publishUntil reason publicJwk } }';
const ROTATE = `mutation($alg: KeyAlgorithm, $reason: String) { rotateSigningKey(algorithm: $alg, reason: $reason) { __typename ... on SigningKeyPayload { signingKey { kid algorithm status } } ${RESULT_ERROR} } }`;
const COMPROMISE = `mutation($kid: String!, $reason: String!) { markSigningKeyCompromised(kid: $kid, reason: $reason) { __typename ... on SigningKeyPayload { signingKey { kid status reason compromisedAt } } ${RESULT_ERROR} } }`;

const servedKids = async () => ((await (await t.http('/.well-known/jwks.json')).json()) as JSONWebKeySet).keys.map((k) => k.kid);
const attestationOf = async (url: string) => (await t.gql('query($u: String!) { verify(input: { url: $u }) { attestation } }', { u: url })).data!.verify.attestation as string;
const check = (jws: string) => verifyAttestation(jws, { issuer: t.origin, jwks: fetchJwks(), statusList: 'skip' });
let jwksCache: JSONWebKeySet;
const fetchJwks = () => jwksCache;
const refreshJwks = async () => (jwksCache = (await (await t.http('/.well-known/jwks.json')).json()) as JSONWebKeySet);

describe('signingKeys', () => {
  it('is public and lists the current key with its public JWK only', async () => {
    const res = await t.gql(KEYS);
    expect(res.errors).toBeUndefined();
    const [current] = res.data!.signingKeys;
    expect(current).toMatchObject({ status: 'CURRENT', algorithm: 'EdDSA', retiredAt: null, compromisedAt: null, reason: null });
    expect(current.publicJwk).toMatchObject({ kid: current.kid, kty: 'OKP', crv: 'Ed25519' });
    expect(current.publicJwk).not.toHaveProperty('d');
  });
});

describe('rotateSigningKey and markSigningKeyCompromised', () => {
  it('are refused to OFFICER, PLATFORM and PUBLIC with FORBIDDEN, and change nothing', async () => {
    const before = await t.registry.keys.history();
    for (const as of ['OFFICER', 'PLATFORM', undefined] as const) {
      const rotate = await t.gql(ROTATE, { alg: 'ES256' }, as);
      expect(rotate.data?.rotateSigningKey ?? null, String(as)).toBeNull();
      expect(rotate.errors?.[0]?.extensions?.code, String(as)).toBe('FORBIDDEN');
      const compromise = await t.gql(COMPROMISE, { kid: before[0]!.kid, reason: 'test' }, as);
      expect(compromise.errors?.[0]?.extensions?.code, String(as)).toBe('FORBIDDEN');
    }
    expect(await t.registry.keys.history()).toEqual(before);
  });

  it('ADMIN rotates to ES256: the new key signs, the old one stays published and old attestations still verify', async () => {
    const oldAttestation = await attestationOf(KOL);
    const oldKid = decodeProtectedHeader(oldAttestation).kid!;
    const res = await t.gql(ROTATE, { alg: 'ES256', reason: 'annual rotation' }, 'ADMIN');
    expect(res.data!.rotateSigningKey.__typename).toBe('SigningKeyPayload');
    const { kid: newKid, algorithm, status } = res.data!.rotateSigningKey.signingKey;
    expect({ algorithm, status }).toEqual({ algorithm: 'ES256', status: 'CURRENT' });
    expect(newKid).not.toBe(oldKid);
    const history = (await t.gql(KEYS)).data!.signingKeys;
    expect(history.find((k: { kid: string }) => k.kid === oldKid)).toMatchObject({ status: 'RETIRED', reason: 'annual rotation', retiredAt: expect.any(String), publishUntil: expect.any(String) });
    expect(await servedKids()).toEqual(expect.arrayContaining([oldKid, newKid]));
    await refreshJwks();
    expect((await check(oldAttestation)).valid).toBe(true);
    // A badge change now signs with the new key.
    const badgeId = (await t.registry.verify({ url: KOL })).badges[0]!.id;
    await t.registry.renewBadge({ badgeId });
    const renewed = await attestationOf(KOL);
    expect(decodeProtectedHeader(renewed)).toMatchObject({ kid: newKid, alg: 'ES256', typ: 'trust-mark+jwt' });
    expect((await check(renewed)).valid).toBe(true);
    // Through the served key set and the verifier's own fetch, too.
    expect((await verifyAttestation(renewed, { issuer: t.origin, jwksUrl: jwksUrlFor(t.origin), statusList: 'skip' })).valid).toBe(true);
  });

  it('ADMIN marks a retired key compromised: it leaves the key set at once and what it signed no longer verifies', async () => {
    const retired = (await t.registry.keys.history()).find((k) => k.status === 'RETIRED')!;
    const signedByIt = (await registryInternals(t.registry).context.prisma.attestation.findFirst({ where: { kid: retired.kid } }))!.jws;
    const res = await t.gql(COMPROMISE, { kid: retired.kid, reason: 'private key leaked from a backup' }, 'ADMIN');
    expect(res.data!.markSigningKeyCompromised).toMatchObject({ __typename: 'SigningKeyPayload', signingKey: { kid: retired.kid, status: 'COMPROMISED', reason: 'private key leaked from a backup', compromisedAt: expect.any(String) } });
    expect(await servedKids()).not.toContain(retired.kid);
    await refreshJwks();
    expect(await check(signedByIt)).toMatchObject({ valid: false, errors: [{ code: 'UNKNOWN_KEY' }] });
    // The public history keeps it, with the reason, without its JWK.
    const history = (await t.gql(KEYS)).data!.signingKeys;
    expect(history.find((k: { kid: string }) => k.kid === retired.kid)).toMatchObject({ status: 'COMPROMISED', reason: 'private key leaked from a backup', publicJwk: null });
    const served = await (await t.http('/.well-known/trust-alliance/keys')).json();
    expect(served.keys.find((k: { kid: string }) => k.kid === retired.kid)).toMatchObject({ status: 'COMPROMISED', reason: 'private key leaked from a backup', compromised_at: expect.any(String) });
  });

  it('answers typed errors: an unknown kid is NotFoundError, a key compromised twice InvalidTransitionError, an empty reason ValidationError', async () => {
    const unknown = await t.gql(COMPROMISE, { kid: 'no-such-kid', reason: 'x' }, 'ADMIN');
    expect(unknown.data!.markSigningKeyCompromised).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'kid' });
    const compromised = (await t.registry.keys.history()).find((k) => k.status === 'COMPROMISED')!;
    const twice = await t.gql(COMPROMISE, { kid: compromised.kid, reason: 'again' }, 'ADMIN');
    expect(twice.data!.markSigningKeyCompromised).toMatchObject({ __typename: 'InvalidTransitionError', code: 'INVALID_TRANSITION' });
    const current = await t.registry.keys.current();
    const empty = await t.gql(COMPROMISE, { kid: current.kid, reason: '  ' }, 'ADMIN');
    expect(empty.data!.markSigningKeyCompromised).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'reason' });
  });

  it('replaces a compromised current key at once, so signing never stops', async () => {
    const current = await t.registry.keys.current();
    const res = await t.gql(COMPROMISE, { kid: current.kid, reason: 'HSM incident' }, 'ADMIN');
    expect(res.data!.markSigningKeyCompromised.__typename).toBe('SigningKeyPayload');
    const history = (await t.gql(KEYS)).data!.signingKeys;
    const now = history.filter((k: { status: string }) => k.status === 'CURRENT');
    expect(now).toHaveLength(1);
    expect(now[0].kid).not.toBe(current.kid);
    expect(await servedKids()).toContain(now[0].kid);
    expect(await servedKids()).not.toContain(current.kid);
  });
});

describe('pnpm cli keys (through the running service)', () => {
  const run = async (args: string[]) => {
    const prev = { dir: process.env.TRUST_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.TRUST_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      if (prev.dir === undefined) delete process.env.TRUST_DATA_DIR;
      else process.env.TRUST_DATA_DIR = prev.dir;
      if (prev.url !== undefined) process.env.DATABASE_URL = prev.url;
    }
  };

  it('lists, rotates and marks compromised; errors exit non-zero with a clear message', async () => {
    const list = await run(['keys', 'list']);
    expect(list.code, list.err).toBe(0);
    const listed = JSON.parse(list.out) as Array<{ kid: string; status: string }>;
    expect(listed.map((k) => k.kid)).toEqual((await t.registry.keys.history()).map((k) => k.kid));
    expect(list.out).not.toMatch(/publicJwk|"d"/);

    const rotate = await run(['keys', 'rotate', '--algorithm', 'es256', '--reason', 'cli rotation']);
    expect(rotate.code, rotate.err).toBe(0);
    const current = await t.registry.keys.current();
    expect(rotate.out).toContain(current.kid);
    expect(current.alg).toBe('ES256');

    const retired = (await t.registry.keys.history()).find((k) => k.status === 'RETIRED')!;
    const compromise = await run(['keys', 'compromise', retired.kid, '--reason', 'lost laptop']);
    expect(compromise.code, compromise.err).toBe(0);
    expect(compromise.out).toContain(retired.kid);
    expect((await t.registry.keys.history()).find((k) => k.kid === retired.kid)).toMatchObject({ status: 'COMPROMISED', reason: 'lost laptop' });

    const unknown = await run(['keys', 'compromise', 'no-such-kid', '--reason', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/refused/);
  });

  it('prints help and refuses bad arguments with exit 2', async () => {
    const help = await run(['keys', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/pnpm cli keys rotate.*--algorithm/s);
    expect((await run(['--help'])).out).toMatch(/keys/);
    const cases: Array<[string[], RegExp]> = [
      [['keys'], /keys needs an action/],
      [['keys', 'burn'], /Unknown keys action "burn"/],
      [['keys', 'rotate', '--algorithm', 'RS256'], /EdDSA or ES256/],
      [['keys', 'compromise'], /exactly one kid/],
      [['keys', 'compromise', 'abc'], /needs --reason/],
      [['keys', 'compromise', 'abc', '--reason', ''], /--reason must be/],
      [['keys', 'list', 'extra'], /takes no arguments/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });
});
