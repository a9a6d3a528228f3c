/**
 * `api-service.json` in the embedded database's data folder (mode 0600): the running service's
 * pid, origin and admin secret, so the CLI can go through the service that holds the folder
 * (http/admin.ts). Removed on a clean stop; a file left by a killed service is ignored because
 * its process is gone.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processIsAlive } from './process-alive.ts';

export const SERVICE_FILE = 'api-service.json';

export interface ServiceFile {
  pid: number;
  origin: string;
  adminSecret: string;
  startedAt: string;
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
