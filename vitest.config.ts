import { defineConfig } from 'vitest/config';

// One suite for the whole monorepo. With DATABASE_URL set, storage tests run on PostgreSQL
// (each test file in a database of its own, dropped afterwards); without it, on in-memory PGlite.
export default defineConfig({
  resolve: {
    // graphql 16 ships ESM (index.mjs, picked by Vite) and CommonJS (index.js, picked by Node for
    // the externalized Pothos and Yoga packages): two copies break instanceof checks. Use one.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
