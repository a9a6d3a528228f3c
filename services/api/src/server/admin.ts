/**
 * Loopback-only admin routes, so the CLI works while the service holds the embedded database
 * (PGlite admits one process at a time). The service writes `api-service.json` (mode 0600)
 * into the data folder with its origin and a random secret; the CLI reads it and calls:
 *
 * - `POST /admin/token` `{ role, subject?, ttlSeconds? }` → `{ token }`
 * - `POST /admin/seed` → the seed summary
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
import { MAX_ACCESS_TOKEN_TTL_SECONDS as MAX_TTL_SECONDS, isRole } from '@trust-alliance/core';
import { seedDemo } from '../demo/seed-demo.ts';
import type { Route } from './create-yoga.ts';

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

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, max = 10_000): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
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
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    if (!allowed(req)) return send(res, 403, { error: 'Forbidden' });
    await handle(req, res);
  };
  return [
    {
      path: '/admin/token',
      handle: guard(async (req, res) => {
        const body = (await readBody(req).catch(() => null)) as { role?: unknown; subject?: unknown; ttlSeconds?: unknown } | null;
        if (!body || !isRole(body.role)) return send(res, 400, { error: 'role must be one of ADMIN, OFFICER, PLATFORM, BUSINESS, MEMBER' });
        const ttl = body.ttlSeconds ?? 3600;
        if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return send(res, 400, { error: `ttlSeconds must be 1 to ${MAX_TTL_SECONDS}` });
        if (body.subject !== undefined && (typeof body.subject !== 'string' || body.subject.length === 0 || body.subject.length > 200)) return send(res, 400, { error: 'subject must be 1 to 200 characters' });
        const token = await options.tokens.issueAccessToken({ role: body.role, ttlSeconds: ttl, ...(typeof body.subject === 'string' ? { subject: body.subject } : {}) });
        send(res, 200, { token });
      }),
    },
    {
      path: '/admin/seed',
      handle: guard(async (_req, res) => send(res, 200, await seedDemo(options.registry))),
    },
  ];
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
  try {
    process.kill(file.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  return file;
}
