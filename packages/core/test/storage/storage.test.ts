/**
 * Storage: the embedded database keeps its data (and its generated data key) in a folder
 * across restarts, and refuses a second process; with DATABASE_URL the same code runs on
 * PostgreSQL.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.ts';
import { MEMBERSHIP_BASES, createTestDatabase, registryInternals } from '../../src/testing/index.ts';

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

describe('embedded storage (PGlite in a data folder)', () => {
  it('keeps members, their sealed personal data and the data key across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trust-data-'));
    folders.push(dataDir);
    const first = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    const member = await first.registerMember({ kind: 'KOL', displayName: 'Lê Thị Bền', personal: { email: 'ben@example.vn' }, bases: [...MEMBERSHIP_BASES] });
    await first.close();

    const keyFile = await stat(join(dataDir, 'data-key'));
    expect(keyFile.mode & 0o777).toBe(0o600);

    const second = await openRegistry({ dataDir, databaseUrl: '', dataKey: '' });
    try {
      expect((await second.getMember(member.id))?.displayName).toBe('Lê Thị Bền');
      expect(await second.readPersonalData(member.id, ['email'], { id: 'officer-1', role: 'OFFICER' }, { purpose: 'CONTACT' })).toEqual({ email: 'ben@example.vn' });
      expect(second.migrations.applied).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('PostgreSQL storage', () => {
  it('migrates a fresh database and runs the same operations', async () => {
    const test = await createTestDatabase();
    const registry = await openRegistry({ databaseUrl: test.databaseUrl, dataKey: 'a'.repeat(43) });
    try {
      expect(registryInternals(registry).db.kind).toBe('postgres');
      expect(registryInternals(registry).db.migrations.applied.length).toBeGreaterThan(0);
      const member = await registry.registerMember({ kind: 'PAGE_ADMIN', displayName: 'Trần Văn Phố' });
      expect((await registry.listMembers({ text: 'tran van pho' })).members.map((m) => m.id)).toEqual([member.id]);
    } finally {
      await registry.close();
      await test.drop();
    }
  });

  it('keeps the connections it opened past pg-pool\'s 10 s idle timeout (a fresh backend is slow for its first statements)', async () => {
    const test = await createTestDatabase();
    const registry = await openRegistry({ databaseUrl: test.databaseUrl, dataKey: 'a'.repeat(43) });
    try {
      const { sql } = registryInternals(registry).db;
      // Four statements at once hold four connections.
      await Promise.all(Array.from({ length: 4 }, () => sql.query('SELECT pg_sleep(0.2)')));
      const opened = registry.databasePool()!.total;
      expect(opened).toBeGreaterThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(registry.databasePool()).toMatchObject({ total: opened, idle: opened });
    } finally {
      await registry.close();
      await test.drop();
    }
  }, 30_000);

  it('refuses to start without TRUST_DATA_KEY, since a key beside the database is no secret', async () => {
    const test = await createTestDatabase();
    const saved = process.env.TRUST_DATA_KEY;
    delete process.env.TRUST_DATA_KEY;
    try {
      await expect(openRegistry({ databaseUrl: test.databaseUrl })).rejects.toMatchObject({ code: 'KEY_ERROR' });
    } finally {
      if (saved !== undefined) process.env.TRUST_DATA_KEY = saved;
      await test.drop();
    }
  });
});
