/**
 * `GET /v1/verify`: the plain, cacheable lookup for platforms that check at volume (issue 5).
 *
 * - `?url=<any spelling of an account URL>` or `?platform=<PLATFORM>&handle=<handle>`, an
 *   optional `at=<ISO 8601>` for a past moment (at most 5 minutes ahead), `program=<BadgeProgram>`
 *   to answer for one program alone, and `lang=vi|en` for the reason messages (without it,
 *   `Accept-Language` decides: Vietnamese unless English is preferred; `Vary: Accept-Language`);
 * - answers exactly what GraphQL's `verify` answers (core's `registry.verify`, mapped by the same
 *   `toVerificationView`), as JSON; input that is not an account is a 200 with
 *   `status: INVALID_INPUT`, like GraphQL;
 * - a weak `ETag` over the answer without `checkedAt` (and without `at` unless it was asked
 *   for), honoured by `If-None-Match` → 304, and `Cache-Control: public, max-age=30`;
 * - missing, repeated or malformed parameters: 400 `{ error: { code: BAD_USER_INPUT, message, field } }`.
 *
 * @example
 * curl -s 'http://localhost:4000/v1/verify?url=https://m.facebook.com/TinNhiemSo.CanTho/?ref=share'
 * curl -s -H 'Accept-Language: en' 'http://localhost:4000/v1/verify?url=fb.com/tinnhiemso.cantho&program=KOL_TRUST'
 */
import { PROGRAMS, LANGS, PLATFORMS, pickLang, ValidationError, type Lang, type Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { MAX_ACCOUNT_INPUT_LENGTH, MAX_HANDLE_LENGTH, toAccountInput, toVerificationView, type AccountArg, type VerificationView } from '../verification/verification-view.ts';
import { cacheable, errorResponse, refuseUnlessGet, weakEtag } from './respond.ts';

/** Seconds a verify answer may be cached (a suspension shows within this time). */
export const VERIFY_MAX_AGE_SECONDS = 30;

const PARAMS = ['url', 'platform', 'handle', 'at', 'program', 'lang'] as const;
type Param = (typeof PARAMS)[number];

class BadParam extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The parsed query of a /v1/verify request, or a BadParam. */
export function parseVerifyQuery(params: URLSearchParams): { input: AccountArg; at: Date | null; program: string | null; lang: Lang | null } {
  const one = (name: Param): string | null => {
    const values = params.getAll(name);
    if (values.length > 1) throw new BadParam(name, `${name} may be given once`);
    return values[0] ?? null;
  };
  for (const name of PARAMS) {
    // PostgreSQL text cannot hold NUL: refuse it here rather than fail in SQL.
    if (params.getAll(name).some((v) => v.includes('\u0000'))) throw new BadParam(name, `${name} must not contain the NUL character`);
  }
  const url = one('url');
  const platform = one('platform');
  const handle = one('handle');
  const atText = one('at');
  if (url !== null) {
    if (platform !== null || handle !== null) throw new BadParam('url', 'Give url, or platform and handle, not both');
    if (url.length > MAX_ACCOUNT_INPUT_LENGTH) throw new BadParam('url', `url must be at most ${MAX_ACCOUNT_INPUT_LENGTH} characters`);
  } else {
    if (platform === null && handle === null) throw new BadParam('url', 'Give url, or platform and handle');
    if (platform === null) throw new BadParam('platform', `platform is required with handle (one of ${PLATFORMS.join(', ')})`);
    if (handle === null) throw new BadParam('handle', 'handle is required with platform');
    if (!(PLATFORMS as readonly string[]).includes(platform.toUpperCase())) throw new BadParam('platform', `platform must be one of ${PLATFORMS.join(', ')}`);
    if (handle.length > MAX_HANDLE_LENGTH) throw new BadParam('handle', `handle must be at most ${MAX_HANDLE_LENGTH} characters`);
  }
  let at: Date | null = null;
  if (atText !== null) {
    at = new Date(atText);
    // Year 0000 parses in JavaScript but not in PostgreSQL: years 0001–9999 only.
    if (!/^\d{4}-\d{2}-\d{2}T/.test(atText) || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) throw new BadParam('at', 'at must be an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z');
  }
  const program = one('program');
  if (program !== null && !(PROGRAMS as readonly string[]).includes(program)) throw new BadParam('program', `program must be one of ${PROGRAMS.join(', ')}`);
  const lang = one('lang');
  if (lang !== null && !(LANGS as readonly string[]).includes(lang)) throw new BadParam('lang', `lang must be one of ${LANGS.join(', ')}`);
  return { input: url !== null ? { url } : { platform: platform!.toUpperCase(), handle }, at, program, lang: lang as Lang | null };
}

/**
 * The answer's JSON text, and the text its ETag is computed over: the same without `checkedAt`,
 * which changes on every call, and without `at` unless it was asked for (it moves too). One
 * JSON.stringify of the view, no copy of it (issue 16): `checkedAt` and `at` are the view's last
 * two fields, dates with no quote in them, so the stable text is the body with them cut out (a
 * quote inside any string before them is escaped, so the last `,"checkedAt":` is the field's).
 */
export function verifyBody(view: VerificationView, atAsked: boolean): { body: string; stable: string } {
  const body = JSON.stringify(view);
  const checkedAtField = body.lastIndexOf(',"checkedAt":');
  const atField = body.lastIndexOf(',"at":');
  return { body, stable: atAsked ? body.slice(0, checkedAtField) + body.slice(atField) : `${body.slice(0, checkedAtField)}}` };
}

async function handle(registry: Registry, request: Request, requestUrl: URL): Promise<Response> {
  const refused = refuseUnlessGet(request);
  if (refused) return refused;
  let query: ReturnType<typeof parseVerifyQuery>;
  try {
    query = parseVerifyQuery(requestUrl.searchParams);
  } catch (error) {
    if (error instanceof BadParam) return errorResponse('BAD_USER_INPUT', error.message, error.field);
    throw error;
  }
  const lang = query.lang ?? pickLang(request.headers.get('accept-language'));
  let result;
  try {
    result = await registry.verify(toAccountInput(query.input), { ...(query.at ? { at: query.at } : {}), ...(query.program ? { program: query.program } : {}), lang });
  } catch (error) {
    // An `at` out of range (in the future, before 1970): the caller's to fix.
    if (error instanceof ValidationError) return errorResponse('BAD_USER_INPUT', error.message, error.field ?? 'at');
    throw error;
  }
  const { body, stable } = verifyBody(toVerificationView(result), query.at !== null);
  return cacheable(request, {
    body,
    contentType: 'application/json; charset=utf-8',
    etag: weakEtag(stable),
    maxAgeSeconds: VERIFY_MAX_AGE_SECONDS,
    headers: { vary: 'Accept-Language', 'content-language': lang },
  });
}

/** The `/v1/verify` route. */
export function verifyRoutes(registry: Registry): Route[] {
  return [{ path: '/v1/verify', handle: (request, url) => handle(registry, request, url) }];
}
