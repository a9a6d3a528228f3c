/**
 * What the plain HTTP routes share: the error codes of their JSON error bodies,
 * `{ error: { code, message, field? } }` responses, ETags with `If-None-Match` → 304, and the
 * GET/HEAD method check, all over fetch `Response`s. Public routes also send
 * `Access-Control-Allow-Origin: *`, so the verifier package works from a browser page of any origin.
 */
import { createHash } from 'node:crypto';
// The Response class Yoga itself answers with (@whatwg-node/node-fetch on Node), not Node's
// global (undici) one: a string body stays a string, so Yoga writes it to the socket in one call
// (sendNodeResponse) instead of wrapping it in a ReadableStream and pumping that per request
// (issue 16: about a fifth of the CPU of a cache-missed GET /v1/verify went there).
import { Response as YogaResponse } from '@whatwg-node/fetch';

/** The Response class every route answers with (see above); routes build theirs with it too. */
export { YogaResponse as RouteResponse };

/** Every `error.code` a plain HTTP route answers with besides core's (ERROR_TABLE). */
export const HTTP_ERROR_CODES = {
  /** A query parameter is missing, repeated or malformed (`field` names it). Same code as GraphQL's. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No such resource (e.g. an unknown status list). */
  NOT_FOUND: 'NOT_FOUND',
  /** Only GET and HEAD are served here. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** A feature of a protocol the registry does not implement (a status list's `?time=`). */
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
} as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES];

const STATUS_OF: Record<HttpErrorCode, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, NOT_IMPLEMENTED: 501 };

const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers of every public, cacheable answer. */
export function publicHeaders(maxAgeSeconds: number): Record<string, string> {
  return { 'cache-control': `public, max-age=${maxAgeSeconds}`, 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' };
}

/** A JSON answer that no one may cache (service, admin and error answers). */
export function noStore(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new YogaResponse(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers } });
}

/** `{ error: { code, message, field? } }` with the code's status; never cached. */
export function errorResponse(code: HttpErrorCode, message: string, field?: string): Response {
  const headers: Record<string, string> = { 'access-control-allow-origin': '*' };
  if (code === 'METHOD_NOT_ALLOWED') headers.allow = 'GET, HEAD';
  return noStore(STATUS_OF[code], { error: { code, message, ...(field ? { field } : {}) } }, headers);
}

/** A 405 unless the request is a GET or HEAD (then null). */
export function refuseUnlessGet(request: Request): Response | null {
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  return errorResponse('METHOD_NOT_ALLOWED', `${request.method} is not allowed here: use GET`);
}

/** A weak ETag over `text` (e.g. the stable parts of a JSON body). */
export function weakEtag(text: string): string {
  return `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** A short hash of `text` for use inside an ETag. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2; `*` matches). */
export function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === wanted);
}

/**
 * `body` with `etag`, or 304 when the client holds it already; HEAD gets the headers only.
 * @example return cacheable(request, { body: JSON.stringify(doc), contentType: 'application/json; charset=utf-8', etag: weakEtag(text), maxAgeSeconds: 60 });
 */
export function cacheable(request: Request, options: { body: string; contentType: string; etag: string; maxAgeSeconds: number; headers?: Record<string, string> }): Response {
  const headers = { ...publicHeaders(options.maxAgeSeconds), etag: options.etag, ...options.headers };
  if (notModified(request, options.etag)) return new YogaResponse(null, { status: 304, headers });
  return new YogaResponse(request.method === 'HEAD' ? null : options.body, {
    status: 200,
    headers: { ...headers, 'content-type': options.contentType, 'content-length': String(Buffer.byteLength(options.body)) },
  });
}

/** A JSON document with a weak ETag over its text. */
export function cacheableJson(request: Request, document: unknown, maxAgeSeconds: number): Response {
  const body = JSON.stringify(document);
  return cacheable(request, { body, contentType: JSON_TYPE, etag: weakEtag(body), maxAgeSeconds });
}

/**
 * The body as text when it is at most `maxBytes` (reading stops there), else null.
 * @example const text = await readTextWithin(request, 10_000); if (text === null) return noStore(413, …);
 */
export async function readTextWithin(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A small JSON body read within `maxBytes` (an empty body is `{}`); null when larger or not JSON.
 * @example const body = await readSmallJson(request, 10_000); if (body === null) return noStore(400, …);
 */
export async function readSmallJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readTextWithin(request, maxBytes);
  if (text === null) return null;
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
