/**
 * `GET /status-lists/<id>`: the signed Status List Token (`typ: statuslist+jwt`, IETF OAuth Token
 * Status List) every attestation's `status.status_list.uri` points at, as core builds it
 * (`registry.getStatusListToken`, rebuilt only when an entry changed).
 *
 * `Content-Type: application/statuslist+jwt`, `Cache-Control: public, max-age=<ttl>` where ttl is the
 * one core returns with the token and signs into it (the registry's `statusListTtlSeconds`,
 * TRUST_STATUS_LIST_TTL in the service), so the header and the token never disagree,
 * a strong `ETag` from the list's revision (and a hash of the token, which is re-signed before
 * it expires at the same revision), 304 on `If-None-Match`; 404 for an unknown list.
 *
 * Compression is negotiated: with `Accept-Encoding` allowing gzip, the token is sent gzipped
 * (`Content-Encoding: gzip`, its own ETag), always with `Vary: Accept-Encoding`.
 *
 * `?time=<NumericDate>` (historical resolution, Token Status List draft) is answered
 * 501 Not Implemented, as the draft asks of a provider that does not resolve history: the
 * registry keeps every history `verify` needs, but a list as of a past moment is not built yet
 * (docs/protocols/token-status-list.md says why).
 *
 * @example
 * curl -s http://localhost:4000/status-lists/1   # eyJhbGciOiJFZERTQSIsImtpZCI6…
 * curl -s --compressed http://localhost:4000/status-lists/1
 */
import { gzipSync } from 'node:zlib';
import { RegistryError, type Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { cacheable, errorResponse, notModified, publicHeaders, refuseUnlessGet, shortHash, RouteResponse } from './respond.ts';

/** Where the lists are served (core's `statusListUri` puts them there under the issuer). */
export const STATUS_LIST_PATH = '/status-lists/';
/** The media type of a Status List Token. */
export const STATUS_LIST_CONTENT_TYPE = 'application/statuslist+jwt';

const LIST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `Accept-Encoding` allows gzip (RFC 9110 §12.5.3: named, or `*`, with q > 0). */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (name === 'gzip' || name === 'x-gzip') gzip = Number.isFinite(q) ? q : 0;
    else if (name === '*') star = Number.isFinite(q) ? q : 0;
  }
  return (gzip ?? star ?? 0) > 0;
}

async function handle(registry: Registry, request: Request, url: URL): Promise<Response> {
  const refused = refuseUnlessGet(request);
  if (refused) return refused;
  const id = url.pathname.slice(STATUS_LIST_PATH.length);
  if (!LIST_ID.test(id)) return errorResponse('NOT_FOUND', 'No such status list');
  if (url.searchParams.has('time')) {
    return errorResponse('NOT_IMPLEMENTED', 'Historical resolution (?time=) of status lists is not implemented; ask /v1/verify?at=… for a past moment.', 'time');
  }
  let token: Awaited<ReturnType<Registry['getStatusListToken']>>;
  try {
    token = await registry.getStatusListToken(id);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'NOT_FOUND') return errorResponse('NOT_FOUND', 'No such status list');
    throw error;
  }
  const etag = `"${token.revision}-${shortHash(token.jwt)}"`;
  if (!acceptsGzip(request.headers.get('accept-encoding'))) {
    return cacheable(request, { body: token.jwt, contentType: STATUS_LIST_CONTENT_TYPE, etag, maxAgeSeconds: token.ttl, headers: { vary: 'Accept-Encoding' } });
  }
  // A strong ETag names one representation: the gzipped one has its own.
  const gzEtag = `${etag.slice(0, -1)}-gzip"`;
  const headers = { ...publicHeaders(token.ttl), etag: gzEtag, vary: 'Accept-Encoding' };
  if (notModified(request, gzEtag)) return new RouteResponse(null, { status: 304, headers });
  const body = gzipSync(token.jwt);
  return new RouteResponse(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: { ...headers, 'content-type': STATUS_LIST_CONTENT_TYPE, 'content-encoding': 'gzip', 'content-length': String(body.byteLength) },
  });
}

/** The `/status-lists/<id>` route. */
export function statusListRoutes(registry: Registry): Route[] {
  return [{ path: STATUS_LIST_PATH, handle: (request, url) => handle(registry, request, url) }];
}
