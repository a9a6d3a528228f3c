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
 * @example
 * curl -s http://localhost:4000/status-lists/1   # eyJhbGciOiJFZERTQSIsImtpZCI6…
 */
import { RegistryError, type Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { cacheable, errorResponse, refuseUnlessGet, shortHash } from './respond.ts';

/** Where the lists are served (core's `statusListUri` puts them there under the issuer). */
export const STATUS_LIST_PATH = '/status-lists/';
/** The media type of a Status List Token. */
export const STATUS_LIST_CONTENT_TYPE = 'application/statuslist+jwt';

const LIST_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function handle(registry: Registry, request: Request, url: URL): Promise<Response> {
  const refused = refuseUnlessGet(request);
  if (refused) return refused;
  const id = url.pathname.slice(STATUS_LIST_PATH.length);
  if (!LIST_ID.test(id)) return errorResponse('NOT_FOUND', 'No such status list');
  let token: Awaited<ReturnType<Registry['getStatusListToken']>>;
  try {
    token = await registry.getStatusListToken(id);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'NOT_FOUND') return errorResponse('NOT_FOUND', 'No such status list');
    throw error;
  }
  return cacheable(request, { body: token.jwt, contentType: STATUS_LIST_CONTENT_TYPE, etag: `"${token.revision}-${shortHash(token.jwt)}"`, maxAgeSeconds: token.ttl });
}

/** The `/status-lists/<id>` route. */
export function statusListRoutes(registry: Registry): Route[] {
  return [{ path: STATUS_LIST_PATH, handle: (request, url) => handle(registry, request, url) }];
}
