/**
 * docs/PRIVACY.md lists every field of schema.prisma that may hold personal data (issue 17): this
 * fails when a field that looks personal (sealed bytes, names, contacts, reasons, free texts,
 * account keys, actor ids) is in neither of its two inventory tables, or when the page names a
 * field the schema no longer has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schema = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
const page = readFileSync(new URL('../../../../docs/PRIVACY.md', import.meta.url), 'utf8');

/** Field names that may hold personal data, whatever their model. */
const LOOKS_PERSONAL = /name|phone|email|address|contact|idNumber|reason|detail|answer|private|handle|description|resolution|actorId|By$|ownerId|^key$|Key$|^keys$|^url$|province|categories|searchText|subject|secret|jws|payload/i;

/** Every `Model.field` of the schema, with its type. */
function schemaFields(text = schema): Array<{ name: string; type: string }> {
  const out: Array<{ name: string; type: string }> = [];
  for (const [, model, body] of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const line of body!.split('\n')) {
      const [field, type] = line.trim().split(/\s+/);
      if (!field || !type || field.startsWith('//') || field.startsWith('@@')) continue;
      out.push({ name: `${model}.${field}`, type });
    }
  }
  return out;
}

/** The `Model.field` names in the page's two inventory tables. */
function listed(): Set<string> {
  const start = page.indexOf('## Inventory: personal fields');
  const end = page.indexOf('## Who reads what');
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return new Set([...page.slice(start, end).matchAll(/^\| `(\w+\.\w+)` \|/gm)].map((m) => m[1]!));
}

describe('the personal data inventory (docs/PRIVACY.md)', () => {
  const fields = schemaFields();
  const inventory = listed();

  it('lists every field that may hold personal data', () => {
    const candidates = fields.filter((f) => f.type.startsWith('Bytes') || LOOKS_PERSONAL.test(f.name.split('.')[1]!)).map((f) => f.name);
    expect(candidates.length).toBeGreaterThan(40);
    expect(candidates.filter((name) => !inventory.has(name))).toEqual([]);
  });

  it('names only fields the schema has', () => {
    const known = new Set(fields.map((f) => f.name));
    expect([...inventory].filter((name) => !known.has(name))).toEqual([]);
  });

  it('would notice a new personal field', () => {
    const added = `${schema}\nmodel Extra {\n  id String @id\n  guardianPhone String\n}\n`;
    const names = schemaFields(added).map((f) => f.name);
    expect(names.filter((n) => LOOKS_PERSONAL.test(n.split('.')[1]!) && !inventory.has(n))).toEqual(['Extra.guardianPhone']);
  });
});
