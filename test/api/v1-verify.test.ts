/**
 * `GET /v1/verify` over real HTTP: the same answer as GraphQL's `verify` for the same input (by
 * URL, by platform and handle, at a past moment, INVALID_INPUT, lookalikes), ETag and 304,
 * Cache-Control, HEAD, 400s for missing or malformed parameters, 405 for other methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, SCAM_PAGE } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from './helpers.ts';
import { VERIFY_FULL } from './documents.ts';
import { verifyBody } from '../../services/api/src/http/verify.ts';
import { toVerificationView } from '../../services/api/src/verification/verification-view.ts';

let t: TestServer;
beforeAll(async () => {
  t = await openTestServer();
  expect((await seedDemo(t.registry)).seeded).toBe(true);
});
afterAll(() => t?.close());

const verifyHttp = (query: Record<string, string>, init?: RequestInit) => t.http(`/v1/verify?${new URLSearchParams(query)}`, init);
const withoutTimes = ({ checkedAt: _c, at: _a, ...rest }: Record<string, unknown>) => rest;

describe('GET /v1/verify', () => {
  const inputs: Array<{ name: string; query: Record<string, string>; input: Record<string, string>; status: string }> = [
    { name: 'a verified page by another spelling', query: { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' }, input: { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' }, status: 'VERIFIED' },
    { name: 'platform and handle', query: { platform: 'TIKTOK', handle: '@thuha.cantho' }, input: { platform: 'TIKTOK', handle: '@thuha.cantho' }, status: 'VERIFIED' },
    { name: 'a suspended badge', query: { url: 'https://www.tiktok.com/@giahuy.congnghe' }, input: { url: 'https://www.tiktok.com/@giahuy.congnghe' }, status: 'SUSPENDED' },
    { name: 'a flagged scam page', query: { url: SCAM_PAGE }, input: { url: SCAM_PAGE }, status: 'FLAGGED' },
    { name: 'an unknown page', query: { url: 'https://www.facebook.com/some.unknown.page' }, input: { url: 'https://www.facebook.com/some.unknown.page' }, status: 'NOT_FOUND' },
    { name: 'input that is not an account (200, INVALID_INPUT)', query: { url: 'hello world' }, input: { url: 'hello world' }, status: 'INVALID_INPUT' },
  ];

  for (const { name, query, input, status } of inputs) {
    it(`answers what GraphQL answers: ${name}`, async () => {
      const res = await verifyHttp(query);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      const gql = await t.gql(VERIFY_FULL, { input });
      expect(gql.errors).toBeUndefined();
      expect(body.status).toBe(status);
      expect(withoutTimes(body)).toEqual(withoutTimes(gql.data!.verify));
      expect(Date.parse(body.checkedAt as string)).not.toBeNaN();
    });
  }

  it('answers for a past moment with `at`, like GraphQL', async () => {
    const at = '2020-01-01T00:00:00.000Z';
    const body = await (await verifyHttp({ url: 'https://www.facebook.com/tinnhiemso.cantho', at })).json();
    const gql = await t.gql(VERIFY_FULL, { input: { url: 'https://www.facebook.com/tinnhiemso.cantho' }, at });
    expect(body.at).toBe(at);
    expect({ ...body, checkedAt: null }).toEqual({ ...gql.data!.verify, checkedAt: null });
    expect(body.status).not.toBe('VERIFIED'); // no badge yet in 2020
  });

  it('answers per program and in the asked language (`program`, `lang`, Accept-Language), like GraphQL', async () => {
    const url = 'https://www.tiktok.com/@giahuy.congnghe';
    const [program] = (await t.registry.verify({ url })).programs.map((p) => p.program);
    const body = await (await verifyHttp({ url, program: program!, lang: 'en' })).json();
    const gql = await t.gql(VERIFY_FULL, { input: { url }, program, lang: 'en' });
    expect(withoutTimes(body)).toEqual(withoutTimes(gql.data!.verify));
    expect(body).toMatchObject({ status: 'SUSPENDED', program, reason: { code: 'BADGE_SUSPENDED', message: expect.stringMatching(/^The trust badge is suspended/) } });
    expect(body.programs).toEqual([{ program, status: 'SUSPENDED', reason: body.reason }]);

    // Vietnamese by default; English when Accept-Language prefers it; `lang` wins over the header.
    const vi = await verifyHttp({ url });
    expect(vi.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(vi.headers.get('content-language')).toBe('vi');
    expect((await vi.json()).reason.message).toMatch(/^Huy hiệu tín nhiệm đang bị tạm đình chỉ/);
    const en = await verifyHttp({ url }, { headers: { 'accept-language': 'en-US,en;q=0.9,vi;q=0.5' } });
    expect((await en.json()).reason.message).toMatch(/^The trust badge is suspended/);
    expect((await (await verifyHttp({ url, lang: 'vi' }, { headers: { 'accept-language': 'en' } })).json()).reason.message).toMatch(/^Huy hiệu/);

    // GraphQL reads Accept-Language too.
    const res = await t.http('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ query: 'query($u: String!) { verify(input: { url: $u }) { reason { code message } programs { program status } } }', variables: { u: url } }),
    });
    expect((await res.json()).data.verify.reason).toEqual({ code: 'BADGE_SUSPENDED', message: expect.stringMatching(/^The trust badge is suspended/) });
  });

  it('refuses a moment more than 5 minutes ahead in GraphQL too, as a client error', async () => {
    const gql = await t.gql(VERIFY_FULL, { input: { url: 'https://www.facebook.com/tinnhiemso.cantho' }, at: new Date(Date.now() + 3_600_000).toISOString() });
    expect(gql.status).toBe(200);
    expect(gql.errors?.[0]?.message).toMatch(/5 minutes in the future/);
    expect(gql.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'at' });
  });

  it('reports lookalikes of a verified page, like GraphQL', async () => {
    const url = 'https://www.facebook.com/tinnhiemso.cantha';
    const body = await (await verifyHttp({ url })).json();
    const gql = await t.gql(VERIFY_FULL, { input: { url } });
    expect(withoutTimes(body)).toEqual(withoutTimes(gql.data!.verify));
    expect(body.lookalikeOf).toEqual([expect.objectContaining({ key: 'facebook:tinnhiemsocantho' })]);
  });

  it('sends a weak ETag over the stable parts, honours If-None-Match with 304, and Cache-Control', async () => {
    const query = { url: 'https://zalo.me/g/tinnhiemsocantho' };
    const first = await verifyHttp(query);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=30');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    // checkedAt moves, the ETag does not.
    const second = await verifyHttp(query);
    expect(second.headers.get('etag')).toBe(etag);
    const notModified = await verifyHttp(query, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe('public, max-age=30');
    expect(await notModified.text()).toBe('');
    expect((await verifyHttp(query, { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
    expect((await verifyHttp(query, { headers: { 'if-none-match': 'W/"other"' } })).status).toBe(200);
    // Another account, another ETag.
    expect((await verifyHttp({ url: 'https://www.facebook.com/tinnhiemso.cantho' })).headers.get('etag')).not.toBe(etag);
    const head = await verifyHttp(query, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
  });

  it('writes the body and the ETag text in one JSON.stringify, byte for byte the two-stringify texts (issue 16)', async () => {
    const cases = [
      { url: 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share' },
      { url: 'https://www.tiktok.com/@giahuy.congnghe' },
      { url: SCAM_PAGE },
      { url: 'https://www.facebook.com/some.unknown.page' },
      { url: 'hello world' },
      { platform: 'TIKTOK', handle: '@thuha.cantho' },
    ] as const;
    for (const input of cases) {
      for (const at of [null, new Date('2024-06-01T00:00:00.000Z')]) {
        const view = toVerificationView(await t.registry.verify(input, { ...(at ? { at } : {}), lang: 'vi' }));
        const { body, stable } = verifyBody(view, at !== null);
        expect(body).toBe(JSON.stringify(view));
        expect(stable).toBe(JSON.stringify({ ...view, checkedAt: undefined, at: at ? view.at : undefined }));
      }
    }
  });

  it('changes the ETag when the answer changes (a suspension)', async () => {
    const url = 'https://www.tiktok.com/@thuha.cantho';
    const before = await verifyHttp({ url });
    const etag = before.headers.get('etag')!;
    const answer = await before.json();
    expect(answer.status).toBe('VERIFIED');
    const badgeId = (await t.registry.verify({ url })).badges[0]!.id;
    await t.registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    const after = await verifyHttp({ url }, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect((await after.json()).status).toBe('SUSPENDED');
    await t.registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' });
  });

  it('answers 400 { error: { code, message, field } } for missing, repeated or malformed parameters', async () => {
    const cases: Array<[string, string]> = [
      ['', 'url'],
      ['?handle=x', 'platform'],
      ['?platform=FACEBOOK', 'handle'],
      ['?platform=MYSPACE&handle=x', 'platform'],
      ['?url=fb.com/x&platform=FACEBOOK&handle=x', 'url'],
      ['?url=fb.com/a&url=fb.com/b', 'url'],
      [`?url=${'a'.repeat(2049)}`, 'url'],
      [`?platform=FACEBOOK&handle=${'a'.repeat(301)}`, 'handle'],
      ['?url=fb.com/x&at=yesterday', 'at'],
      ['?url=fb.com/x&at=2026-13-45T00:00:00Z', 'at'],
      ['?url=fb.com/x&at=0000-01-01T00:00:00Z', 'at'],
      ['?url=fb.com/x&at=+010000-01-01T00:00:00Z', 'at'],
      [`?url=fb.com/x&at=${new Date(Date.now() + 3_600_000).toISOString()}`, 'at'],
      ['?url=fb.com/x&program=GOLD', 'program'],
      ['?url=fb.com/x&lang=fr', 'lang'],
    ];
    for (const [query, field] of cases) {
      const res = await t.http(`/v1/verify${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.json();
      expect(body, query).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.any(String), field } });
    }
  });

  it('answers 405 to other methods', async () => {
    const res = await t.http('/v1/verify?url=fb.com/x', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await res.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('masks an unexpected failure: 500 with a code and an incident id, no stack or path', async () => {
    const original = t.registry.verify;
    t.registry.verify = () => Promise.reject(new Error('connection refused at /srv/app/db.ts:12'));
    try {
      const res = await verifyHttp({ url: 'fb.com/x' });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.', incident: expect.any(String) } });
      expect(text).not.toMatch(/srv|db\.ts|refused/);
    } finally {
      t.registry.verify = original;
    }
  });
});
