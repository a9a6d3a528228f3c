/**
 * The public pages (services/api/src/web) over `yoga.fetch`, on the demo data: each page answers
 * in Vietnamese and English, says what `GET /v1/verify` says (core's one decision), escapes what
 * members and reporters wrote, sends its security headers, and every URL inside a freshly signed
 * attestation and the discovery document answers with a page, an image or its JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import jsQRModule from 'jsqr';
import { Resvg } from '@resvg/resvg-js';
import { onboardMember } from '@trust-alliance/core';
import { webRoutes, CATALOGUE_KEYS, catalogueEntry } from '../../services/api/src/web/index.ts';
import { seedDemo, ALLIANCE_CHANNELS, SCAM_PAGE } from '../../services/api/src/demo/seed-demo.ts';
import { openTestApp, type TestApp } from './helpers.ts';

// jsqr is CommonJS typed as an ES default export: take the function either way.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
const HOSTILE_NAME = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\u202Egnp.exe';
const HOSTILE_ACCOUNT = 'https://www.facebook.com/hostile.name.page';

describe('web pages', () => {
  let t: TestApp;
  let hostileMemberId: string;
  const fetchApp = (path: string, init?: RequestInit) => t.app.yoga.fetch(`http://yoga${path}`, init ?? {});
  const page = async (path: string, init?: RequestInit) => {
    const res = await fetchApp(path, init);
    return { res, html: await res.text() };
  };
  const apiStatus = async (url: string) => ((await (await fetchApp(`/v1/verify?url=${encodeURIComponent(url)}`)).json()) as { status: string }).status;

  beforeAll(async () => {
    t = await openTestApp({ extraRoutes: (test) => webRoutes(test.registry) });
    await seedDemo(t.registry);
    const hostile = await onboardMember(t.registry, { member: { kind: 'KOL', displayName: HOSTILE_NAME, province: '"><svg onload=alert(3)>' }, accounts: [HOSTILE_ACCOUNT], program: 'KOL_TRUST' }, { id: 'officer', role: 'OFFICER' });
    hostileMemberId = hostile.member.id;
  });
  afterAll(() => t.close());

  it('the catalogue has every text in both languages', () => {
    for (const key of CATALOGUE_KEYS) {
      const entry = catalogueEntry(key);
      for (const lang of ['vi', 'en'] as const) expect(entry[lang], `${key}.${lang}`).toBeTruthy();
    }
  });

  it.each([
    ['verified', ALLIANCE_CHANNELS[0], 'VERIFIED', 'Đã xác minh', 'Verified'],
    ['suspended badge', 'https://www.tiktok.com/@giahuy.congnghe', 'SUSPENDED', 'Đang bị tạm đình chỉ', 'Suspended'],
    ['unknown', 'https://www.facebook.com/someone.not.registered', 'NOT_FOUND', 'Không có trong sổ đăng ký', 'Not in the registry'],
    ['flagged', SCAM_PAGE, 'FLAGGED', 'Bị cảnh báo', 'Flagged'],
  ])('check page, %s account: the status of GET /v1/verify, in words, in both languages', async (_name, url, status, vi, en) => {
    expect(await apiStatus(url)).toBe(status);
    const viPage = await page(`/?url=${encodeURIComponent(url)}`);
    expect(viPage.res.status).toBe(200);
    expect(viPage.html).toContain('<html lang="vi">');
    expect(viPage.html).toContain(`<strong>${vi}</strong>`);
    const enPage = await page(`/?url=${encodeURIComponent(url)}`, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(enPage.html).toContain('<html lang="en">');
    expect(enPage.html).toContain(`<strong>${en}</strong>`);
    expect(enPage.res.headers.get('content-language')).toBe('en');
    // ?lang= wins over Accept-Language (the visible switch).
    expect((await page(`/?url=${encodeURIComponent(url)}&lang=vi`, { headers: { 'accept-language': 'en' } })).html).toContain('<html lang="vi">');
  });

  it('a flagged account: a red warning with its category, and a report link', async () => {
    const { html } = await page(`/?url=${encodeURIComponent(SCAM_PAGE)}&lang=en`);
    expect(html).toContain('class="warning"');
    expect(html).toContain('Warning: flagged account');
    expect(html).toContain('(impersonation)');
    expect(html).toContain(`href="/report?url=${encodeURIComponent(SCAM_PAGE)}&amp;lang=en"`);
  });

  it('a lookalike of a verified account: names and links the real one', async () => {
    const lookalike = 'https://www.facebook.com/tinnhiemso.canth0';
    const api = (await (await fetchApp(`/v1/verify?url=${encodeURIComponent(lookalike)}`)).json()) as { lookalikeOf: Array<{ displayName: string; url: string }> };
    expect(api.lookalikeOf.length).toBeGreaterThan(0);
    const { html } = await page(`/?url=${encodeURIComponent(lookalike)}&lang=en`);
    expect(html).toContain('Warning: this may be an impersonator');
    // The name sits between bidi isolates (U+2068 … U+2069), like every name a member wrote.
    expect(html).toContain(`the verified account of “\u2068${api.lookalikeOf[0]!.displayName}\u2069”`);
    expect(html).toContain(`href="${api.lookalikeOf[0]!.url}"`);
  });

  it('asks about the past with a date, and explains input it cannot place', async () => {
    const { html } = await page(`/?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}&at=2000-01-01&lang=en`);
    expect(html).toContain('<strong>Not in the registry</strong>');
    expect(html).toContain('2000-01-01T16:59:59.999Z');
    const bad = await page('/?url=%40justahandle&lang=en');
    expect(bad.res.status).toBe(200);
    expect(bad.html).toContain('Not recognised');
  });

  it('every page sends a strict CSP, nosniff, a referrer policy and no framing; no script anywhere', async () => {
    const badge = (await t.registry.reads.badge.findFirst({ where: { status: 'ACTIVE' } }))!;
    for (const path of ['/', `/?url=${encodeURIComponent(SCAM_PAGE)}`, '/warnings', '/report', '/about', '/programs', '/programs/KOL_TRUST', `/members/${badge.memberId}`, `/verify/badge/${badge.id}`, '/members/00000000-0000-4000-8000-000000000000']) {
      const { res, html } = await page(path);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('script-src');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/ on[a-z]+=/i);
      expect(html).toMatch(/<html lang="(vi|en)">/);
      expect(html).toContain('<h1>');
      expect(html).toContain('property="og:image"');
    }
    // Badge images may be embedded anywhere: no frame protection, cross-origin resource policy.
    const svg = await fetchApp(`/badge/members/${badge.memberId}.svg`);
    expect(svg.headers.get('x-frame-options')).toBeNull();
    expect(svg.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(svg.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('escapes what a member wrote: script tags, attribute breakouts, bidi overrides', async () => {
    for (const path of [`/members/${hostileMemberId}?lang=en`, `/?url=${encodeURIComponent(HOSTILE_ACCOUNT)}`]) {
      const { html } = await page(path);
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<svg onload');
      expect(html).toContain('&lt;script>alert(1)&lt;/script>');
      // A right-to-left override in a name stays inside its own <bdi>: it cannot turn the text around it.
      expect(html).toMatch(/<bdi>&lt;script>alert\(1\)&lt;\/script>[^<]*\u202Egnp\.exe<\/bdi>/);
    }
    // In the snippet to copy, the name is escaped twice (once as HTML of the snippet, once on the page).
    const { html } = await page(`/members/${hostileMemberId}?lang=en`);
    expect(html).toContain('alt="Trust status of &lt;script>');
    // Link-preview card: the bidi override is dropped, the rest drawn as text.
    const card = await fetchApp(`/card/members/${hostileMemberId}.png`);
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('image/png');
  });

  it('the report form: refused cross-site and without a fresh token; files with one, then confirms (303)', async () => {
    const form = await page('/report?lang=en');
    const token = /name="token" value="([^"]+)"/.exec(form.html)![1]!;
    const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const fields = { token, url: 'https://www.facebook.com/fake.shop.giare', category: 'SCAM', description: 'Takes deposits <b>and</b> disappears "\u202E', contact: '' };
    const crossSite = await fetchApp('/report?lang=en', { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: body(fields) });
    expect(crossSite.status).toBe(403);
    const crossSiteFetch = await fetchApp('/report?lang=en', { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'cross-site' }, body: body(fields) });
    expect(crossSiteFetch.status).toBe(403);
    const noToken = await fetchApp('/report?lang=en', { method: 'POST', headers: { ...headers, origin: 'http://yoga' }, body: body({ ...fields, token: '1.forged' }) });
    expect(noToken.status).toBe(400);
    expect(await noToken.text()).toContain('The form has expired');
    // A value that is not an account comes back in the form, escaped, with the error at its field.
    const invalid = await fetchApp('/report?lang=en', { method: 'POST', headers: { ...headers, origin: 'http://yoga' }, body: body({ ...fields, url: '"><script>x</script>' }) });
    expect(invalid.status).toBe(400);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).not.toContain('<script>x');
    expect(invalidHtml).toContain('aria-invalid="true"');
    const before = (await t.registry.listReports()).length;
    const ok = await fetchApp('/report?lang=en', { method: 'POST', headers: { ...headers, origin: 'http://yoga', 'sec-fetch-site': 'same-origin' }, body: body(fields) });
    expect(ok.status).toBe(303);
    const location = ok.headers.get('location')!;
    expect(location).toMatch(/^\/report\?sent=[0-9a-f-]{36}&lang=en$/);
    expect((await t.registry.listReports()).length).toBe(before + 1);
    const confirmation = await page(location);
    expect(confirmation.html).toContain('Report received');
    // Other methods are refused.
    expect((await fetchApp('/report', { method: 'PUT' })).status).toBe(405);
  });

  it('the warning list: searchable, paged, with CSV and JSON downloads', async () => {
    const { html } = await page('/warnings?lang=en');
    expect(html).toContain('facebook:tinnhiemsocanthohotro');
    expect(html).toContain('impersonation');
    // Never a link to the scam page itself, only to our check page.
    expect(html).not.toContain(`href="${SCAM_PAGE}"`);
    expect((await page('/warnings?q=hotro')).html).toContain('facebook:tinnhiemsocanthohotro');
    expect((await page('/warnings?q=nothing-like-this&lang=en')).html).toContain('No matching accounts.');
    const csv = await fetchApp('/warnings.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('platform,account,category,since');
    expect(text).toContain('"FACEBOOK","facebook:tinnhiemsocanthohotro","IMPERSONATION"');
    const json = (await (await fetchApp('/warnings.json')).json()) as { count: number; warnings: Array<{ account: string }> };
    expect(json.warnings.map((w) => w.account)).toContain('facebook:tinnhiemsocanthohotro');
  });

  it('the program page: what it certifies, the policy in force, validity, the pledge in both languages', async () => {
    const policy = await t.registry.certificationPolicy();
    const pledge = (await t.registry.currentPledgeVersion())!;
    const { html } = await page('/programs/KOL_TRUST?lang=en');
    expect(html).toContain('<h1>KOL Trust</h1>');
    expect(html).toContain(`Passing score: ${policy.passingScore} of 100`);
    expect(html).toContain(`at most ${policy.validityMonths} months`);
    expect(html).toContain(`Version ${pledge.version}`);
    expect(html).toContain('<section lang="vi"');
    expect(html).toContain('<section lang="en"');
    expect((await fetchApp('/programs/NOPE')).status).toBe(404);
  });

  it('the about page: the alliance, the Cyber KOL Trust Program, how to check and how to report, in both languages, linked from every page', async () => {
    const vi = await page('/about');
    expect(vi.res.status).toBe(200);
    expect(vi.res.headers.get('content-language')).toBe('vi');
    expect(vi.html).toContain('<h1>Giới thiệu Liên minh Tín nhiệm số</h1>');
    for (const heading of ['Liên minh Tín nhiệm số là gì?', 'Chương trình Tín nhiệm KOL trên không gian mạng', 'Cách kiểm tra một tài khoản', 'Cách báo cáo']) expect(vi.html).toContain(`>${heading}</h2>`);
    const en = await page('/about?lang=en');
    expect(en.html).toContain('<html lang="en">');
    for (const heading of ['What is the Digital Trust Alliance?', 'The Cyber KOL Trust Program', 'How to check an account', 'How to report', 'For platforms and developers']) expect(en.html).toContain(`>${heading}</h2>`);
    // Where to go next, in the page's language: check, report, warnings, programs, the discovery document.
    for (const href of ['/?lang=en', '/report?lang=en', '/warnings?lang=en', '/programs?lang=en', '/.well-known/trust-alliance']) expect(en.html).toContain(`href="${href}"`);
    expect(en.html).toContain('<ol>');
    // Every page's navigation leads here; POST is refused.
    expect((await page('/warnings?lang=en')).html).toContain('href="/about?lang=en"');
    expect((await fetchApp('/about', { method: 'POST' })).status).toBe(405);
  });

  it('the programs page lists every program with its mark and a link to its page, in both languages', async () => {
    const en = await page('/programs?lang=en');
    expect(en.res.status).toBe(200);
    expect(en.html).toContain('<h1>Certification programs</h1>');
    for (const [program, name] of [['KOL_TRUST', 'KOL Trust'], ['ALLIANCE_MEMBER', 'Alliance Member'], ['OFFICIAL_CHANNEL', 'Official Channel']]) {
      expect(en.html).toContain(`<a href="/programs/${program}?lang=en">${name}</a>`);
      expect(en.html).toContain(`src="/badge/${program}.svg?lang=en"`);
      expect((await fetchApp(`/programs/${program}?lang=en`)).status).toBe(200);
    }
    expect((await page('/programs')).html).toContain('<h1>Các chương trình chứng nhận</h1>');
    // The navigation's "Programs" is the list now, not one program.
    expect(en.html).toContain('<a href="/programs?lang=en">Programs</a>');
    expect((await fetchApp('/programs/')).status).toBe(404);
  });

  it('the check page is discoverable: linked from the home page, named in every page head and in the discovery document', async () => {
    const home = await page('/?lang=en');
    expect(home.html).toContain('<a href="/about?lang=en">What the alliance is, how to read an answer and how to report</a>');
    expect(home.html).toContain('<link rel="service-desc" type="application/json" href="/.well-known/trust-alliance"/>');
    expect(home.html).toContain('<link rel="help" href="/about?lang=en"/>');
    const discovery = (await (await fetchApp('/.well-known/trust-alliance')).json()) as { web: Record<string, unknown> };
    const issuer = t.registry.issuer;
    expect(discovery.web).toMatchObject({ languages: ['vi', 'en'], check_page: `${issuer}/`, about_page: `${issuer}/about`, programs_page: `${issuer}/programs`, report_page: `${issuer}/report` });
    // The templates answer once filled in: the check page's answer and the live badge of an account.
    const fill = (template: string) => template.slice(issuer.length).replace('{account url}', encodeURIComponent(ALLIANCE_CHANNELS[0])).replace('{vi|en}', 'en');
    const answer = await page(fill(discovery.web.check_page_template as string));
    expect(answer.html).toContain('<strong>Verified</strong>');
    const badge = await fetchApp(fill(discovery.web.account_badge_template as string));
    expect(badge.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  });

  it('report categories read as core labels them, on the form and the warning list', async () => {
    const { categoryLabel } = await import('@trust-alliance/core');
    const form = await page('/report?lang=en');
    for (const category of ['IMPERSONATION', 'SCAM', 'MISINFORMATION', 'UNDISCLOSED_ADVERTISING', 'OTHER']) expect(form.html).toContain(`>${categoryLabel(category, 'en')}</option>`);
    expect((await page('/report')).html).toContain(`>${categoryLabel('UNDISCLOSED_ADVERTISING', 'vi')}</option>`);
  });

  it('live badges: colour and words by status, short cache with ETag and 304', async () => {
    const verified = await fetchApp(`/badge/account.svg?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}&lang=en`);
    expect(verified.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(verified.headers.get('cache-control')).toBe('public, max-age=60');
    const svg = await verified.text();
    expect(svg).toContain('VERIFIED');
    expect(svg).toContain('#2e7d32');
    const etag = verified.headers.get('etag')!;
    expect((await fetchApp(`/badge/account.svg?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}&lang=en`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const suspended = await (await fetchApp(`/badge/account.svg?url=${encodeURIComponent('https://www.tiktok.com/@giahuy.congnghe')}&lang=en`)).text();
    expect(suspended).toContain('SUSPENDED');
    expect(suspended).toContain('#dfb317');
    const flagged = await (await fetchApp(`/badge/account.svg?url=${encodeURIComponent(SCAM_PAGE)}&lang=en`)).text();
    expect(flagged).toContain('FLAGGED');
    expect(flagged).toContain('#c62828');
    const revoked = await (await fetchApp(`/badge/account.svg?url=${encodeURIComponent('https://www.youtube.com/@TaiChinhMienTay')}&lang=en`)).text();
    expect(revoked).toContain('REVOKED');
    expect((await fetchApp('/badge/members/not-an-id.svg')).status).toBe(404);
  });

  it('the badge page carries a QR code that names the page itself', async () => {
    const badge = (await t.registry.reads.badge.findFirst({ where: { status: 'ACTIVE' } }))!;
    const { html } = await page(`/verify/badge/${badge.id}?lang=en`);
    const svg = /<svg role="img"[\s\S]*?<\/svg>/.exec(html)![0];
    const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: 400 } }).render();
    const code = jsQR(new Uint8ClampedArray(rendered.pixels), rendered.width, rendered.height);
    expect(code?.data).toBe(`${t.registry.issuer}/verify/badge/${badge.id}`);
  });

  it('follows every URL inside a freshly signed attestation and the discovery document: each answers', async () => {
    const { badge } = await onboardMember(t.registry, { member: { kind: 'KOL', displayName: 'Fresh Member', province: 'Cần Thơ' }, accounts: ['https://www.facebook.com/fresh.member.page'], program: 'KOL_TRUST' }, { id: 'officer', role: 'OFFICER' });
    const attestation = (await t.registry.currentAttestation(badge!.id))!;
    const claims = decodeJwt(attestation.jws) as Record<string, any>;
    const issuer = t.registry.issuer;
    const local = (uri: string) => {
      expect(uri.startsWith(`${issuer}/`), uri).toBe(true);
      return uri.slice(issuer.length);
    };
    const expectations: Array<[string, RegExp]> = [
      [claims.ref, /^text\/html/],
      [claims.logo_uri, /^image\/svg\+xml/],
      [claims.trust_mark_type, /^text\/html/],
      [claims.status.status_list.uri, /^application\/statuslist\+jwt/],
      // `sub` is the member's entity identifier (OpenID Federation): its public profile page.
      [claims.sub, /^text\/html/],
    ];
    for (const [uri, type] of expectations) {
      const res = await fetchApp(local(uri));
      expect(res.status, uri).toBe(200);
      expect(res.headers.get('content-type'), uri).toMatch(type);
    }
    const discovery = (await (await fetchApp('/.well-known/trust-alliance')).json()) as Record<string, unknown>;
    const uris: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string' && value.startsWith(`${issuer}/`)) uris.push(value.split(' ')[0]!);
      else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
    };
    walk(discovery);
    expect(uris.length).toBeGreaterThan(5);
    for (const uri of new Set(uris)) {
      // The status-list base is a folder (its lists are under it); the verify endpoint needs its question.
      if (uri === discovery.status_list_base) continue;
      // A URI template (members' entity identifiers): followed above through a real `sub`.
      if (/[{<]/.test(uri)) continue;
      const path = uri === discovery.verify_endpoint ? `${local(uri)}?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}` : local(uri);
      const res = await fetchApp(path, { headers: { accept: 'text/html' } });
      // Every URL is served: a page or document, or, for the POST-only protocol endpoints
      // (trust mark status, TRQP) and those that need their question, a 405 naming the method or a 400.
      expect(res.status, uri).not.toBe(404);
      expect(res.status, uri).toBeLessThan(500);
      if (res.status === 405) expect(res.headers.get('allow'), uri).toMatch(/POST/);
    }
  });
});
