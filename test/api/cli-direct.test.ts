/**
 * The CLI's direct path: with no running service on the data folder, `pnpm cli` opens the
 * embedded database itself (taking the folder lock), and its exit codes follow core's error
 * table (3 refused input, 4 storage or keys). Always on a folder of its own, never on a shared
 * PostgreSQL (DATABASE_URL is removed for this file's process).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '@trust-alliance/core';
import { runCli } from '../../services/api/src/cli/main.ts';

let root: string;
let dataDir: string;
const saved = { DATABASE_URL: process.env.DATABASE_URL, TRUST_DATA_DIR: process.env.TRUST_DATA_DIR, TRUST_DATA_KEY: process.env.TRUST_DATA_KEY };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trust-cli-'));
  dataDir = join(root, 'data');
  delete process.env.DATABASE_URL;
  delete process.env.TRUST_DATA_KEY;
  process.env.TRUST_DATA_DIR = dataDir;
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(root, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pnpm cli without a running service', { timeout: 300_000 }, () => {
  it('migrates, seeds, verifies and issues a token on the embedded database', async () => {
    const migrated = await cli('migrate');
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.out).toMatch(/migration/i);

    const seeded = await cli('seed');
    expect(seeded.code, seeded.err).toBe(0);
    expect(seeded.out).toMatch(/^Seeded: \d+ members/);
    expect((await cli('seed')).out).toMatch(/^Nothing to do/);

    const verified = await cli('verify', 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share');
    expect(verified.code, verified.err).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ status: 'VERIFIED', account: { key: 'facebook:tinnhiemsocantho' } });

    const token = await cli('token', '--role', 'OFFICER', '--subject', 'officer-7');
    expect(token.code, token.err).toBe(0);
    const registry = await openRegistry({ dataDir });
    try {
      expect(await registry.keys.verifyAccessToken(token.out.trim())).toEqual({ role: 'OFFICER', subject: 'officer-7' });
    } finally {
      await registry.close();
    }
  });

  it('exits 3 when the registry refuses the input, and 4 when the folder is held by another process', async () => {
    const unknownKey = await cli('keys', 'compromise', 'no-such-kid', '--reason', 'test');
    expect(unknownKey.code).toBe(3);
    expect(unknownKey.err).toMatch(/not found/i);

    const holder = await openRegistry({ dataDir });
    try {
      const held = await cli('keys', 'list');
      expect(held.code).toBe(4);
      expect(held.err).toContain(`process ${process.pid}`);
    } finally {
      await holder.close();
    }
    expect((await cli('keys', 'list')).code).toBe(0);
  });
});
