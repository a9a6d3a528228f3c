/**
 * Prints the schema, sorted, to services/api/schema.graphql (`pnpm --filter
 * @trust-alliance/api schema:print`). test/api/schema.test.ts fails when the file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { schema } from '../schema/index.ts';

// graphql-js through require: the copy Pothos (loaded natively) builds the schema with. Under
// vitest a plain import can resolve to graphql's other (.mjs) copy, which refuses "foreign" types.
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** Where the committed schema lives. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The schema as committed: sorted, with a trailing newline. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, printedSchema());
  console.log(`Wrote ${SCHEMA_FILE}`);
}
