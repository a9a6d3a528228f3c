/**
 * Fuzz (issue 10): hostile values at every argument of every public query and mutation, and at
 * every query parameter of every HTTP route, must give a typed error or a 4xx: never a 5xx,
 * never INTERNAL_SERVER_ERROR, never a stack in the body, never an error in the log.
 *
 * The GraphQL documents are built by walking the schema's Query and Mutation fields and their
 * argument types, so a new field is fuzzed without editing this file. fast-check with a fixed
 * seed; FUZZ_RUNS sets the number of cases of each property (default 150 + 150 + 60).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, getNamedType, isLeafType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { schema } from '../../services/api/src/schema/index.ts';
import { openTestServer, type TestServer } from '../api/helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS || 0) || undefined;
const SEED = 20261002;

let t: TestServer;
const logged: unknown[] = [];
beforeAll(async () => {
  t = await openTestServer({ logError: (_i, e) => logged.push(e) });
});
afterAll(() => t?.close());

const deepList = (depth: number): unknown => (depth === 0 ? [] : [deepList(depth - 1)]);

/** Hand-picked hostile strings, mixed with generated ones. */
const HOSTILE_STRINGS = [
  '', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\uffff', '💥'.repeat(3000), 'x'.repeat(100_000), 'garbage', 'TWVtYmVyOmdhcmJhZ2U=', 'Tm9kZTox', 'YXJyYXljb25uZWN0aW9uOi0x',
  '0000-01-01T00:00:00Z', '10000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1970-01-01T00:00:00Z', '2026-02-30T00:00:00Z',
  'https://facebook.com/\u0000', 'https://facebook.com/%00', 'javascript:alert(1)', "' OR 1=1 --", '${7*7}', '../../etc/passwd', '{"$gt":""}', 'ZALO', 'FACEBOOK',
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 10 }).map((s) => `https://facebook.com/${s}`));
const hostileInt = fc.oneof(fc.constantFrom(0, -1, 1, -2147483648, 2147483647, 2147483648, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 0.5, 10_000, 100_000_000), fc.integer());
const hostileAny = fc.oneof(hostileString, hostileInt, fc.constant(null), fc.boolean(), fc.constant(deepList(200)), fc.constant({ a: deepList(20) }), fc.constant([]));

function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  // Sometimes anything at all, whatever the type says.
  const wrong = depth < 3 ? [hostileAny] : [];
  if (inner instanceof GraphQLList) {
    return fc.oneof(fc.array(valueFor(inner.ofType, depth + 1), { maxLength: depth > 1 ? 2 : 5 }), fc.constant(deepList(60)), ...wrong);
  }
  if (inner instanceof GraphQLEnumType) return fc.oneof(fc.constantFrom(...inner.getValues().map((v) => v.name)), ...wrong);
  if (inner instanceof GraphQLInputObjectType) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(inner.getFields());
    return fc.oneof(fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth + 1)])), { requiredKeys: fields.filter((f) => f.type instanceof GraphQLNonNull).map((f) => f.name) }), ...wrong);
  }
  if (inner instanceof GraphQLScalarType) {
    if (inner.name === 'Int' || inner.name === 'Float') return fc.oneof(hostileInt, ...wrong);
    if (inner.name === 'Boolean') return fc.oneof(fc.boolean(), ...wrong);
    return fc.oneof(hostileString, hostileString, ...wrong);
  }
  return hostileAny;
}

interface Operation {
  name: string;
  build(values: Record<string, unknown>): { query: string; variables: Record<string, unknown> };
  args: Record<string, fc.Arbitrary<unknown>>;
}

function operationsOf(kind: 'query' | 'mutation'): Operation[] {
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(root.getFields()).map((field: GraphQLField<unknown, unknown>) => {
    const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
    const definitions = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    const query = `${kind} Fuzz${definitions ? `(${definitions})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
    return { name: `${kind} ${field.name}`, args: Object.fromEntries(field.args.map((a) => [a.name, valueFor(a.type)])), build: (variables) => ({ query, variables }) };
  });
}

/** Also literals in the document itself, for the arguments whose values print as GraphQL literals. */
const literalDocuments = fc.constantFrom(
  `{ verifyMany(inputs: ${'['.repeat(2000)}${']'.repeat(2000)}) { status } }`,
  '{ node(id: "garbage") { id } }',
  '{ nodes(ids: ["Tm9kZTox", "garbage"]) { id } }',
  '{ members(first: -1, after: "garbage") { edges { cursor } } }',
  '{ members(last: 2147483647, before: "\\u0000") { edges { cursor } } }',
  '{ attestation(id: "\\u0000") { id } }',
  '{ auditLog(from: -1, count: 2147483647) { size } }',
  '{ reports(first: -5, skip: -5) { id } }',
  '{ verify(input: { url: "x" }, at: "0000-01-01T00:00:00Z") { status } }',
  '{ verify(input: { url: "x" }, at: "10000-01-01T00:00:00Z") { status } }',
);

const ALLOWED_CODES = new Set(['BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_INPUT', 'INVALID_ACCOUNT', 'CONFLICT', 'INVALID_TRANSITION', 'PLEDGE_NOT_SIGNED', 'ACCOUNT_NOT_VERIFIED', 'ASSESSMENT_FAILED', 'MEMBER_NOT_ACTIVE', 'CHALLENGE_FAILED', 'REQUEST_ENTITY_TOO_LARGE', 'RATE_LIMITED', undefined]);

function expectClientError(status: number, body: string, what: string, loggedBefore: number): void {
  expect(logged.slice(loggedBefore).map((e) => `${(e as Error).name}: ${String((e as Error).message).slice(0, 300)}`), what).toEqual([]);
  expect(status, `${what}: ${body.slice(0, 300)}`).toBeLessThan(500);
  expect(body, what).not.toMatch(/\n\s+at |INTERNAL_SERVER_ERROR|Unexpected error/);
  let parsed: { errors?: Array<{ extensions?: { code?: string } }> } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return; // a non-JSON 4xx (e.g. a status list) is fine
  }
  for (const error of parsed.errors ?? []) expect(ALLOWED_CODES.has(error.extensions?.code), `${what}: ${JSON.stringify(error).slice(0, 300)}`).toBe(true);
  expect(logged.slice(loggedBefore).map((e) => String(e).slice(0, 300)), what).toEqual([]);
}

describe('fuzz', () => {
  const operations = [...operationsOf('query'), ...operationsOf('mutation')];
  let cases = 0;
  afterAll(() => console.log(`[fuzz] ${cases} generated cases over ${operations.length} operations and the HTTP routes`));

  it('every argument of every public query and mutation: a typed error or a 4xx, never a 5xx or a stack', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const byName = new Map(operations.map((op) => [op.name, op]));
    const caseOf = fc.oneof(...operations.map((op) => fc.record({ op: fc.constant(op.name), values: fc.record(op.args, { requiredKeys: [] }), as: fc.constantFrom<'OFFICER' | 'PLATFORM' | undefined>('OFFICER', 'PLATFORM', undefined) })));
    await fc.assert(
      fc.asyncProperty(caseOf, async ({ op, values, as }) => {
        cases++;
        const before = logged.length;
        const { query, variables } = byName.get(op)!.build(values);
        const res = await t.gql(query, variables, as);
        expectClientError(res.status, res.body, `${op} as ${as ?? 'PUBLIC'} ${JSON.stringify(variables).slice(0, 300)}`, before);
      }),
      { seed: SEED, numRuns: RUNS ?? 150, endOnFailure: true },
    );
  });

  // Found by this fuzz test: the signed answer of an INVALID_INPUT result whose input lacks a
  // handle could not be built, so the request was a 500.
  it('verify(signed: true) with a platform but no handle is a typed answer, not a server error', async () => {
    const before = logged.length;
    const res = await t.gql('query($input: VerifyInput!) { verify(input: $input, signed: true) { status } }', { input: { platform: 'FACEBOOK' } }, 'PLATFORM');
    logged.length = before;
    expectClientError(res.status, res.body, 'verify signed with platform only', before);
  });

  it('hostile literals in the document: a typed error or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(literalDocuments, async (query) => {
        cases++;
        const before = logged.length;
        const res = await t.http('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        expectClientError(res.status, await res.text(), query.slice(0, 100), before);
      }),
      { seed: SEED, numRuns: RUNS ? Math.min(RUNS, 50) : 20, endOnFailure: true },
    );
  });

  it('every query parameter of every HTTP route: a 4xx or a 200, never a 5xx or a stack', async () => {
    const param = fc.oneof(hostileString, hostileInt.map(String));
    const request = fc.oneof(
      fc.record({ url: param, at: param }, { requiredKeys: [] }).map((q) => ['/v1/verify', q] as const),
      fc.record({ platform: param, handle: param, at: param }, { requiredKeys: [] }).map((q) => ['/v1/verify', q] as const),
      fc.record({ url: param, platform: param, handle: param, at: param, extra: param }, { requiredKeys: [] }).map((q) => ['/v1/verify', q] as const),
      param.map((id) => [`/status-lists/${encodeURIComponent(id)}`, {}] as const),
      fc.constantFrom('/.well-known/jwks.json', '/.well-known/trust-alliance', '/.well-known/trust-alliance/keys', '/ready', '/health').chain((path) => fc.record({ x: param }, { requiredKeys: [] }).map((q) => [path, q] as const)),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([path, query]) => {
        cases++;
        const before = logged.length;
        const search = new URLSearchParams(query as Record<string, string>).toString();
        const res = await t.http(`${path}${search ? `?${search}` : ''}`);
        expectClientError(res.status, await res.text(), `${path}?${search.slice(0, 200)}`, before);
      }),
      { seed: SEED, numRuns: RUNS ?? 60, endOnFailure: true },
    );
  });
});
