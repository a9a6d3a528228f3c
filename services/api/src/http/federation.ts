/**
 * OpenID Federation 1.0 (draft 45) endpoints of the registry as a Trust Mark Issuer
 * (docs/protocols/openid-federation.md):
 *
 * - `GET /.well-known/openid-federation`: the Entity Configuration,
 *   `application/entity-statement+jwt` (`typ: entity-statement+jwt`);
 * - `POST /federation/trust-mark-status` (form `trust_mark=<jwt>`): a signed
 *   `application/trust-mark-status-response+jwt` saying active, expired, revoked, invalid or
 *   (our extension) suspended, from the mark's status-list entry (core's one decision);
 * - `GET /federation/trust-mark-list?trust_mark_type=…[&sub=…]`: the entity identifiers holding
 *   an active mark, as a JSON array;
 * - `GET /federation/trust-mark?trust_mark_type=…&sub=…`: the newest active mark,
 *   `application/trust-mark+jwt`.
 *
 * Errors use the draft's error response (§8.9): `{ error, error_description }` with
 * `invalid_request` (400), `not_found` (404) or `unsupported_…`-style 405 answers.
 */
import { FEDERATION_PATHS, type Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { cacheable, noStore, weakEtag, RouteResponse } from './respond.ts';

/** Seconds the Entity Configuration may be cached. */
export const ENTITY_CONFIGURATION_MAX_AGE_SECONDS = 300;
/** Largest trust mark status request body. */
const MAX_STATUS_BODY_BYTES = 64_000;
/** The organisation name in the Entity Configuration. */
export const FEDERATION_ORGANIZATION_NAME = 'Trust Alliance Registry / Liên minh Tín nhiệm';

const fedError = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
  noStore(status, { error, error_description: description }, { 'access-control-allow-origin': '*', ...headers });

const jwtResponse = (status: number, contentType: string, jwt: string) =>
  new RouteResponse(jwt, { status, headers: { 'content-type': contentType, 'cache-control': 'no-store', 'access-control-allow-origin': '*' } });

/** One query parameter given at most once; `undefined` when absent, null when repeated or empty. */
function param(url: URL, name: string): string | undefined | null {
  const values = url.searchParams.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1 || values[0] === '') return null;
  return values[0];
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_STATUS_BODY_BYTES) return null;
  const text = await request.text();
  if (text.length > MAX_STATUS_BODY_BYTES) return null;
  return new URLSearchParams(text);
}

/** The federation routes. */
export function federationRoutes(registry: Registry): Route[] {
  return [
    {
      path: FEDERATION_PATHS.entityConfiguration,
      handle: async (request) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') return fedError(405, 'invalid_request', 'use GET', { allow: 'GET, HEAD' });
        const jwt = await registry.federation.entityConfiguration(FEDERATION_ORGANIZATION_NAME);
        return cacheable(request, { body: jwt, contentType: 'application/entity-statement+jwt', etag: weakEtag(jwt), maxAgeSeconds: ENTITY_CONFIGURATION_MAX_AGE_SECONDS });
      },
    },
    {
      path: FEDERATION_PATHS.trustMarkStatus,
      handle: async (request) => {
        if (request.method !== 'POST') return fedError(405, 'invalid_request', 'use POST with an application/x-www-form-urlencoded body', { allow: 'POST' });
        const form = await readForm(request);
        if (form === null) return fedError(400, 'invalid_request', `the body must be application/x-www-form-urlencoded, at most ${MAX_STATUS_BODY_BYTES} bytes`);
        const marks = form.getAll('trust_mark');
        if (marks.length !== 1 || marks[0] === '') return fedError(400, 'invalid_request', 'trust_mark is required, once');
        const { jwt } = await registry.federation.trustMarkStatusResponse(marks[0]!);
        return jwtResponse(200, 'application/trust-mark-status-response+jwt', jwt);
      },
    },
    {
      path: FEDERATION_PATHS.trustMarkList,
      handle: async (request, url) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') return fedError(405, 'invalid_request', 'use GET', { allow: 'GET, HEAD' });
        const type = param(url, 'trust_mark_type');
        const sub = param(url, 'sub');
        if (typeof type !== 'string') return fedError(400, 'invalid_request', 'trust_mark_type is required, once');
        if (sub === null) return fedError(400, 'invalid_request', 'sub may be given once');
        const entities = await registry.federation.trustMarkedEntities(type, sub);
        if (entities === null) return fedError(404, 'not_found', `this issuer issues no trust mark of type ${type}`);
        return noStore(200, entities, { 'access-control-allow-origin': '*' });
      },
    },
    {
      path: FEDERATION_PATHS.trustMark,
      handle: async (request, url) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') return fedError(405, 'invalid_request', 'use GET', { allow: 'GET, HEAD' });
        const type = param(url, 'trust_mark_type');
        const sub = param(url, 'sub');
        if (typeof type !== 'string' || typeof sub !== 'string') return fedError(400, 'invalid_request', 'trust_mark_type and sub are required, once each');
        const mark = await registry.federation.currentTrustMark(type, sub);
        if (mark === null) return fedError(404, 'not_found', 'no active trust mark of this type for this subject');
        return jwtResponse(200, 'application/trust-mark+jwt', mark);
      },
    },
  ];
}
