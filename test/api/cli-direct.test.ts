/**
 * The CLI's direct path: with no running service on the data folder, `pnpm cli` opens the
 * embedded database itself (taking the folder lock), and its exit codes follow core's error
 * table (3 refused input, 4 storage or keys). Always on a folder of its own, never on a shared
 * PostgreSQL (DATABASE_URL is removed for this file's process).
 */
import { describe, expect, it } from 'vitest';
import { openRegistry } from '@trust-alliance/core';
import { cli, embeddedCliFolder } from './cli-direct-path.ts';

const folder = embeddedCliFolder('trust-cli-');

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
    const registry = await openRegistry({ dataDir: folder.dataDir });
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

    const holder = await openRegistry({ dataDir: folder.dataDir });
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
