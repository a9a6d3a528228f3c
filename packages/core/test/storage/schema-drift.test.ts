/**
 * Proves that the hand-written SQL migrations create exactly the schema of packages/core/prisma/schema.prisma:
 * every model, column, type, nullability, default, enum, primary key, unique and plain index,
 * and foreign key. The expected side comes from Prisma's own DMMF (written at generate time by
 * scripts/dmmf-generator.mjs), the actual side from the PostgreSQL catalog after migrating.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.ts';

interface DmmfField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface Dmmf {
  enums: Array<{ name: string; values: Array<{ name: string }> }>;
  models: Array<{ name: string; fields: DmmfField[] }>;
  indexes: Array<{ model: string; type: 'id' | 'unique' | 'normal'; algorithm?: string; fields: Array<{ name: string }> }>;
}

const dmmf = JSON.parse(readFileSync(new URL('../../src/generated/dmmf.json', import.meta.url), 'utf8')) as Dmmf;

const SCALAR_TYPES: Record<string, string> = {
  String: 'text', Int: 'integer', Boolean: 'boolean', DateTime: 'timestamp(3) without time zone', Json: 'jsonb', Bytes: 'bytea', BigInt: 'bigint', Float: 'double precision',
};

function expectedType(field: DmmfField): string {
  const base = field.kind === 'enum' ? `"${field.type}"` : SCALAR_TYPES[field.type];
  if (!base) throw new Error(`no mapping for ${field.type}`);
  return field.isList ? `${base}[]` : base;
}

/** The database default Prisma's migrations give a field (client-side defaults like uuid() have none). */
function expectedDefault(field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.isUpdatedAt) return null;
  const d = field.default as { name?: string } | string | number | boolean | unknown[];
  if (Array.isArray(d)) return `ARRAY[]::${expectedType(field)}`;
  if (typeof d === 'object' && d !== null && 'name' in d) return d.name === 'now' ? 'CURRENT_TIMESTAMP' : null;
  if (field.kind === 'enum') return `'${String(d)}'::"${field.type}"`;
  if (typeof d === 'string') return `'${d}'::text`;
  return String(d);
}

const ON_DELETE: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

describe('schema drift: migrations against schema.prisma', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.databaseUrl ? { databaseUrl: testDb.databaseUrl } : { dataDir: 'memory://' });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('creates exactly the models of the schema as tables', async () => {
    const rows = await db.sql.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`);
    expect(rows.map((r) => r.name).sort()).toEqual(dmmf.models.map((m) => m.name).sort());
  });

  it('creates every enum with its values in order', async () => {
    const rows = await db.sql.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.values]));
    const expected = Object.fromEntries(dmmf.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it('creates every column with its type, nullability and default', async () => {
    const rows = await db.sql.query<{ tbl: string; col: string; type: string; notnull: boolean; def: string | null }>(
      `SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.tbl}.${r.col} ${r.type}${r.notnull ? ' NOT NULL' : ''}${r.def ? ` DEFAULT ${r.def}` : ''}`).sort();
    const expected = dmmf.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => {
            const def = expectedDefault(f);
            return `${m.name}.${f.name} ${expectedType(f)}${f.isRequired && !f.isList ? ' NOT NULL' : ''}${def ? ` DEFAULT ${def}` : ''}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('creates every primary key, unique index and index under Prisma\'s names', async () => {
    const rows = await db.sql.query<{ name: string; tbl: string; uniq: boolean; pk: boolean; cols: string[]; method: string }>(
      `SELECT i.relname AS name, t.relname AS tbl, x.indisunique AS uniq, x.indisprimary AS pk, am.amname AS method,
              array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
       WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.name} ${r.pk ? 'PRIMARY' : r.uniq ? 'UNIQUE' : 'INDEX'} ${r.method} ${r.tbl}(${r.cols.join(',')})`).sort();
    const expected = dmmf.indexes
      .map((ix) => {
        const cols = ix.fields.map((f) => f.name);
        const name = ix.type === 'id' ? `${ix.model}_pkey` : `${ix.model}_${cols.join('_')}_${ix.type === 'unique' ? 'key' : 'idx'}`;
        return `${name} ${ix.type === 'id' ? 'PRIMARY' : ix.type === 'unique' ? 'UNIQUE' : 'INDEX'} ${(ix.algorithm ?? 'BTree').toLowerCase()} ${ix.model}(${cols.join(',')})`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('creates every foreign key with its referential actions', async () => {
    const rows = await db.sql.query<{ name: string; tbl: string; cols: string[]; ref: string; refcols: string[]; del: string; upd: string }>(
      `SELECT c.conname AS name, t.relname AS tbl, r.relname AS ref, c.confdeltype AS del, c.confupdtype AS upd,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
              array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS refcols
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    );
    const actual = rows.map((r) => `${r.name} ${r.tbl}(${r.cols.join(',')}) -> ${r.ref}(${r.refcols.join(',')}) ON DELETE ${ON_DELETE[r.del]} ON UPDATE ${ON_DELETE[r.upd]}`).sort();
    const expected = dmmf.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const from = f.relationFromFields!;
            const onDelete = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
            return `${m.name}_${from.join('_')}_fkey ${m.name}(${from.join(',')}) -> ${f.type}(${f.relationToFields!.join(',')}) ON DELETE ${onDelete} ON UPDATE Cascade`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
