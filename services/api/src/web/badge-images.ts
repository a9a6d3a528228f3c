/**
 * Badge images in the shields.io style (`badge-maker`):
 * - `/badge/<program>.svg`: a program's mark, the `logo_uri` of its attestations (core's `badgeImageUri`);
 * - `/badge/members/<id>.svg`: a member's live status, to embed on a website or link-in-bio page;
 * - `/badge/account.svg?url=…` (or `platform` and `handle`): an account's live status.
 * Green VERIFIED, amber SUSPENDED, grey EXPIRED, red REVOKED or FLAGGED; the words are on the
 * badge and in its <title>, so status is not told by colour alone. Live badges are cached for a
 * minute with an ETag; images may be embedded anywhere (no frame or referrer restriction), but
 * an SVG opened on its own still runs no script (its own CSP).
 */
import { makeBadge } from 'badge-maker';
import { PROGRAMS, type Registry } from '@trust-alliance/core';
import { parseVerifyQuery } from '../http/verify.ts';
import { toAccountInput } from '../verification/verification-view.ts';
import { cacheable, weakEtag, RouteResponse } from '../http/respond.ts';
import { messages, pageLang, type Messages } from './i18n.ts';
import { badgeColourOf } from './status.tsx';
import { ID_PATTERN, memberStanding } from './standing.ts';
import { methodNotAllowed } from './page.tsx';

export const BADGE_IMAGE_PREFIX = '/badge/';
export const LIVE_BADGE_MAX_AGE_SECONDS = 60;
const PROGRAM_BADGE_MAX_AGE_SECONDS = 86_400;

/** Headers of every badge image: embeddable anywhere, inert when opened on its own. */
export const IMAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
  vary: 'Accept-Language',
});

const SVG_TYPE = 'image/svg+xml; charset=utf-8';

function svgResponse(request: Request, svg: string, maxAgeSeconds: number, lang: string, status = 200): Response {
  if (status !== 200) return new RouteResponse(svg, { status, headers: { ...IMAGE_HEADERS, 'content-type': SVG_TYPE, 'cache-control': `public, max-age=${LIVE_BADGE_MAX_AGE_SECONDS}`, 'content-language': lang } });
  return cacheable(request, { body: svg, contentType: SVG_TYPE, etag: weakEtag(svg), maxAgeSeconds, headers: { ...IMAGE_HEADERS, 'content-language': lang } });
}

/**
 * Rendered badges by language and text. There are only a few (statuses and programs, times two
 * languages), and drawing one costs more CPU than the verify behind it (badge-maker measures its
 * text: about 0.2 ms), so each is drawn once. Bounded all the same.
 */
const drawn = new Map<string, string>();
const MAX_DRAWN = 256;

function draw(label: string, message: string, color: string): string {
  const key = `${label}\u0000${message}\u0000${color}`;
  let svg = drawn.get(key);
  if (svg === undefined) {
    svg = makeBadge({ label, message, color, style: 'flat' });
    if (drawn.size >= MAX_DRAWN) drawn.clear();
    drawn.set(key, svg);
  }
  return svg;
}

/** The live status badge of a status decided by core. */
export function statusBadgeSvg(m: Messages, status: string): string {
  return draw(m.text('badgeLabel'), m.code('badgeShort', status), badgeColourOf(status));
}

export function programBadgeSvg(m: Messages, program: string): string {
  return draw(m.text('badgeLabel'), m.code('program', program), '#0b57d0');
}

export async function badgeImage(registry: Registry, request: Request, url: URL): Promise<Response | null> {
  const rest = url.pathname.slice(BADGE_IMAGE_PREFIX.length);
  const m = messages(pageLang(request, url));
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  if (rest === 'account.svg') {
    let status: string;
    try {
      const query = parseVerifyQuery(url.searchParams);
      status = (await registry.verify(toAccountInput(query.input), { ...(query.program ? { program: query.program } : {}), lang: m.lang })).status;
    } catch (error) {
      if (!(error instanceof Error && 'field' in error)) throw error;
      status = 'INVALID_INPUT';
    }
    return svgResponse(request, statusBadgeSvg(m, status), LIVE_BADGE_MAX_AGE_SECONDS, m.lang, status === 'INVALID_INPUT' ? 400 : 200);
  }
  const member = /^members\/([^/]+)\.svg$/.exec(rest);
  if (member) {
    const id = decodeURIComponent(member[1]!);
    const found = ID_PATTERN.test(id) ? await registry.getMember(id) : null;
    if (!found) return svgResponse(request, statusBadgeSvg(m, 'NOT_FOUND'), LIVE_BADGE_MAX_AGE_SECONDS, m.lang, 404);
    const { answer } = await memberStanding(registry, found.id, m.lang);
    return svgResponse(request, statusBadgeSvg(m, answer?.status ?? 'NOT_FOUND'), LIVE_BADGE_MAX_AGE_SECONDS, m.lang);
  }
  const program = /^([A-Z_]+)\.svg$/.exec(rest)?.[1];
  if (program && PROGRAMS.includes(program)) return svgResponse(request, programBadgeSvg(m, program), PROGRAM_BADGE_MAX_AGE_SECONDS, m.lang);
  return null;
}
