/**
 * Routes beside GraphQL, served as a Yoga plugin over fetch `Request`/`Response` (the way Yoga's
 * own health and readiness checks are): `yoga.fetch` reaches them as it reaches /graphql, so they
 * are tested without a socket. The node:http front (server/create-yoga.ts) has already shed load,
 * checked the token and applied the rate limits when a request gets here.
 */
import type { Plugin } from 'graphql-yoga';
import { failureResponse } from './failure.ts';
import { noStore } from './respond.ts';

/** What the node:http front knows of a request beyond the fetch Request. */
export interface RequestFacts {
  /** The socket's peer address (absent under `yoga.fetch` unless a test passes it). */
  remoteAddress?: string;
}

/** One route: an exact path, a prefix ending in `/`, or a RegExp, and its handler. */
export interface Route {
  path: string | RegExp;
  handle(request: Request, url: URL, facts: RequestFacts): Response | Promise<Response>;
}

function isPromise(value: Response | Promise<Response>): value is Promise<Response> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function matches(route: Route, pathname: string): boolean {
  if (route.path instanceof RegExp) return route.path.test(pathname);
  return route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path;
}

export interface RoutesPluginOptions {
  /** Paths Yoga itself serves (the GraphQL endpoint): never answered 404 here. */
  passThrough: readonly string[];
  /** Where unexpected failures are logged, with their incident id. */
  logError: (incident: string, error: unknown) => void;
}

/**
 * The plugin answering `routes` (first match wins) and 404 for every other path but `passThrough`.
 * @example createYoga({ schema, plugins: [routesPlugin([...publicRoutes(registry)], { passThrough: ['/graphql'], logError })] })
 */
export function routesPlugin(routes: readonly Route[], options: RoutesPluginOptions): Plugin<Record<string, unknown>, RequestFacts> {
  return {
    onRequest({ request, url, endResponse, serverContext }) {
      const route = routes.find((r) => matches(r, url.pathname));
      if (!route) {
        if (!options.passThrough.includes(url.pathname)) endResponse(noStore(404, { error: { code: 'NOT_FOUND', message: 'Not found. / Không tìm thấy.' }, graphql: '/graphql' }));
        return;
      }
      const facts: RequestFacts = { remoteAddress: serverContext?.remoteAddress };
      let answer: Response | Promise<Response>;
      try {
        answer = route.handle(request, url, facts);
      } catch (error) {
        return endResponse(failureResponse(error, options.logError));
      }
      // A Response of either class (Node's global one, or Yoga's that http/respond.ts builds), or a promise of one.
      if (!isPromise(answer)) return endResponse(answer);
      return answer.then(endResponse, (error: unknown) => endResponse(failureResponse(error, options.logError)));
    },
  };
}
