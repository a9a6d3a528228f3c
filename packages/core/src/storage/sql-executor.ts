/**
 * The smallest raw-SQL interface the registry needs beside Prisma: the migrator runs
 * multi-statement files through it, and the hot verification lookup can use it directly.
 */

/** Runs raw SQL on the registry's database (PGlite in process, or a PostgreSQL pool). */
export interface SqlExecutor {
  /** Runs one or more statements without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
  /**
   * Runs one parameterised statement and returns its rows. A `name` makes it a prepared
   * statement on PostgreSQL (planned once per connection; the hot lookups use this).
   */
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: { name?: string }): Promise<Row[]>;
  /** Runs `work` on one connection inside BEGIN … COMMIT, rolling back if it throws. */
  transaction<T>(work: (tx: Pick<SqlExecutor, 'exec' | 'query'>) => Promise<T>): Promise<T>;
}
