/**
 * The migrator: applies pending migrations once, records them as Prisma does, refuses a
 * database whose applied migration has since changed, and leaves nothing half applied.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, readMigrations, type Database } from '../../src/index.ts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/storage/migrator.ts';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.ts';

let opened: Array<{ db: Database; test: TestDatabase }> = [];

async function freshDatabase(): Promise<Database> {
  const test = await createTestDatabase();
  const db = await openDatabase(test.databaseUrl ? { databaseUrl: test.databaseUrl, migrate: false } : { dataDir: 'memory://', migrate: false });
  opened.push({ db, test });
  return db;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  for (const { db, test } of opened) {
    await db.close();
    await test.drop();
  }
  opened = [];
});

describe('migrator', () => {
  it('applies every migration once and records it as Prisma does', async () => {
    const db = await freshDatabase();
    const files = await readMigrations();
    const first = await applyMigrations(db.sql);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await applyMigrations(db.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });

    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations"',
    );
    expect(rows).toHaveLength(files.length);
    const sql = await readFile(join(DEFAULT_MIGRATIONS_DIR, files[0]!.name, 'migration.sql'));
    expect(rows[0]).toMatchObject({ migration_name: files[0]!.name, checksum: createHash('sha256').update(sql).digest('hex'), applied_steps_count: 1, rolled_back_at: null });
    expect(rows[0]!.finished_at).not.toBeNull();
  });

  it('refuses a database where an applied migration was changed afterwards', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(db.sql, { dir });
    const [first] = await readMigrations(dir);
    await writeFile(join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- an innocent-looking edit\n`);
    await expect(applyMigrations(db.sql, { dir })).rejects.toMatchObject({ code: 'MIGRATION_CHANGED', message: expect.stringContaining(first!.name) });
  });

  it('refuses a database with a migration this code does not know', async () => {
    const db = await freshDatabase();
    await applyMigrations(db.sql);
    await db.sql.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '29990101000000_future', now(), 1)`);
    await expect(applyMigrations(db.sql)).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringContaining('29990101000000_future') });
  });

  it('leaves nothing behind when a migration fails half-way', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await applyMigrations(db.sql, { dir });
    await mkdir(join(dir, '29990101000000_broken'));
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "HalfDone" (id TEXT);\nSELECT * FROM "NoSuchTable";\n');
    await expect(applyMigrations(db.sql, { dir })).rejects.toThrow();
    const tables = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'HalfDone'`);
    expect(tables[0]!.n).toBe(0);
    const recorded = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
    expect(recorded[0]!.n).toBe(0);
  });
});
