/**
 * Link-preview cards (Open Graph / Twitter `og:image`): a 1200×630 PNG with the status, the
 * name, the program and the date, drawn as SVG and rendered to PNG with @resvg/resvg-js (fonts
 * of the machine; nothing is downloaded), cached by content in memory.
 *
 * - `/card/site.png`: the registry's own card;
 * - `/card/check.png?url=…` (the check page's question): the answer's card;
 * - `/card/badge/<id>.png` and `/card/members/<id>.png`.
 */
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import type { Registry } from '@trust-alliance/core';
import { parseVerifyQuery } from '../http/verify.ts';
import { toAccountInput } from '../verification/verification-view.ts';
import { cacheable, RouteResponse } from '../http/respond.ts';
import { messages, pageLang, type Messages } from './i18n.ts';
import { badgeColourOf } from './status.tsx';
import { ID_PATTERN, memberStanding } from './standing.ts';
import { atFromForm } from './check-page.tsx';
import { methodNotAllowed } from './page.tsx';

export const CARD_PREFIX = '/card/';
const CARD_MAX_AGE_SECONDS = 300;
const MAX_CACHED = 200;
const cache = new Map<string, Buffer>();

export interface CardText {
  status: string | null;
  title: string;
  lines: string[];
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** At most `max` characters (a name of any length must fit the card). Bidi controls dropped. */
function fit(text: string, max: number): string {
  const clean = text.replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function cardSvg(m: Messages, card: CardText): string {
  const colour = card.status ? badgeColourOf(card.status) : '#0b57d0';
  const statusWord = card.status ? m.code('badgeShort', card.status) : m.text('siteShort');
  const lines = card.lines.map((line, i) => `<text x="80" y="${400 + i * 56}" font-size="40" fill="#333333">${xml(fit(line, 52))}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#ffffff"/>
<rect width="1200" height="24" fill="${colour}"/>
<text x="80" y="110" font-size="36" font-family="DejaVu Sans, Liberation Sans, sans-serif" fill="#333333">${xml(m.text('siteName'))}</text>
<rect x="80" y="160" rx="12" width="${Math.min(1040, 60 + statusWord.length * 40)}" height="96" fill="${colour}"/>
<text x="110" y="228" font-size="60" font-weight="bold" font-family="DejaVu Sans, Liberation Sans, sans-serif" fill="#ffffff">${xml(statusWord)}</text>
<text x="80" y="330" font-size="52" font-weight="bold" font-family="DejaVu Sans, Liberation Sans, sans-serif" fill="#111111">${xml(fit(card.title, 40))}</text>
<g font-family="DejaVu Sans, Liberation Sans, sans-serif">${lines}</g>
</svg>`;
}

/** The card's PNG, rendered once per distinct content. */
export function cardPng(svg: string): { png: Buffer; etag: string } {
  const hash = createHash('sha256').update(svg).digest('base64url').slice(0, 27);
  let png = cache.get(hash);
  if (!png) {
    png = new Resvg(svg, { fitTo: { mode: 'width', value: 1200 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(hash, png);
  }
  return { png, etag: `"${hash}"` };
}

async function cardText(registry: Registry, url: URL, m: Messages): Promise<CardText | null> {
  const rest = url.pathname.slice(CARD_PREFIX.length);
  if (rest === 'site.png') return { status: null, title: m.text('checkTitle'), lines: [m.text('navWarnings'), m.text('navReport')] };
  if (rest === 'check.png') {
    const params = new URLSearchParams(url.searchParams);
    params.delete('lang');
    const at = params.get('at');
    if (at) params.set('at', atFromForm(at, registry.now()));
    let query: ReturnType<typeof parseVerifyQuery>;
    try {
      query = parseVerifyQuery(params);
    } catch {
      return null;
    }
    const result = await registry.verify(toAccountInput(query.input), { ...(query.at ? { at: query.at } : {}), lang: m.lang });
    const account = result.account?.url ?? ('url' in result.input ? result.input.url : result.input.handle);
    const program = result.programs.find((p) => p.status === result.status)?.program;
    return {
      status: result.status,
      title: result.member?.displayName ?? account,
      lines: [account, ...(program ? [m.code('program', program)] : []), `${m.text('answerAsOf')}: ${m.date(result.at)}`],
    };
  }
  const badge = /^badge\/([^/]+)\.png$/.exec(rest);
  if (badge && ID_PATTERN.test(badge[1]!)) {
    const found = await registry.getBadge(badge[1]!);
    const member = found ? await registry.getMember(found.memberId) : null;
    if (!found || !member) return null;
    const { answer } = await memberStanding(registry, member.id, m.lang, found.program);
    return { status: answer?.status ?? null, title: member.displayName, lines: [m.code('program', found.program), `${m.text('until')}: ${m.date(found.expiresAt)}`] };
  }
  const member = /^members\/([^/]+)\.png$/.exec(rest);
  if (member && ID_PATTERN.test(member[1]!)) {
    const found = await registry.getMember(member[1]!);
    if (!found) return null;
    const { answer } = await memberStanding(registry, found.id, m.lang);
    const program = answer?.programs.find((p) => p.status === answer.status)?.program;
    return { status: answer?.status ?? null, title: found.displayName, lines: [m.code('kind', found.kind), ...(program ? [m.code('program', program)] : [])] };
  }
  return null;
}

/** A card route's answer, or null (404) when it names nothing. */
export async function cardImage(registry: Registry, request: Request, url: URL): Promise<Response | null> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const text = await cardText(registry, url, m);
  if (!text) return null;
  const { png, etag } = cardPng(cardSvg(m, text));
  const response = cacheable(request, { body: '', contentType: 'image/png', etag, maxAgeSeconds: CARD_MAX_AGE_SECONDS, headers: { 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'cross-origin', vary: 'Accept-Language' } });
  if (response.status !== 200 || request.method === 'HEAD') return response;
  const headers = new Headers(response.headers);
  headers.set('content-length', String(png.byteLength));
  return new RouteResponse(new Uint8Array(png), { status: 200, headers });
}
