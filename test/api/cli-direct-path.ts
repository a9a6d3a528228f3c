/**
 * For tests of the CLI's direct path (no running service): a data folder of the file's own with
 * DATABASE_URL and TRUST_DATA_KEY removed from this process (never a shared PostgreSQL), put back
 * afterwards, and `cli(...)` running the CLI in process with its output captured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../services/api/src/cli/main.ts';

/**
 * Registers the hooks; `dataDir` is set once the first beforeAll has run (hooks run in order, so
 * a file's own beforeAll after this call can use it).
 *
 * @example const folder = embeddedCliFolder('trust-cli-'); beforeAll(() => openRegistry({ dataDir: folder.dataDir }));
 */
export function embeddedCliFolder(prefix: string): { dataDir: string } {
  const folder = { dataDir: '' };
  let root = '';
  const saved = { DATABASE_URL: process.env.DATABASE_URL, TRUST_DATA_DIR: process.env.TRUST_DATA_DIR, TRUST_DATA_KEY: process.env.TRUST_DATA_KEY };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    folder.dataDir = join(root, 'data');
    delete process.env.DATABASE_URL;
    delete process.env.TRUST_DATA_KEY;
    process.env.TRUST_DATA_DIR = folder.dataDir;
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (root) await rm(root, { recursive: true, force: true });
  });
  return folder;
}

/** Runs `pnpm cli <args>` in process: its exit code and what it wrote. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
