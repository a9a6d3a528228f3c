/**
 * Helpers for the API tests: an app over a fresh test registry, a GraphQL client over
 * `yoga.fetch` (in process) and tokens for each role.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryOptions } from '@trust-alliance/core';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { createApp, type App, type Route } from '../../services/api/src/server/create-yoga.ts';
import { listen, type RunningServer } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
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

export interface TestAppOptions {
  logError?: (incident: string, error: unknown) => void;
  /** Options of the test registry (e.g. `issuer`). */
  registry?: RegistryOptions;
  /** Routes besides the public ones (e.g. admin routes). */
  extraRoutes?: (test: TestRegistry) => Route[];
}

/** An app over a fresh test registry, with the public HTTP routes (`/v1/verify`, `/.well-known/*`, `/status-lists/*`). */
export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const test = await openTestRegistry(options.registry);
  const routes = [...publicRoutes(test.registry), ...(options.extraRoutes?.(test) ?? [])];
  const app = createApp({ registry: test.registry, graphiql: true, routes, logError: options.logError ?? (() => {}) });
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

export interface TestServer extends TestApp {
  server: RunningServer;
  /** e.g. http://127.0.0.1:41234: also the registry's issuer. */
  origin: string;
  /** GET (or another method) on the server. */
  http(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * The app over real HTTP on 127.0.0.1 (ephemeral port), with the registry's issuer set to the
 * server's origin, so that `jwksUrlFor(issuer)` and attestations' status-list URIs point at it.
 * The port is chosen first (the server listens with a handler that waits for the app), then
 * the registry is opened with `{ issuer: origin }`.
 */
export async function openTestServer(options: TestAppOptions = {}): Promise<TestServer> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = await listen(
    {
      handler: (req, res) => {
        if (handler) return handler(req, res);
        res.writeHead(503).end();
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
  let t: TestApp;
  try {
    t = await openTestApp({ ...options, registry: { ...options.registry, issuer: server.origin } });
  } catch (error) {
    await server.close();
    throw error;
  }
  handler = t.app.handler;
  return {
    ...t,
    server,
    origin: server.origin,
    http: (path, init) => fetch(`${server.origin}${path}`, init),
    close: async () => {
      await server.close();
      await t.close();
    },
  };
}
