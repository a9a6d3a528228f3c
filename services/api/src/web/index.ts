/**
 * The public face: server-rendered pages in Vietnamese (default) and English, badge images, QR
 * codes and link-preview cards, over core's public API only (registry methods and
 * `registry.reads`; every status from `registry.verify`, core's one decision). One file per page:
 *
 * | path | file |
 * | --- | --- |
 * | `/` (and `/?url=…`, the shareable answer) | check-page.tsx |
 * | `/verify/badge/<id>` (an attestation's `ref`) | badge-page.tsx |
 * | `/members/<id>` | member-page.tsx |
 * | `/programs` (the list), `/programs/<program>` (an attestation's `trust_mark_type`) | program-page.tsx |
 * | `/about` (the alliance, the program, how to check and report) | about-page.tsx |
 * | `/warnings`, `/warnings.csv`, `/warnings.json` | warnings-page.tsx |
 * | `/report` (GET form, POST files a report) | report-page.tsx |
 * | `/badge/<program>.svg` (`logo_uri`), `/badge/members/<id>.svg`, `/badge/account.svg?url=…` | badge-images.ts |
 * | `/card/…png` (Open Graph images) | card.ts |
 * | `/assets/site.css` | assets.ts |
 *
 * This folder may import http/ and core; http/ never imports it (main.ts and the tests add
 * these routes beside `publicRoutes`).
 *
 * @example
 * const app = createApp({ registry, routes: [...publicRoutes(registry), ...webRoutes(registry)] });
 */
import type { Registry } from '@trust-alliance/core';
import type { Route } from '../http/route.ts';
import { assetRoutes } from './assets.ts';
import { checkPage } from './check-page.tsx';
import { BADGE_PAGE_PREFIX, badgePage } from './badge-page.tsx';
import { MEMBER_PAGE_PREFIX, memberPage } from './member-page.tsx';
import { PROGRAM_PAGE_PREFIX, PROGRAMS_PATH, programPage, programsPage } from './program-page.tsx';
import { ABOUT_PATH, aboutPage } from './about-page.tsx';
import { WARNINGS_CSV_PATH, WARNINGS_JSON_PATH, WARNINGS_PATH, warningsDownload, warningsPage } from './warnings-page.tsx';
import { REPORT_PATH, reportPage } from './report-page.tsx';
import { BADGE_IMAGE_PREFIX, badgeImage } from './badge-images.ts';
import { CARD_PREFIX, cardImage } from './card.ts';
import { messages, pageLang } from './i18n.ts';
import { notFoundPage } from './page.tsx';

export { PAGE_SECURITY_HEADERS, PAGE_MAX_AGE_SECONDS } from './page.tsx';
export { IMAGE_HEADERS, LIVE_BADGE_MAX_AGE_SECONDS } from './badge-images.ts';
export { CATALOGUE_KEYS, catalogueEntry, messages } from './i18n.ts';

/** Every web route, in matching order (exact paths first; `/` is exact). */
export function webRoutes(registry: Registry): Route[] {
  const orNotFound = (answer: (request: Request, url: URL) => Promise<Response | null>) => async (request: Request, url: URL) =>
    (await answer(request, url)) ?? notFoundPage(request, url, messages(pageLang(request, url)), registry.issuer);
  return [
    // A string ending in '/' is a prefix (http/route.ts): the root must be a RegExp to match '/' alone.
    { path: /^\/$/, handle: (request, url) => checkPage(registry, request, url) },
    { path: REPORT_PATH, handle: (request, url) => reportPage(registry, request, url) },
    { path: ABOUT_PATH, handle: async (request, url) => aboutPage(registry, request, url) },
    { path: PROGRAMS_PATH, handle: async (request, url) => programsPage(registry, request, url) },
    { path: WARNINGS_PATH, handle: (request, url) => warningsPage(registry, request, url) },
    { path: WARNINGS_CSV_PATH, handle: (request, url) => warningsDownload(registry, request, url, 'csv') },
    { path: WARNINGS_JSON_PATH, handle: (request, url) => warningsDownload(registry, request, url, 'json') },
    ...assetRoutes(),
    { path: BADGE_PAGE_PREFIX, handle: (request, url) => badgePage(registry, request, url) },
    { path: MEMBER_PAGE_PREFIX, handle: (request, url) => memberPage(registry, request, url) },
    { path: PROGRAM_PAGE_PREFIX, handle: (request, url) => programPage(registry, request, url) },
    { path: BADGE_IMAGE_PREFIX, handle: orNotFound((request, url) => badgeImage(registry, request, url)) },
    { path: CARD_PREFIX, handle: orNotFound((request, url) => cardImage(registry, request, url)) },
  ];
}
