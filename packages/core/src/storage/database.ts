/**
 * Opens the registry's database: embedded PGlite in a data folder when no `DATABASE_URL` is
 * given, PostgreSQL through `pg` otherwise. Both get the same migrations and the same
 * Prisma client (through its driver adapters), so the code above never knows which it has.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { StorageError } from '../errors.ts';
import { applyMigrations, type MigrationReport } from './migrator.ts';
import type { SqlExecutor } from './sql-executor.ts';

/** Where the registry keeps its data. */
export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder (default `./.data`); `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Largest pool size for PostgreSQL (default 10). */
  poolSize?: number | undefined;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

/** An open database: the Prisma client, a raw executor, and how to close both. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  readonly migrations: MigrationReport;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database.
 *
 * @example
 * const db = await openDatabase({ dataDir: 'memory://' });
 * await db.prisma.member.count();
 * await db.close();
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options.dataDir ?? './.data');
  try {
    const migrations = options.migrate === false ? { applied: [], alreadyApplied: [] } : await applyMigrations(opened.sql, { onProgress: options.onProgress });
    return { ...opened, migrations };
  } catch (error) {
    await opened.close().catch(() => {});
    throw error;
  }
}

type Opened = Omit<Database, 'migrations'>;

function openPostgres(connectionString: string, max: number): Opened {
  // JIT compilation costs hundreds of milliseconds on the registry's short lookups and buys nothing.
  const pool = new pg.Pool({ connectionString, max, options: '-c jit=off' });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlExecutor = {
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = [], options: { name?: string } = {}) =>
      (await pool.query<Row>(options.name ? { name: options.name, text, values: params as unknown[] } : { text, values: params as unknown[] })).rows,
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (text) => {
            await client.query(text);
          },
          query: async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) => (await client.query<Row>(text, params as unknown[])).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: 'postgres',
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Opened> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
  } catch (error) {
    throw new StorageError('STORAGE_ERROR', `Cannot open the embedded database in ${dataDir}: is another process (a running service?) holding it?`, error);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql: SqlExecutor = {
    exec: async (text) => {
      await pglite.exec(text);
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) => (await pglite.query<Row>(text, params as unknown[])).rows,
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          exec: async (text) => {
            await tx.exec(text);
          },
          query: async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) => (await tx.query<Row>(text, params as unknown[])).rows,
        }),
      ),
  };
  return {
    kind: 'pglite',
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
