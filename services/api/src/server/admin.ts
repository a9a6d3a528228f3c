/**
 * Loopback-only admin routes, so the CLI works while the service holds the embedded database
 * (PGlite admits one process at a time). The service writes `api-service.json` (mode 0600)
 * into the data folder with its origin and a random secret; the CLI reads it and calls:
 *
 * - `POST /admin/token` `{ role, subject?, ttlSeconds? }` → `{ token }`
 * - `POST /admin/seed` → the seed summary
 * - `POST /admin/keys/list` → `{ keys }` (the key history, public parts only)
 * - `POST /admin/keys/rotate` `{ algorithm?, reason? }` → `{ key }` (the new current key)
 * - `POST /admin/keys/compromise` `{ kid, reason }` → `{ key }` (the key marked compromised)
 *
 * Core's exposed failures come back as `{ error, code }` with the status core's error table
 * (ERROR_TABLE) gives their code (400 INVALID_INPUT, 404 NOT_FOUND, 409 INVALID_TRANSITION, …).
 *
 * A request must come from 127.0.0.0/8 or ::1 AND carry the secret in `x-trust-admin-secret`;
 * whoever can read the data folder can read the database anyway, so the file grants nothing new.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '@trust-alliance/core';
import type { AccessTokenService } from '../auth/access-tokens.ts';
import { MAX_ACCESS_TOKEN_TTL_SECONDS as MAX_TTL_SECONDS, ERROR_TABLE, isRole, RegistryError, type KeyHistoryEntry } from '@trust-alliance/core';
import { seedDemo } from '../demo/seed-demo.ts';
import type { Route } from './create-yoga.ts';
import { readBody } from './request-body.ts';
import { sendNoStore } from '../http/respond.ts';
import { processIsAlive } from '../lifecycle/process-alive.ts';

export const SERVICE_FILE = 'api-service.json';

export interface ServiceFile {
  pid: number;
  origin: string;
  adminSecret: string;
  startedAt: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A small JSON body (an empty one is `{}`); throws when too large or not JSON. */
async function readJsonBody(req: IncomingMessage, max = 10_000): Promise<unknown> {
  const read = await readBody(req, max);
  if (!read.ok) throw new Error(read.message);
  const text = read.bytes.toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** The admin routes, guarded by `secret`. */
export function adminRoutes(options: { registry: Registry; tokens: AccessTokenService; secret: string }): Route[] {
  const expected = Buffer.from(options.secret);
  const allowed = (req: IncomingMessage): boolean => {
    if (!isLoopback(req.socket.remoteAddress)) return false;
    const given = Buffer.from(String(req.headers['x-trust-admin-secret'] ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const guard = (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return sendNoStore(res, 405, { error: 'POST only' });
    if (!allowed(req)) return sendNoStore(res, 403, { error: 'Forbidden' });
    await handle(req, res);
  };
  return [
    {
      path: '/admin/token',
      handle: guard(async (req, res) => {
        const body = (await readJsonBody(req).catch(() => null)) as { role?: unknown; subject?: unknown; ttlSeconds?: unknown } | null;
        if (!body || !isRole(body.role)) return sendNoStore(res, 400, { error: 'role must be one of ADMIN, OFFICER, PLATFORM, BUSINESS, MEMBER' });
        const ttl = body.ttlSeconds ?? 3600;
        if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return sendNoStore(res, 400, { error: `ttlSeconds must be 1 to ${MAX_TTL_SECONDS}` });
        if (body.subject !== undefined && (typeof body.subject !== 'string' || body.subject.length === 0 || body.subject.length > 200)) return sendNoStore(res, 400, { error: 'subject must be 1 to 200 characters' });
        const token = await options.tokens.issueAccessToken({ role: body.role, ttlSeconds: ttl, ...(typeof body.subject === 'string' ? { subject: body.subject } : {}) });
        sendNoStore(res, 200, { token });
      }),
    },
    {
      path: '/admin/seed',
      handle: guard(async (_req, res) => sendNoStore(res, 200, await seedDemo(options.registry))),
    },
    {
      path: '/admin/keys/list',
      handle: guard(async (_req, res) => sendNoStore(res, 200, { keys: (await options.registry.keys.history()).map(publicKey) })),
    },
    {
      path: '/admin/keys/rotate',
      handle: guard(async (req, res) => {
        const body = (await readJsonBody(req).catch(() => null)) as { algorithm?: unknown; reason?: unknown } | null;
        if (!body) return sendNoStore(res, 400, { error: 'the body must be JSON' });
        if (body.algorithm !== undefined && body.algorithm !== 'EdDSA' && body.algorithm !== 'ES256') return sendNoStore(res, 400, { error: 'algorithm must be EdDSA or ES256' });
        if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length === 0 || body.reason.length > 500)) return sendNoStore(res, 400, { error: 'reason must be 1 to 500 characters' });
        await coreCall(res, async () => ({ key: publicKey(await options.registry.keys.rotate(body.algorithm as 'EdDSA' | 'ES256' | undefined, body.reason as string | undefined)) }));
      }),
    },
    {
      path: '/admin/keys/compromise',
      handle: guard(async (req, res) => {
        const body = (await readJsonBody(req).catch(() => null)) as { kid?: unknown; reason?: unknown } | null;
        if (!body || typeof body.kid !== 'string' || body.kid.length === 0 || body.kid.length > 200) return sendNoStore(res, 400, { error: 'kid is required' });
        if (typeof body.reason !== 'string' || body.reason.length > 500) return sendNoStore(res, 400, { error: 'reason is required (at most 500 characters)' });
        const { kid, reason } = body as { kid: string; reason: string };
        await coreCall(res, async () => ({ key: publicKey(await options.registry.keys.markCompromised(kid, reason)) }));
      }),
    },
  ];
}

/** A key history entry without its JWK (the CLI shows kid, algorithm, status, dates, reason). */
function publicKey(k: KeyHistoryEntry) {
  const { publicJwk: _jwk, ...rest } = k;
  return rest;
}

/** Runs a core operation; its exposed failures answer with core's error table's status and `{ error, code }`. */
async function coreCall(res: ServerResponse, run: () => Promise<unknown>): Promise<void> {
  try {
    sendNoStore(res, 200, await run());
  } catch (error) {
    if (error instanceof RegistryError && ERROR_TABLE[error.code].exposed) return sendNoStore(res, ERROR_TABLE[error.code].httpStatus, { error: error.message, code: error.code });
    throw error;
  }
}

/** A fresh admin secret. */
export const newAdminSecret = (): string => randomBytes(32).toString('base64url');

export async function writeServiceFile(dataDir: string, file: ServiceFile): Promise<void> {
  await writeFile(join(dataDir, SERVICE_FILE), JSON.stringify(file, null, 2), { mode: 0o600 });
}

export async function removeServiceFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, SERVICE_FILE), { force: true });
}

/** The running service on this data folder, or null (no file, or its process is gone). */
export async function readServiceFile(dataDir: string): Promise<ServiceFile | null> {
  let file: ServiceFile;
  try {
    file = JSON.parse(await readFile(join(dataDir, SERVICE_FILE), 'utf8')) as ServiceFile;
  } catch {
    return null;
  }
  return processIsAlive(file.pid) ? file : null;
}
