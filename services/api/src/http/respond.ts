/**
 * What the plain HTTP routes beside GraphQL share: the error codes of their JSON error bodies,
 * `{ error: { code, message, field? } }` responses, ETags with `If-None-Match` → 304, and the
 * GET/HEAD method check. Public routes also send `Access-Control-Allow-Origin: *`, so the
 * verifier package works from a browser page of any origin.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every `error.code` a plain HTTP route answers with. */
export const HTTP_ERROR_CODES = {
  /** A query parameter is missing, repeated or malformed (`field` names it). Same code as GraphQL's. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No such resource (e.g. an unknown status list). */
  NOT_FOUND: 'NOT_FOUND',
  /** Only GET and HEAD are served here. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
} as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES];

const STATUS_OF: Record<HttpErrorCode, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405 };

/** Headers of every public, cacheable answer. */
export function publicHeaders(maxAgeSeconds: number): Record<string, string> {
  return { 'cache-control': `public, max-age=${maxAgeSeconds}`, 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' };
}

/** A JSON answer that no one may cache (service, admin and error answers). */
export function sendNoStore(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `{ error: { code, message, field? } }` with the code's status; never cached. */
export function sendError(res: ServerResponse, code: HttpErrorCode, message: string, field?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*' };
  if (code === 'METHOD_NOT_ALLOWED') headers.allow = 'GET, HEAD';
  res.writeHead(STATUS_OF[code], headers);
  res.end(JSON.stringify({ error: { code, message, ...(field ? { field } : {}) } }));
}

/** False (after answering 405) unless the request is a GET or HEAD. */
export function allowGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  sendError(res, 'METHOD_NOT_ALLOWED', `${req.method ?? 'This method'} is not allowed here: use GET`);
  return false;
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
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === wanted);
}

/**
 * Sends `body` with `etag`, or 304 when the client holds it already; HEAD gets the headers only.
 * @example sendCacheable(req, res, { body: JSON.stringify(doc), contentType: 'application/json; charset=utf-8', etag: weakEtag(text), maxAgeSeconds: 60 });
 */
export function sendCacheable(req: IncomingMessage, res: ServerResponse, options: { body: string; contentType: string; etag: string; maxAgeSeconds: number }): void {
  const headers = { ...publicHeaders(options.maxAgeSeconds), etag: options.etag };
  if (notModified(req, options.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': options.contentType, 'content-length': String(Buffer.byteLength(options.body)) });
  res.end(req.method === 'HEAD' ? undefined : options.body);
}

/** A JSON document with a weak ETag over its text. */
export function sendJson(req: IncomingMessage, res: ServerResponse, document: unknown, maxAgeSeconds: number): void {
  const body = JSON.stringify(document);
  sendCacheable(req, res, { body, contentType: 'application/json; charset=utf-8', etag: weakEtag(body), maxAgeSeconds });
}
