/**
 * Helpers for the API tests: an app over a fresh test registry, a GraphQL client over
 * `yoga.fetch` (in process) and tokens for each role.
 */
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { createApp, type App } from '../../services/api/src/server/create-yoga.ts';
import type { Role } from '../../services/api/src/auth/roles.ts';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> | undefined;
  body: string;
}

export interface TestApp extends TestRegistry {
  app: App;
  /** Runs an operation in process. `as` is a role (a fresh token) or a raw Authorization header. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, as?: Role | { role: Role; subject: string } | { authorization: string }): Promise<GraphQLResponse<T>>;
  token(role: Role, subject?: string, ttlSeconds?: number): Promise<string>;
}

export async function openTestApp(options: { logError?: (incident: string, error: unknown) => void } = {}): Promise<TestApp> {
  const test = await openTestRegistry();
  const app = createApp({ registry: test.registry, graphiql: true, logError: options.logError ?? (() => {}) });
  const token = (role: Role, subject?: string, ttlSeconds?: number) => app.tokens.issueAccessToken({ role, ...(subject ? { subject } : {}), ...(ttlSeconds ? { ttlSeconds } : {}) });
  const gql = async <T,>(query: string, variables: Record<string, unknown> = {}, as?: Role | { role: Role; subject: string } | { authorization: string }): Promise<GraphQLResponse<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (typeof as === 'string') headers.authorization = `Bearer ${await token(as)}`;
    else if (as && 'authorization' in as) headers.authorization = as.authorization;
    else if (as) headers.authorization = `Bearer ${await token(as.role, as.subject)}`;
    const res = await app.yoga.fetch('http://yoga/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await res.text();
    const parsed = JSON.parse(body) as { data?: T | null; errors?: GraphQLResponse['errors'] };
    return { status: res.status, headers: res.headers, data: parsed.data, errors: parsed.errors, body };
  };
  return { ...test, app, gql, token };
}

/** The first error's extensions.code. */
export const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code as string | undefined;
