/**
 * The validation cache (services/api/src/server/validation-cache.ts): a document is validated
 * once, its result (errors included) given back for the same text, and the app's own rules (the
 * armor's limits, the introspection switch) still refuse a document every time it is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import type { ValidationRule } from 'graphql';
import { validationCachePlugin } from '../../services/api/src/server/validation-cache.ts';
import { LIMITS } from '../../services/api/src/server/limits.ts';
import { openTestApp, type TestApp } from './helpers.ts';

/** A Yoga over a two-field schema whose one extra rule counts the documents it is run on. */
function countingYoga() {
  const counted = { documents: 0 };
  const countingRule: ValidationRule = () => {
    counted.documents++;
    return {};
  };
  const addCountingRule: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(countingRule) };
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String, bye: String }', resolvers: { Query: { hello: () => 'xin chào', bye: () => 'tạm biệt' } } }),
    parserAndValidationCache: { validationCache: false },
    plugins: [addCountingRule, validationCachePlugin()],
    logging: false,
  });
  const ask = async (query: string) => {
    const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> } };
  };
  return { counted, ask };
}

describe('validationCachePlugin', () => {
  it('validates a document once however often its text is sent, and each new text once', async () => {
    const { counted, ask } = countingYoga();
    for (let i = 0; i < 3; i++) expect((await ask('{ hello }')).body.data).toEqual({ hello: 'xin chào' });
    expect(counted.documents).toBe(1);
    expect((await ask('{ bye }')).body.data).toEqual({ bye: 'tạm biệt' });
    expect(counted.documents).toBe(2);
  });

  it('gives a document that failed validation the same errors every time', async () => {
    const { counted, ask } = countingYoga();
    const first = await ask('{ nope }');
    const second = await ask('{ nope }');
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(first.body.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
    expect(second.body.errors).toEqual(first.body.errors);
    expect(counted.documents).toBe(1);
  });
});

describe("the app's rules with the cache in place", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t?.close());

  it('refuses a document deeper than the armor allows on every request, and still answers a valid one', async () => {
    // Fields that exist at every level, so that depth is the document's only fault.
    let inner = 'id';
    for (let i = 0; i < LIMITS.maxDepth + 2; i++) inner = i % 2 === 0 ? `member { ${inner} }` : `accounts { ${inner} }`;
    const deep = `{ members(first: 1) { edges { node { ${inner} } } } }`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await t.gql(deep);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.message).toMatch(/depth/i);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await t.gql('{ verify(input: { url: "https://facebook.com/khong.co.trang.nay" }) { status } }');
      expect(res.data?.verify).toEqual({ status: 'NOT_FOUND' });
    }
  });
});
