/**
 * Databases for tests: in-memory PGlite by default; with `DATABASE_URL`, a fresh PostgreSQL
 * database of its own on that server, dropped when the test closes it (the server is shared
 * and keeps whatever earlier runs left).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database URL (or none, for PGlite) and how to drop it. */
export interface TestDatabase {
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

/**
 * Creates a database of its own when `DATABASE_URL` is set.
 * @example const db = await createTestDatabase(); … await db.drop();
 */
export async function createTestDatabase(baseUrl: string | undefined = process.env.DATABASE_URL || undefined): Promise<TestDatabase> {
  if (!baseUrl) return { databaseUrl: undefined, drop: async () => {} };
  const name = `trust_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
