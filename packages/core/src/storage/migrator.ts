/**
 * Applies the SQL migrations in the package's own `prisma/migrations` at every start, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so that both agree wherever
 * the Prisma schema engine exists. We need our own because the engine cannot be downloaded
 * on the machines this runs on (docs/MIGRATIONS.md).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../errors.ts';
import type { SqlExecutor } from './sql-executor.ts';

/** The folder holding the project's migrations. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** The lock id `prisma migrate` itself takes, so that we and it never migrate at once. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

/** Prisma's own DDL for its bookkeeping table (prisma-engines, migration-connector). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** One migration folder on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** sha-256 of the file, hex: what Prisma stores in `checksum`. */
  checksum: string;
}

/** What {@link applyMigrations} did. */
export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Reads the migration folders in name order (their timestamps order them).
 *
 * @example
 * const files = await readMigrations();
 * files.map((f) => f.name) // ['20261130000000_init', …]
 */
export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(`${dir}/${name}/migration.sql`);
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

/**
 * Applies every migration not yet applied, each in its own transaction, and refuses a
 * database where an applied migration's file has since changed or a migration failed half-way.
 *
 * @example
 * const report = await applyMigrations(executor);
 * console.log(report.applied); // names applied by this call
 */
export async function applyMigrations(executor: SqlExecutor, options: { dir?: string; onProgress?: (message: string) => void } = {}): Promise<MigrationReport> {
  const migrations = await readMigrations(options.dir);
  await executor.exec(CREATE_MIGRATIONS_TABLE);
  return executor.transaction(async (tx) => {
    // Held until commit: a second process starting at the same moment waits, then sees our rows.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
    const rows = await tx.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) {
        throw new StorageError('STORAGE_ERROR', `Migration ${row.migration_name} started but never finished; repair the database before starting (see docs/MIGRATIONS.md).`);
      }
      applied.set(row.migration_name, row);
    }
    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) {
        throw new StorageError('STORAGE_ERROR', `The database has migration ${name}, which this version of the registry does not know: it is newer than this code.`);
      }
    }
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new StorageError('MIGRATION_CHANGED', `Migration ${migration.name} was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Restore the file; put schema changes in a new migration.`);
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      options.onProgress?.(`applying migration ${migration.name}`);
      const id = randomUUID();
      await tx.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [id, migration.checksum, migration.name]);
      await tx.exec(migration.sql);
      await tx.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      report.applied.push(migration.name);
    }
    return report;
  });
}
