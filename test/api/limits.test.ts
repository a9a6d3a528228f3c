/**
 * Limits (depth, aliases, tokens, cost), error masking and GraphiQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { LIMITS } from '../../services/api/src/server/limits.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t?.close());

describe('limits', () => {
  it('refuses a query deeper than the limit, and accepts one within it', async () => {
    const nest = (levels: number) => {
      let inner = 'id';
      for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `member { ${inner} }` : `accounts { ${inner} }`;
      return `{ members(first: 1) { edges { node { ${inner} } } } }`;
    };
    const ok = await t.gql(nest(6));
    expect(ok.errors).toBeUndefined();
    const deep = await t.gql(nest(LIMITS.maxDepth + 2));
    expect(deep.data ?? null).toBeNull();
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: pledge { version }`).join(' ');
    const res = await t.gql(`{ ${aliases} }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
    const fine = await t.gql(`{ ${Array.from({ length: 5 }, (_, i) => `a${i}: pledge { version }`).join(' ')} }`);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses too many tokens', async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => 'version').join(' ');
    const res = await t.gql(`{ pledge { ${fields} } }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/token/i);
  });

  it('refuses a query over the cost limit', async () => {
    const badges = 'badges { id program status issuedAt expiresAt history { action status at reasonCategory expiresAt } member { id displayName province kind status } }';
    const node = `node { id displayName kind status province categories createdAt ${badges} accounts { id ownership verifiedAt account { id key url platform handle } } }`;
    const q = `{ ${Array.from({ length: 20 }, (_, i) => `m${i}: members(first: 100) { edges { cursor ${node} } pageInfo { hasNextPage } }`).join(' ')} }`;
    const res = await t.gql(q);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/cost/i);
  });

  it('does not suggest field names', async () => {
    const res = await t.gql(`{ pledg { version } }`);
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});

describe('masking', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await openTestRegistry();
  });
  afterAll(() => reg?.close());

  it('an unexpected failure reaches the client as "Unexpected error." with an incident id: no stack, SQL or path', async () => {
    const logged: unknown[] = [];
    const { yoga } = createApp({ registry: reg.registry, logError: (_incident, error) => logged.push(error) });
    const original = reg.registry.verifyMany;
    reg.registry.verifyMany = async () => {
      const error = new Error('relation "AccountIdentifier" does not exist: SELECT * FROM "AccountIdentifier" WHERE key = $1 at /work/main/packages/core/src/verification/verify.ts:97');
      throw error;
    };
    const prevEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development'; // even in development
    try {
      const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ verify(input: {url: "fb.com/x.y"}) { status } }' }) });
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.errors[0].message).toBe('Unexpected error.');
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors[0].extensions.incident).toMatch(/^[0-9a-f-]{36}$/);
      expect(text).not.toMatch(/SELECT|AccountIdentifier|verify\.ts|\/work\/|stack|at [A-Za-z]+ \(/);
      expect(logged).toHaveLength(1);
    } finally {
      process.env.NODE_ENV = prevEnv;
      reg.registry.verifyMany = original;
    }
  });

  it('an unexpected failure inside a mutation is masked too (not turned into a typed result)', async () => {
    const { yoga, tokens } = createApp({ registry: reg.registry, logError: () => {} });
    const original = reg.registry.registerMember;
    reg.registry.registerMember = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'prisma') at /srv/app/members.ts:12");
    };
    try {
      const token = await tokens.issueAccessToken({ role: 'OFFICER' });
      const res = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation { registerMember(input: {kind: KOL, displayName: "X"}) { __typename } }' }),
      });
      const text = await res.text();
      expect(JSON.parse(text).errors[0].message).toBe('Unexpected error.');
      expect(text).not.toMatch(/prisma|members\.ts|\/srv/);
    } finally {
      reg.registry.registerMember = original;
    }
  });
});

describe('GraphiQL', () => {
  it('is served in development and not in production', async () => {
    const html = await t.app.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toMatch(/graphiql/i);
    const prod = createApp({ registry: t.registry, graphiql: false });
    const res = await prod.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/graphiql/i);
  });
});

describe('unauthenticated status over HTTP semantics', () => {
  it('is 401 for a bad token even on a public query', async () => {
    const res = await t.gql('{ pledge { version } }', {}, { authorization: 'Bearer x.y.z' });
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });
});
