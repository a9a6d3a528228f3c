/**
 * verify and verifyMany over GraphQL: the demo data, every status, INVALID_INPUT, the batch
 * limit, batching of aliases, and a constant number of SQL queries whatever the batch size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEYS_PER_LOOKUP, MAX_KEYS_SEARCHED_WITH_LOOKUP } from '@trust-alliance/core';
import { openTestRegistry, type TestRegistry, registryInternals } from '@trust-alliance/core/testing';
import { createApp, type App } from '../../services/api/src/server/create-yoga.ts';
import { seedDemo, SCAM_PAGE } from '../../services/api/src/demo/seed-demo.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';
import { VERIFY, VERIFY_FULL } from './documents.ts';
import { schema } from '../../services/api/src/schema/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  const summary = await seedDemo(t.registry);
  expect(summary.seeded).toBe(true);
});
afterAll(() => t?.close());

const status = async (url: string) => (await t.gql(VERIFY, { input: { url } })).data!.verify.status as string;

describe('verify on the demo data', () => {
  it('answers VERIFIED for the alliance fan page by another spelling, with its OFFICIAL_CHANNEL badge', async () => {
    const res = await t.gql(VERIFY, { input: { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' } });
    expect(res.status).toBe(200);
    expect(res.data!.verify).toMatchObject({
      status: 'VERIFIED',
      input: { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share', platform: null, handle: null },
      account: { platform: 'FACEBOOK', key: 'facebook:tinnhiemsocantho', url: 'https://www.facebook.com/tinnhiemso.cantho' },
      member: { displayName: 'Liên minh Tín nhiệm số Cần Thơ', kind: 'AGENCY', province: 'Cần Thơ' },
      error: null,
      flags: [],
    });
    expect(res.data!.verify.badges).toEqual([expect.objectContaining({ program: 'OFFICIAL_CHANNEL', status: 'ACTIVE' })]);
    expect(Date.parse(res.data!.verify.checkedAt)).not.toBeNaN();
  });

  it('answers VERIFIED for the Zalo group, and each status the demo data holds', async () => {
    expect(await status('https://zalo.me/g/tinnhiemsocantho')).toBe('VERIFIED');
    expect(await status('https://www.tiktok.com/@thuha.cantho?lang=vi')).toBe('VERIFIED');
    expect(await status('https://www.tiktok.com/@giahuy.congnghe')).toBe('SUSPENDED'); // badge suspended
    expect(await status('https://www.facebook.com/giaitri.dongthap')).toBe('SUSPENDED'); // member suspended
    expect(await status('https://www.youtube.com/@TaiChinhMienTay/videos')).toBe('REVOKED'); // expelled, badge revoked
    expect(await status('https://zalo.me/g/hoidanvinhlong')).toBe('REVOKED'); // member withdrawn (MEMBER_WITHDRAWN)
    expect(await status('https://www.tiktok.com/@volan.lamdep')).toBe('PENDING'); // applicant
    expect(await status('https://www.facebook.com/some.unknown.page')).toBe('NOT_FOUND');
    const scam = await t.gql(VERIFY, { input: { url: SCAM_PAGE } });
    expect(scam.data!.verify).toMatchObject({ status: 'FLAGGED', flags: [{ category: 'IMPERSONATION' }] });
    // The flagged scam page names the page it impersonates (the verified name plus `hotro`).
    expect((await t.gql(VERIFY_FULL, { input: { url: SCAM_PAGE } })).data!.verify.lookalikeOf).toEqual([{ platform: 'FACEBOOK', key: 'facebook:tinnhiemsocantho', url: 'https://www.facebook.com/tinnhiemso.cantho', displayName: 'Liên minh Tín nhiệm số Cần Thơ', match: 'NAME_REUSED' }]);
  });

  it('answers INVALID_INPUT with a code for input that is not an account, whatever its shape or length', async () => {
    const res = await t.gql(VERIFY, { input: { url: 'https://example.com/not-a-platform/../' } });
    const bad = await t.gql(VERIFY, { input: { url: 'hello world' } });
    expect(bad.data!.verify).toMatchObject({ status: 'INVALID_INPUT', account: null, error: { code: 'INVALID_ACCOUNT' } });
    expect(res.status).toBe(200);
    // Typed answers, not errors: one such entry must never fail a whole verifyMany.
    for (const input of [{ url: 'fb.com/x', platform: 'FACEBOOK', handle: 'x' }, {}, { platform: 'FACEBOOK' }, { url: `https://www.facebook.com/${'a'.repeat(3000)}` }, { platform: 'YOUTUBE', handle: 'a'.repeat(3000) }]) {
      const answer = await t.gql(VERIFY, { input });
      expect(answer.errors, JSON.stringify(input).slice(0, 60)).toBeUndefined();
      expect(answer.data!.verify).toMatchObject({ status: 'INVALID_INPUT', account: null, error: { code: 'INVALID_ACCOUNT', message: expect.stringMatching(/.{10,}/) } });
    }
  });

  it('answers a malformed entry of verifyMany on its own, and the rest as usual', async () => {
    const res = await t.gql(
      'query($i: [VerifyInput!]!) { verifyMany(inputs: $i) { status error { code } } }',
      { i: [{ url: 'fb.com/tinnhiemso.cantho' }, { url: 'fb.com/x', platform: 'FACEBOOK', handle: 'x' }, { url: 'z'.repeat(5000) }, { platform: 'YOUTUBE', handle: '@minhkhoimientay' }] },
      'PLATFORM',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.verifyMany).toEqual([
      { status: 'VERIFIED', error: null },
      { status: 'INVALID_INPUT', error: { code: 'INVALID_ACCOUNT' } },
      { status: 'INVALID_INPUT', error: { code: 'INVALID_ACCOUNT' } },
      { status: 'VERIFIED', error: null },
    ]);
  });

  it('answers by platform and handle', async () => {
    const res = await t.gql(VERIFY, { input: { platform: 'YOUTUBE', handle: '@minhkhoimientay' } });
    expect(res.data!.verify).toMatchObject({ status: 'VERIFIED', input: { platform: 'YOUTUBE', handle: '@minhkhoimientay', url: null }, member: { displayName: 'Trần Minh Khôi' } });
  });

  it('batches aliased verify fields into one core call', async () => {
    let calls = 0;
    const original = t.registry.verifyMany;
    t.registry.verifyMany = (inputs, options) => {
      calls++;
      return original(inputs, options);
    };
    try {
      const res = await t.gql(`{ a: verify(input: {url: "fb.com/tinnhiemso.cantho"}) { status } b: verify(input: {url: "zalo.me/g/tinnhiemsocantho"}) { status } c: verify(input: {url: "fb.com/nope.nope"}) { status } }`);
      expect(res.data).toEqual({ a: { status: 'VERIFIED' }, b: { status: 'VERIFIED' }, c: { status: 'NOT_FOUND' } });
      expect(calls).toBe(1);
    } finally {
      t.registry.verifyMany = original;
    }
  });
});

describe('verify aliases in one request', () => {
  it('answers each distinct question once and keeps apart those that differ in one part', async () => {
    const asked: unknown[][] = [];
    const original = t.registry.verifyMany;
    t.registry.verifyMany = (inputs, options) => {
      asked.push([...inputs]);
      return original(inputs, options);
    };
    try {
      const res = await t.gql(`{
        same1: verify(input: {url: "fb.com/tinnhiemso.cantho"}) { status reason { message } }
        same2: verify(input: {url: "fb.com/tinnhiemso.cantho"}) { status reason { message } }
        both: verify(input: {url: "fb.com/tinnhiemso.cantho", platform: FACEBOOK, handle: "tinnhiemso.cantho"}) { status }
        handle: verify(input: {platform: FACEBOOK, handle: "tinnhiemso.cantho"}) { status }
        vi: verify(input: {url: "fb.com/nope.nope"}, lang: vi) { reason { message } }
        en: verify(input: {url: "fb.com/nope.nope"}, lang: en) { reason { message } }
        signed: verify(input: {url: "fb.com/tinnhiemso.cantho"}, signed: true) { signedAnswer }
      }`);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data!.same1).toEqual(res.data!.same2);
      expect(res.data!.same1.status).toBe('VERIFIED');
      // Both forms at once is not one account: refused, where the handle alone is answered.
      expect(res.data!.both.status).toBe('INVALID_INPUT');
      expect(res.data!.handle.status).toBe('VERIFIED');
      expect(res.data!.vi.reason.message).not.toEqual(res.data!.en.reason.message);
      expect(typeof res.data!.signed.signedAnswer).toBe('string');
      // One call per language; the two identical aliases asked once, the signed one apart from them.
      expect(asked.flat()).toHaveLength(6);
    } finally {
      t.registry.verifyMany = original;
    }
  });
});

describe('verifyMany', () => {
  const MANY = `query Many($inputs: [VerifyInput!]!) { verifyMany(inputs: $inputs) { status account { key } error { code } } }`;

  it('answers in order for PLATFORM, BUSINESS, OFFICER and ADMIN, and refuses PUBLIC and MEMBER', async () => {
    const inputs = [{ url: 'fb.com/tinnhiemso.cantho' }, { url: 'not a url at all' }, { platform: 'ZALO', handle: 'g/tinnhiemsocantho' }, { url: SCAM_PAGE }];
    for (const role of ['PLATFORM', 'BUSINESS', 'OFFICER', 'ADMIN'] as const) {
      const res = await t.gql(MANY, { inputs }, role);
      expect(res.data!.verifyMany.map((r: { status: string }) => r.status), role).toEqual(['VERIFIED', 'INVALID_INPUT', 'VERIFIED', 'FLAGGED']);
    }
    const anonymous = await t.gql(MANY, { inputs });
    expect(anonymous.data).toBeNull();
    expect(codeOf(anonymous)).toBe('FORBIDDEN');
    const member = await t.gql(MANY, { inputs }, { role: 'MEMBER', subject: '00000000-0000-4000-8000-000000000000' });
    expect(codeOf(member)).toBe('FORBIDDEN');
  });

  it('takes 1,000 inputs and refuses 1,001', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ url: `https://www.facebook.com/page.number.${i}` }));
    const ok = await t.gql(MANY, { inputs }, 'PLATFORM');
    expect(ok.data!.verifyMany).toHaveLength(1000);
    expect(ok.data!.verifyMany[999]).toMatchObject({ status: 'NOT_FOUND', account: { key: 'facebook:pagenumber999' } });
    const tooMany = await t.gql(MANY, { inputs: [...inputs, { url: 'fb.com/one.more' }] }, 'PLATFORM');
    expect(tooMany.data).toBeNull();
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0]).toMatchObject({ message: 'Invalid input at inputs: At most 1000 inputs per call', extensions: { field: 'inputs' } });
    // The argument's shape is checked before the scope (services/api/README.md): the same refusal without a token.
    expect(codeOf(await t.gql(MANY, { inputs: [...inputs, { url: 'fb.com/one.more' }] }))).toBe('BAD_USER_INPUT');
  });
});

describe('SQL round trips of a batch', () => {
  let reg: TestRegistry;
  let app: App;
  beforeAll(async () => {
    // No lookup cache: every key must hit the database, so the count is the real one.
    reg = await openTestRegistry({ lookupCache: false } as never);
    await seedDemo(reg.registry);
    app = createApp({ registry: reg.registry, logError: () => {} });
  });
  afterAll(() => reg?.close());

  async function countQueries(n: number): Promise<number> {
    const sql = registryInternals(reg.registry).db.sql;
    const query = sql.query;
    let count = 0;
    (sql as { query: typeof query }).query = ((text: string, params?: readonly unknown[]) => {
      count++;
      return query.call(sql, text, params);
    }) as typeof query;
    try {
      // A mix of verified and unknown accounts (unknown ones also get core's lookalike check).
      const inputs = Array.from({ length: n }, (_, i) => ({ url: i % 3 === 1 ? 'fb.com/tinnhiemso.cantho' : `https://www.tiktok.com/@unknown.${n}.${i}` }));
      const token = await app.tokens.issueAccessToken({ role: 'PLATFORM' });
      const res = await app.yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'query($i: [VerifyInput!]!) { verifyMany(inputs: $i) { status member { displayName } badges { program } } }', variables: { i: inputs } }),
      });
      const body = (await res.json()) as { data: { verifyMany: Array<{ status: string }> } };
      expect(body.data.verifyMany).toHaveLength(n);
      expect(body.data.verifyMany[0]!.status).toBe('NOT_FOUND');
      if (n > 1) expect(body.data.verifyMany[1]!.status).toBe('VERIFIED');
    } finally {
      (sql as { query: typeof query }).query = query;
    }
    return count;
  }

  it('is one lookalike search more for 500 inputs than for 1 (whose lookup searches itself), and one lookup more per MAX_KEYS_PER_LOOKUP keys', async () => {
    await countQueries(1); // warm the signing key and caches outside the count
    const one = await countQueries(1);
    const many = await countQueries(500);
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThanOrEqual(4);
    // 500 inputs: 334 distinct keys (every third is the same verified page), 333 of them unknown: one lookup, too large to search in, then one lookalike search for all.
    expect(334).toBeLessThanOrEqual(MAX_KEYS_PER_LOOKUP);
    expect(334).toBeGreaterThan(MAX_KEYS_SEARCHED_WITH_LOOKUP);
    expect(many).toBe(one + 1);
    // 1,000 inputs: 667 distinct keys, two lookups.
    expect(await countQueries(1000)).toBe(one + 2);
  });
});

describe('the shape of an answer in the schema', () => {
  it('exposes the fields a batch selects as properties, with no resolver of their own (graphql-jit reads them inline)', () => {
    const resolved = (type: string) => {
      const fields = (schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
      return Object.keys(fields).filter((name) => fields[name]!.resolve !== undefined).sort();
    };
    // Only the fields that compute something keep a resolver: enum mapping of core's plain strings, and the attestation loader.
    expect(resolved('VerificationResult')).toEqual(['attestation', 'program']);
    expect(resolved('VerifiedAccount')).toEqual([]);
    expect(resolved('VerifiedMember')).toEqual(['kind']);
    expect(resolved('VerifiedBadge')).toEqual(['program']);
    expect(resolved('VerificationFlag')).toEqual([]);
    expect(resolved('VerificationReason')).toEqual([]);
    expect(resolved('ProgramVerification')).toEqual(['program']);
  });
});
