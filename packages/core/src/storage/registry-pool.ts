/**
 * How the registry opens a PostgreSQL connection pool, for the primary (database.ts) and for
 * each read replica (read-replicas.ts), so the two cannot drift apart:
 *
 * - JIT off: its compilation costs hundreds of milliseconds on the registry's short lookups and
 *   buys nothing.
 * - Every connection opened is kept (`min` = `max`). pg-pool closes a connection idle for 10 s
 *   unless the pool is at its `min`, and a new backend is slow for its first statements (empty
 *   catalog caches, a page fault on its first touch of each shared buffer). A platform sending a
 *   1,000-key verifyMany every half minute met fresh backends every time: over HTTP at 1,000,000
 *   accounts, batches 12 s apart took medians of 545 and 512 ms with the default against 387 and
 *   320 ms with the connections kept (docs/BENCHMARKS.md, seventh session). The pools are small
 *   (10 by default), so this costs the database a few idle backends.
 * - An idle client that loses its server does not crash the process; the next query reports it.
 *
 * @example const pool = openRegistryPool(process.env.DATABASE_URL!, 10);
 */
import pg from 'pg';

export function openRegistryPool(connectionString: string, size: number, extra: Omit<pg.PoolConfig, 'connectionString' | 'max' | 'min' | 'options'> = {}): pg.Pool {
  const pool = new pg.Pool({ ...extra, connectionString, max: size, min: size, options: '-c jit=off' });
  pool.on('error', () => {});
  return pool;
}
