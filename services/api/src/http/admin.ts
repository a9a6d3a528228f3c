/**
 * Loopback-only admin routes, so the CLI works while the service holds the embedded database
 * (PGlite admits one process at a time). The service writes `api-service.json`
 * (lifecycle/service-file.ts) into the data folder with its origin and a random secret; the CLI
 * reads it and calls:
 *
 * - `POST /admin/token` `{ role, subject?, ttlSeconds? }` → `{ token }`
 * - `POST /admin/seed` → the seed summary
 * - `POST /admin/keys/list` → `{ keys }` (the key history, public parts only)
 * - `POST /admin/keys/rotate` `{ algorithm?, reason? }` → `{ key }` (the new current key)
 * - `POST /admin/keys/compromise` `{ kid, reason }` → `{ key }` (the key marked compromised)
 * - `POST /admin/log-key/rotate` `{ reason? }` → `{ key }` (the log's new note key; witnesses must be told)
 *
 * Core's exposed failures come back as `{ error, code }` with the status core's error table
 * (ERROR_TABLE) gives their code (400 INVALID_INPUT, 404 NOT_FOUND, 409 INVALID_TRANSITION, …).
 *
 * A request must come from 127.0.0.0/8 or ::1 AND carry the secret in `x-trust-admin-secret`;
 * whoever can read the data folder can read the database anyway, so the file grants nothing new.
 */
import { timingSafeEqual } from 'node:crypto';
import { ERROR_TABLE, MAX_ACCESS_TOKEN_TTL_SECONDS as MAX_TTL_SECONDS, RegistryError, isRole, type KeyHistoryEntry, type Registry } from '@trust-alliance/core';
import type { AccessTokenService } from '../auth/access-tokens.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { RequestFacts, Route } from './route.ts';
import { noStore, readSmallJson } from './respond.ts';

/** Largest admin request body. */
const MAX_ADMIN_BODY_BYTES = 10_000;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

type AdminBody = Record<string, unknown>;

/** The admin routes, guarded by `secret`. */
export function adminRoutes(options: { registry: Registry; tokens: AccessTokenService; secret: string }): Route[] {
  const expected = Buffer.from(options.secret);
  const allowed = (request: Request, facts: RequestFacts): boolean => {
    if (!isLoopback(facts.remoteAddress)) return false;
    const given = Buffer.from(request.headers.get('x-trust-admin-secret') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const admin = (path: string, handle: (body: AdminBody) => Promise<Response>): Route => ({
    path,
    handle: async (request, _url, facts) => {
      if (request.method !== 'POST') return noStore(405, { error: 'POST only' }, { allow: 'POST' });
      if (!allowed(request, facts)) return noStore(403, { error: 'Forbidden' });
      const body = await readSmallJson(request, MAX_ADMIN_BODY_BYTES);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return noStore(400, { error: `the body must be a JSON object of at most ${MAX_ADMIN_BODY_BYTES} bytes` });
      return handle(body as AdminBody);
    },
  });
  return [
    admin('/admin/token', async (body) => {
      if (!isRole(body.role)) return noStore(400, { error: 'role must be one of ADMIN, OFFICER, PLATFORM, BUSINESS, MEMBER' });
      const ttl = body.ttlSeconds ?? 3600;
      if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return noStore(400, { error: `ttlSeconds must be 1 to ${MAX_TTL_SECONDS}` });
      if (body.subject !== undefined && (typeof body.subject !== 'string' || body.subject.length === 0 || body.subject.length > 200)) return noStore(400, { error: 'subject must be 1 to 200 characters' });
      const token = await options.tokens.issueAccessToken({ role: body.role, ttlSeconds: ttl, ...(typeof body.subject === 'string' ? { subject: body.subject } : {}) });
      return noStore(200, { token });
    }),
    admin('/admin/seed', async () => noStore(200, await seedDemo(options.registry))),
    admin('/admin/keys/list', async () => noStore(200, { keys: (await options.registry.keys.history()).map(publicKey) })),
    admin('/admin/keys/rotate', async (body) => {
      const { algorithm, reason } = body;
      if (algorithm !== undefined && algorithm !== 'EdDSA' && algorithm !== 'ES256') return noStore(400, { error: 'algorithm must be EdDSA or ES256' });
      if (reason !== undefined && (typeof reason !== 'string' || reason.length === 0 || reason.length > 500)) return noStore(400, { error: 'reason must be 1 to 500 characters' });
      return coreCall(async () => ({ key: publicKey(await options.registry.keys.rotate(algorithm, reason)) }));
    }),
    admin('/admin/log-key/rotate', async (body) => {
      const { reason } = body;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length === 0 || reason.length > 500)) return noStore(400, { error: 'reason must be 1 to 500 characters' });
      return coreCall(async () => ({ key: await options.registry.log.rotateKey(reason) }));
    }),
    admin('/admin/keys/compromise', async (body) => {
      const { kid, reason } = body;
      if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200) return noStore(400, { error: 'kid is required' });
      if (typeof reason !== 'string' || reason.length > 500) return noStore(400, { error: 'reason is required (at most 500 characters)' });
      return coreCall(async () => ({ key: publicKey(await options.registry.keys.markCompromised(kid, reason)) }));
    }),
  ];
}

/** A key history entry without its JWK (the CLI shows kid, algorithm, status, dates, reason). */
function publicKey(k: KeyHistoryEntry) {
  const { publicJwk: _jwk, ...rest } = k;
  return rest;
}

/** Runs a core operation; its exposed failures answer with core's error table's status and `{ error, code }`. */
async function coreCall(run: () => Promise<unknown>): Promise<Response> {
  try {
    return noStore(200, await run());
  } catch (error) {
    if (error instanceof RegistryError && ERROR_TABLE[error.code].exposed) return noStore(ERROR_TABLE[error.code].httpStatus, { error: error.message, code: error.code });
    throw error;
  }
}
