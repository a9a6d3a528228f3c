/**
 * Opens the registry's database: embedded PGlite in a data folder when no `DATABASE_URL` is
 * given, PostgreSQL through `pg` otherwise. Both get the same migrations and the same
 * Prisma client (through its driver adapters), so the code above never knows which it has.
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { StorageError } from '../errors.ts';
import { applyMigrations, type MigrationReport } from './migrator.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';
import { ReadRouter, type ReadReplicaOptions, type ReadRouterStats } from './read-replicas.ts';
import { openRegistryPool } from './registry-pool.ts';

/** Where the registry keeps its data. */
export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder (default `./.data`); `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Largest pool size for PostgreSQL (default 10); a connection once opened is kept (registry-pool.ts). */
  poolSize?: number | undefined;
  /**
   * Streaming replicas for the reads of `verify` (PostgreSQL only; storage/read-replicas.ts):
   * `DATABASE_READ_URL`, `DATABASE_READ_MAX_LAG_MS`.
   */
  readReplicas?: ReadReplicaOptions | undefined;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

/** An open database: the Prisma client, a raw executor, and how to close both. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  /**
   * For reads that may be a bounded moment old (the lookups of `verify`): a fresh replica when
   * `readReplicas` are set, the primary otherwise or when none is fresh enough.
   */
  readonly readSql: Pick<SqlExecutor, 'query'>;
  /** Tells the read routing that a change was committed (here or, by notice, elsewhere): read it back from the primary. */
  noteWrite(): void;
  /** What the read routing did (null without replicas). */
  readStats(): ReadRouterStats | null;
  /** Compares the read replicas' replayed positions with the primary's now (a timer does it every `checkIntervalMs`). */
  checkReplicas(): Promise<void>;
  readonly migrations: MigrationReport;
  /** The connection pool now, for metrics (PostgreSQL); PGlite has one connection and no pool: null. Cheap: counters pg keeps. */
  pool(): PoolStats | null;
  close(): Promise<void>;
}

/** A PostgreSQL pool at one moment: connections open, idle, and queries waiting for one. */
export interface PoolStats {
  /** Connections open (in use + idle). */
  total: number;
  idle: number;
  /** Queries queued because every connection is busy (a pool too small, or a slow database). */
  waiting: number;
  /** The pool's size limit. */
  max: number;
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
  const replicas = options.readReplicas?.urls.length ? options.readReplicas : undefined;
  if (replicas && !options.databaseUrl) throw new StorageError('STORAGE_ERROR', 'Bản sao chỉ đọc cần PostgreSQL (DATABASE_URL).\nRead replicas (DATABASE_READ_URL) need PostgreSQL (DATABASE_URL).');
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10, replicas) : await openPglite(options.dataDir ?? './.data');
  try {
    const migrations = options.migrate === false ? { applied: [], alreadyApplied: [] } : await applyMigrations(opened.sql, { onProgress: options.onProgress });
    await opened.startReads?.();
    const { startReads: _, ...database } = opened;
    return { ...database, migrations };
  } catch (error) {
    await opened.close().catch(() => {});
    throw error;
  }
}

type Opened = Omit<Database, 'migrations'> & { startReads?: () => Promise<void> };

function openPostgres(connectionString: string, max: number, replicas: ReadReplicaOptions | undefined): Opened {
  const pool = openRegistryPool(connectionString, max);
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
  const router = replicas ? new ReadRouter(sql.query, replicas, max) : null;
  return {
    kind: 'postgres',
    prisma,
    sql,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    readSql: router ?? sql,
    noteWrite: () => router?.noteWrite(),
    readStats: () => router?.stats() ?? null,
    checkReplicas: async () => router?.check(),
    ...(router ? { startReads: () => router.start() } : {}),
    close: async () => {
      await router?.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Opened> {
  if (dataDir.startsWith('memory://')) return pgliteOpened(await PGlite.create(dataDir), async () => {});
  let lock: FolderLock;
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    lock = await lockFolder(dataDir);
  } catch (error) {
    if (isReadOnly(error)) throw readOnlyFolder(dataDir, error);
    throw error;
  }
  // Only the owner of the service may read the data. PGlite writes a new folder's initial files
  // with mode 0666 whatever the umask (tightened right after); umask 077 covers the files it
  // creates while it runs.
  const restoreUmask = tightenUmask();
  let pglite: PGlite;
  try {
    await tightenModes(dataDir);
    pglite = await PGlite.create(dataDir);
    await tightenModes(dataDir).catch(async (error: unknown) => {
      await pglite.close();
      throw error;
    });
  } catch (error) {
    restoreUmask();
    await lock.release();
    if (isReadOnly(error)) throw readOnlyFolder(dataDir, error);
    throw new StorageError('STORAGE_ERROR', `Không mở được cơ sở dữ liệu nhúng trong ${dataDir}.\nCannot open the embedded database in ${dataDir}.`, error);
  }
  return pgliteOpened(pglite, async () => {
    restoreUmask();
    await lock.release();
  });
}

function isReadOnly(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EROFS' || code === 'EPERM';
}

function readOnlyFolder(dataDir: string, cause: unknown): StorageError {
  return new StorageError(
    'STORAGE_ERROR',
    `Không ghi được vào thư mục dữ liệu ${dataDir} (chỉ đọc hoặc không có quyền). Hãy cấp quyền ghi cho người dùng chạy dịch vụ, hoặc đặt TRUST_DATA_DIR sang thư mục khác.\n` +
      `The data folder ${dataDir} cannot be written (read-only or no permission). Give the user running the service write access, or point TRUST_DATA_DIR to another folder.`,
    cause,
  );
}

let umaskHolders = 0;
let savedUmask: number | null = null;

/** Sets umask 077 while any embedded database is open (its files appear at any time), then restores it. */
function tightenUmask(): () => void {
  try {
    if (umaskHolders === 0) savedUmask = process.umask(0o077);
    umaskHolders++;
  } catch {
    // Worker threads may not change the umask; tightenModes still fixes the files present at open.
    return () => {};
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    umaskHolders--;
    if (umaskHolders === 0 && savedUmask !== null) process.umask(savedUmask);
  };
}

/** Folder 0700 and files 0600, also for folders written before this rule (or by another umask). */
async function tightenModes(dir: string): Promise<void> {
  const info = await lstat(dir);
  if (info.isDirectory()) {
    if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
    for (const name of await readdir(dir)) await tightenModes(join(dir, name));
  } else if (info.isFile() && (info.mode & 0o077) !== 0) {
    await chmod(dir, 0o600);
  }
}

function pgliteOpened(pglite: PGlite, release: () => Promise<void>): Opened {
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
    pool: () => null,
    readSql: sql,
    noteWrite: () => {},
    readStats: () => null,
    checkReplicas: async () => {},
    close: async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await release();
      }
    },
  };
}
