/**
 * `GET /health` (the process answers) and `GET /ready` (it can serve: the database answers and,
 * for the embedded database, the data folder can be written: a full disk or a folder turned
 * read-only fails here, not at the next report). Both are never cached.
 */
import { access, constants, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { noStore } from './respond.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './unavailable.ts';

const unavailable = (message: string, retryAfterSeconds: number) =>
  noStore(503, { error: { code: 'SERVICE_UNAVAILABLE', message } }, { 'retry-after': String(retryAfterSeconds) });

/** The health and readiness routes; `dataDir` is the embedded database's folder, if any. */
export function healthRoutes(registry: Registry, dataDir?: string): Route[] {
  return [
    { path: '/health', handle: () => noStore(200, { status: 'ok' }) },
    {
      path: '/ready',
      handle: async () => {
        try {
          await registry.ping();
        } catch {
          return unavailable('The database cannot be reached. / Không kết nối được cơ sở dữ liệu.', UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        if (dataDir !== undefined) {
          const probe = join(dataDir, `.ready-${process.pid}`);
          try {
            await access(dataDir, constants.W_OK);
            await writeFile(probe, 'ok', { mode: 0o600 });
            await rm(probe, { force: true });
          } catch {
            return unavailable('The data folder cannot be written (full disk or read-only). / Không ghi được vào thư mục dữ liệu (đầy đĩa hoặc chỉ đọc).', 30);
          }
        }
        return noStore(200, { status: 'ready', database: registry.databaseKind });
      },
    },
  ];
}
