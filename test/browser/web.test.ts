/**
 * The public pages in a real browser: Debian's `chromium` driven by playwright-core (nothing is
 * downloaded: `.ci/run` installs the `chromium` package with apt-get when /usr/bin/chromium is
 * missing; set CHROMIUM_PATH to use another binary). One browser and one demo-seeded service
 * (real HTTP on 127.0.0.1) for the whole file.
 *
 *   pnpm exec vitest run test/browser                     run them
 *   SAVE_SCREENSHOTS=1 pnpm exec vitest run test/browser  also write docs/screenshots/*.png
 *
 * Covered: the check flow for a verified, a suspended, an unknown, a flagged and a lookalike
 * account in both languages, at a phone size (390×844) and a desktop size; the same with
 * JavaScript disabled (and the report form); no console errors (a CSP violation is one); axe
 * with no serious or critical violations; badge SVGs rendering and a QR code decoded from a
 * screenshot naming the right page.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import jsQRModule from 'jsqr';
import { webRoutes } from '../../services/api/src/web/index.ts';
import { seedDemo, ALLIANCE_CHANNELS, SCAM_PAGE } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from '../api/helpers.ts';

// jsqr is CommonJS typed as an ES default export: take the function either way.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAVE = process.env.SAVE_SCREENSHOTS === '1';
const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const ACCOUNTS = [
  { name: 'verified', url: ALLIANCE_CHANNELS[0], vi: 'Đã xác minh', en: 'Verified' },
  { name: 'suspended', url: 'https://www.tiktok.com/@giahuy.congnghe', vi: 'Đang bị tạm đình chỉ', en: 'Suspended' },
  { name: 'unknown', url: 'https://www.facebook.com/someone.not.registered', vi: 'Không có trong sổ đăng ký', en: 'Not in the registry' },
  { name: 'flagged', url: SCAM_PAGE, vi: 'Bị cảnh báo', en: 'Flagged', warning: { vi: 'Cảnh báo: tài khoản bị gắn cờ', en: 'Warning: flagged account' } },
  { name: 'lookalike', url: 'https://www.facebook.com/tinnhiemso.canth0', vi: 'Không có trong sổ đăng ký', en: 'Not in the registry', warning: { vi: 'Cảnh báo: có thể là tài khoản giả mạo', en: 'Warning: this may be an impersonator' } },
] as const;

const describeIfChromium = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

describeIfChromium('the public pages in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  let memberId: string;
  let badgeId: string;

  beforeAll(async () => {
    t = await openTestServer({ extraRoutes: (test) => webRoutes(test.registry) });
    await seedDemo(t.registry);
    const badge = (await t.registry.reads.badge.findFirst({ where: { status: 'ACTIVE', program: 'KOL_TRUST' }, orderBy: { issuedAt: 'asc' } }))!;
    badgeId = badge.id;
    memberId = badge.memberId;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      // Playwright gives every launch a new, empty user-data-dir of its own (it refuses --user-data-dir here).
    });
    if (SAVE) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: { viewport: { width: number; height: number }; lang: 'vi' | 'en'; javaScript?: boolean }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: options.viewport, locale: options.lang === 'vi' ? 'vi-VN' : 'en-GB', javaScriptEnabled: options.javaScript ?? true });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    return { context, page };
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (SAVE) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  for (const lang of ['vi', 'en'] as const) {
    for (const [sizeName, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      it(`check flow in ${lang} at ${sizeName} size: verified, suspended, unknown, flagged, lookalike`, async () => {
        // Accept-Language picks the language; the page then carries it in every link.
        const { context, page } = await open({ viewport, lang });
        try {
          for (const account of ACCOUNTS) {
            await page.goto(`${t.origin}/`);
            expect(await page.getAttribute('html', 'lang')).toBe(lang);
            await page.getByLabel(lang === 'vi' ? 'Đường dẫn hoặc tài khoản' : 'Link or account').fill(account.url);
            await page.getByRole('button', { name: lang === 'vi' ? 'Kiểm tra' : 'Check' }).click();
            await page.waitForURL(/\?/);
            await expect.poll(() => page.locator('#answer-status').innerText()).toContain(account[lang]);
            if ('warning' in account) expect(await page.locator('.warning h2').first().innerText()).toBe(account.warning[lang]);
            if (sizeName === 'desktop' && (account.name === 'verified' || account.name === 'flagged')) await shot(page, `check-${account.name}-${lang}`);
            if (sizeName === 'phone' && account.name === 'verified') await shot(page, `check-verified-${lang}-phone`);
          }
          // The visible switch turns the answer into the other language.
          await page.getByRole('link', { name: lang === 'vi' ? 'English' : 'Tiếng Việt' }).click();
          expect(await page.getAttribute('html', 'lang')).toBe(lang === 'vi' ? 'en' : 'vi');
          // Nothing overflows sideways at this size.
          expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), page.url()).toBeLessThanOrEqual(1);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('works with JavaScript disabled: the check and the report form', async () => {
    const { context, page } = await open({ viewport: PHONE, lang: 'en', javaScript: false });
    try {
      await page.goto(`${t.origin}/`);
      await page.getByLabel('Link or account').fill(SCAM_PAGE);
      await page.getByRole('button', { name: 'Check' }).click();
      await page.waitForURL(/url=/);
      expect(await page.locator('#answer-status').innerText()).toContain('Flagged');
      await page.getByRole('link', { name: 'Report this account' }).click();
      expect(await page.getByLabel('Link or account being reported').inputValue()).toBe(SCAM_PAGE);
      await page.getByLabel('Category').selectOption('SCAM');
      await page.getByLabel('Description (what happened?)').fill('Asks for a fee to get a “blue tick”.');
      await page.getByRole('button', { name: 'Send the report' }).click();
      await page.waitForURL(/sent=/);
      expect(await page.locator('h1').innerText()).toBe('Report received');
    } finally {
      await context.close();
    }
  });

  it('every main page: no horizontal overflow at phone size; no serious or critical axe violation; no console error', async () => {
    const paths = ['/', `/?url=${encodeURIComponent(SCAM_PAGE)}`, `/?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}`, `/members/${memberId}`, `/verify/badge/${badgeId}`, '/programs/KOL_TRUST', '/programs', '/about', '/warnings', '/report'];
    for (const lang of ['vi', 'en'] as const) {
      for (const viewport of [PHONE, DESKTOP]) {
        const { context, page } = await open({ viewport, lang });
        try {
          for (const path of paths) {
            const res = await page.goto(`${t.origin}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
            expect(res?.status(), path).toBe(200);
            if (viewport === PHONE) {
              const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
              expect(overflow, `${path} overflows the phone's width`).toBeLessThanOrEqual(1);
              continue;
            }
            // axe at desktop size (the markup is the same at both sizes): every page in Vietnamese, two in
            // English (the same markup with other words), to keep the file fast; screenshots of all.
            const name = path === '/' ? 'home' : path === '/programs' ? 'programs' : path.startsWith('/members') ? 'member' : path.startsWith('/verify') ? 'badge' : path.startsWith('/programs') ? 'program' : path.slice(1).split('?')[0];
            if (!path.includes('?')) await shot(page, `${name}-${lang}`);
            if (lang === 'en' && path !== paths[1] && path !== paths[3]) continue;
            const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
            const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            expect(bad.map((v) => `${path} (${lang}): ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
          }
        } finally {
          await context.close();
        }
      }
    }
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('badge images render, and the QR code on the badge page, read from a screenshot, names that page', async () => {
    const { context, page } = await open({ viewport: DESKTOP, lang: 'en' });
    try {
      await page.goto(`${t.origin}/members/${memberId}?lang=en`);
      const badge = page.locator(`img[src^="/badge/members/${memberId}.svg"]`);
      await badge.waitFor();
      expect(await badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await page.goto(`${t.origin}/programs/KOL_TRUST?lang=en`);
      expect(await page.locator('img[src^="/badge/KOL_TRUST.svg"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const svg = await page.goto(`${t.origin}/badge/account.svg?url=${encodeURIComponent(ALLIANCE_CHANNELS[0])}&lang=en`);
      expect(svg?.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');

      await page.goto(`${t.origin}/verify/badge/${badgeId}?lang=en`);
      const png = await page.locator('.qr-code').screenshot();
      if (SAVE) writeFileSync(join(SCREENSHOTS, 'qr-badge.png'), png);
      // Decode the screenshot's pixels in the page (a canvas), read the code in Node with jsQR.
      const pixels = await page.evaluate(async (dataUrl) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        return { width: canvas.width, height: canvas.height, data: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data) };
      }, `data:image/png;base64,${png.toString('base64')}`);
      const code = jsQR(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
      expect(code?.data).toBe(`${t.origin}/verify/badge/${badgeId}`);
    } finally {
      await context.close();
    }
  });
});
