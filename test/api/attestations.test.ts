/**
 * Signed statements through GraphQL: `VerificationResult.attestation` and `lookalikeOf`,
 * `verify(…, signed: true)` → `signedAnswer`, `Badge.attestation`, `attestation(id)` with its
 * decoded claims, and `auditLog` with a signed checkpoint and inclusion and consistency proofs,
 * each checked with @trust-alliance/verifier against the registry's published key set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  leafHash,
  verifyAttestation,
  verifyCheckpoint,
  verifyLogConsistency,
  verifyLogInclusion,
  verifySignedAnswer,
  type Checkpoint,
} from '@trust-alliance/verifier';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
const ALLIANCE_PAGE = 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share';

beforeAll(async () => {
  t = await openTestApp();
  expect((await seedDemo(t.registry)).seeded).toBe(true);
});
afterAll(() => t?.close());

const keys = async () => ({ issuer: t.registry.issuer, jwks: await t.registry.keys.publicJwks() });
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

const VERIFY_SIGNED = `query($input: VerifyInput!, $signed: Boolean) {
  verify(input: $input, signed: $signed) { status account { key } badges { id status } attestation signedAnswer lookalikeOf { platform key url displayName } }
}`;

describe('VerificationResult.attestation and signedAnswer', () => {
  it('returns the current attestation of the active badge, verifiable offline', async () => {
    const res = await t.gql(VERIFY_SIGNED, { input: { url: ALLIANCE_PAGE } });
    expect(res.errors).toBeUndefined();
    const answer = res.data!.verify;
    expect(answer.status).toBe('VERIFIED');
    expect(answer.signedAnswer).toBeNull();
    expect(decodeProtectedHeader(answer.attestation).typ).toBe('trust-mark+jwt');
    const result = await verifyAttestation(answer.attestation, { ...(await keys()), statusList: 'skip' });
    expect(result.valid).toBe(true);
    if (result.valid) expect(result.claims.accounts.map((a) => a.key)).toContain(answer.account.key);
    // The same JWS as Badge.attestation and as core's current attestation.
    const badge = await t.gql('query($id: ID!) { badge(id: $id) { attestation } }', { id: answer.badges[0].id });
    expect(badge.data!.badge.attestation).toBe(answer.attestation);
    const raw = (await t.registry.verify({ url: ALLIANCE_PAGE })).badges[0]!.id;
    expect((await t.registry.currentAttestation(raw))!.jws).toBe(answer.attestation);
  });

  it('is null without an active badge (suspended, unknown, invalid input)', async () => {
    for (const url of ['https://www.tiktok.com/@giahuy.congnghe', 'https://www.facebook.com/some.unknown.page', 'hello world']) {
      const res = await t.gql(VERIFY_SIGNED, { input: { url } });
      expect(res.errors, url).toBeUndefined();
      expect(res.data!.verify.attestation, url).toBeNull();
    }
  });

  it('signs the answer with signed: true; the verifier accepts it and it says what was answered', async () => {
    const res = await t.gql(VERIFY_SIGNED, { input: { url: ALLIANCE_PAGE }, signed: true });
    const { signedAnswer, account, status, badges } = res.data!.verify;
    expect(decodeProtectedHeader(signedAnswer).typ).toBe('trust-verification+jwt');
    const verified = await verifySignedAnswer(signedAnswer, await keys());
    expect(verified.valid).toBe(true);
    if (!verified.valid) return;
    expect(verified.claims).toMatchObject({ iss: t.registry.issuer, input: ALLIANCE_PAGE, key: account.key, status });
    expect(verified.claims.badges).toHaveLength(badges.length);
    // A signed answer is not an attestation, and the reverse.
    expect(await verifyAttestation(signedAnswer, { ...(await keys()), statusList: 'skip' })).toMatchObject({ valid: false, errors: [{ code: 'WRONG_TYP' }] });
    const attestation = res.data!.verify.attestation as string;
    expect(await verifySignedAnswer(attestation, await keys())).toMatchObject({ valid: false, errors: [{ code: 'WRONG_TYP' }] });
  });

  it('signs NOT_FOUND answers too, and aliases with and without signing in one request', async () => {
    const res = await t.gql(`{
      a: verify(input: { url: "https://www.facebook.com/some.unknown.page" }, signed: true) { status signedAnswer }
      b: verify(input: { url: "https://www.facebook.com/some.unknown.page" }) { status signedAnswer }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.a.status).toBe('NOT_FOUND');
    expect(res.data!.b.signedAnswer).toBeNull();
    const verified = await verifySignedAnswer(res.data!.a.signedAnswer, await keys());
    expect(verified.valid && verified.claims.status).toBe('NOT_FOUND');
  });

  it('lists lookalikes of a verified page', async () => {
    const res = await t.gql(VERIFY_SIGNED, { input: { url: 'https://www.facebook.com/tinnhiemso.cantha' } });
    expect(res.data!.verify.status).toBe('NOT_FOUND');
    expect(res.data!.verify.lookalikeOf).toEqual([
      { platform: 'FACEBOOK', key: 'facebook:tinnhiemsocantho', url: 'https://www.facebook.com/tinnhiemso.cantho', displayName: 'Liên minh Tín nhiệm số Cần Thơ' },
    ]);
    const plain = await t.gql(VERIFY_SIGNED, { input: { url: ALLIANCE_PAGE } });
    expect(plain.data!.verify.lookalikeOf).toEqual([]);
  });

  it('gives each answer of verifyMany its attestation', async () => {
    const many = await t.gql('query($i: [VerifyInput!]!) { verifyMany(inputs: $i) { status attestation signedAnswer } }', { i: [{ url: ALLIANCE_PAGE }, { url: 'https://zalo.me/g/tinnhiemsocantho' }, { url: 'https://www.facebook.com/some.unknown.page' }] }, 'PLATFORM');
    expect(many.errors).toBeUndefined();
    const [a, b, c] = many.data!.verifyMany;
    expect(a.attestation).toMatch(/^ey/);
    expect(b.attestation).toBe(a.attestation); // the same member's same badge
    expect(c).toEqual({ status: 'NOT_FOUND', attestation: null, signedAnswer: null });
  });
});

describe('attestation(id)', () => {
  it('returns the attestation with its decoded claims, key, status-list reference and badge', async () => {
    const jws = (await t.gql(VERIFY_SIGNED, { input: { url: ALLIANCE_PAGE } })).data!.verify.attestation as string;
    const claims = decodeJwt(jws);
    const res = await t.gql('query($id: ID!) { attestation(id: $id) { id jws kid issuedAt expiresAt supersededAt statusListUri statusIdx claims badge { id program } } }', { id: claims.jti });
    expect(res.errors).toBeUndefined();
    const a = res.data!.attestation;
    expect(a).toMatchObject({ id: claims.jti, jws, kid: decodeProtectedHeader(jws).kid, supersededAt: null, claims, badge: { program: 'OFFICIAL_CHANNEL' } });
    expect(a.statusListUri).toBe((claims.status as { status_list: { uri: string } }).status_list.uri);
    expect(a.statusIdx).toBe((claims.status as { status_list: { idx: number } }).status_list.idx);
    expect(Math.floor(Date.parse(a.expiresAt) / 1000)).toBe(claims.exp);
    expect((await t.gql('{ attestation(id: "00000000-0000-0000-0000-000000000000") { id } }')).data!.attestation).toBeNull();
  });
});

describe('auditLog', () => {
  const LOG = `query($from: Int, $count: Int) { auditLog(from: $from, count: $count) { size entries { idx kind payload leafHash createdAt } checkpoint { jwt size rootHash } } }`;

  it('pages entries, signs a checkpoint the verifier accepts, and proves inclusion of each entry', async () => {
    const res = await t.gql(LOG, { from: 0, count: 5 });
    expect(res.errors).toBeUndefined();
    const log = res.data!.auditLog;
    expect(log.size).toBeGreaterThan(5);
    expect(log.entries.map((e: { idx: number }) => e.idx)).toEqual([0, 1, 2, 3, 4]);
    const cp = await verifyCheckpoint(log.checkpoint.jwt, await keys());
    expect(cp.valid).toBe(true);
    if (!cp.valid) return;
    expect(cp.claims).toMatchObject({ size: log.checkpoint.size, root_hash: log.checkpoint.rootHash });
    for (const entry of log.entries) {
      const hash = await leafHash(new TextEncoder().encode(entry.payload));
      expect(Buffer.from(hash).toString('base64url')).toBe(entry.leafHash);
      const proof = await t.gql('query($i: Int!, $n: Int!) { auditLog { inclusionProof(idx: $i, treeSize: $n) } }', { i: entry.idx, n: cp.claims.size });
      expect(await verifyLogInclusion(hash, entry.idx, proof.data!.auditLog.inclusionProof.map(b64), cp.claims)).toEqual({ valid: true });
    }
    // No personal data: the demo members' phone numbers and e-mails never appear.
    const all = await t.gql(LOG, { from: 0, count: 100 });
    expect(JSON.stringify(all.data!.auditLog.entries)).not.toMatch(/@gmail|\+84|legalName|idNumber/);
  });

  it('proves that a later checkpoint extends an earlier one', async () => {
    const older = (await t.gql(LOG, { count: 1 })).data!.auditLog.checkpoint;
    const badgeId = (await t.registry.verify({ url: 'https://www.tiktok.com/@thuha.cantho' })).badges[0]!.id;
    await t.registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    await t.registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' });
    // Checkpoints are signed when the log has grown, at most once a second (issue 14).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const newer = (await t.gql(LOG, { count: 1 })).data!.auditLog.checkpoint;
    expect(newer.size).toBeGreaterThan(older.size);
    const proof = await t.gql('query($o: Int!, $n: Int!) { auditLog { consistencyProof(oldSize: $o, newSize: $n) } }', { o: older.size, n: newer.size });
    const claims = async (jwt: string) => {
      const v = await verifyCheckpoint(jwt, await keys());
      if (!v.valid) throw new Error(v.errors[0].message);
      return v.claims as Checkpoint;
    };
    expect(await verifyLogConsistency(await claims(older.jwt), await claims(newer.jwt), proof.data!.auditLog.consistencyProof.map(b64))).toEqual({ valid: true });
  });

  it('refuses out-of-range pages and proofs with a code', async () => {
    expect(codeOf(await t.gql(LOG, { count: 101 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(LOG, { from: -1 }))).toBe('BAD_USER_INPUT');
    const size = (await t.gql(LOG, { count: 1 })).data!.auditLog.size as number;
    expect(codeOf(await t.gql('query($n: Int!) { auditLog { inclusionProof(idx: $n, treeSize: $n) } }', { n: size }))).toBe('INVALID_INPUT');
    expect(codeOf(await t.gql('query($n: Int!) { auditLog { consistencyProof(oldSize: 1, newSize: $n) } }', { n: size + 10 }))).toBe('INVALID_INPUT');
  });
});
