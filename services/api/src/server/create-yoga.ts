/**
 * The application: Yoga over the schema, with authentication in the context factory, the
 * armor limits, error masking, GraphiQL outside production, and a node:http handler that
 * routes `/graphql`, `/health`, `/ready` and any extra routes (JWKS, status lists, /v1/verify
 * are added that way by their owners).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { pickLang, type Registry } from '@trust-alliance/core';
import { schema } from '../schema/index.ts';
import type { GraphQLContext } from '../schema/context.ts';
import { accessTokensFor, type AccessTokenService } from '../auth/access-tokens.ts';
import { authenticate } from '../auth/authenticate.ts';
import { createOidcVerifier, type OidcOptions, type OidcVerifier } from '../auth/oidc.ts';
import { actorOf } from '../auth/roles.ts';
import { armorPlugin, LIMITS } from './limits.ts';
import { readGraphQLBody } from './request-body.ts';
import { sendNoStore } from '../http/respond.ts';
import { maskError } from './mask-error.ts';
import { PublicRateLimiter, publicRateLimitFromEnv, type RedisRateLimitOptions } from './rate-limit.ts';
import { clientAddress, trustedProxyHopsFromEnv } from './client-address.ts';

/** A route beside GraphQL, handled before Yoga sees the request. */
export interface Route {
  /** Exact path, or a prefix ending in `/` (e.g. `/status-lists/`), or a RegExp. */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

export interface AppOptions {
  registry: Registry;
  /** Default: the registry's key set (`registry.keys`), see accessTokensFor. */
  tokens?: AccessTokenService;
  oidc?: OidcOptions | OidcVerifier | null;
  /** GraphiQL at GET /graphql (default: NODE_ENV !== 'production'). */
  graphiql?: boolean;
  /** Extra routes (matched in order, before /graphql). */
  routes?: Route[];
  /** Requests per minute per client address for callers without a token on /graphql and /v1/verify (default TRUST_PUBLIC_RATE_LIMIT or 600; 0 = off). */
  publicRateLimit?: number;
  /** Count that limit in Redis, shared by every replica (main.ts passes REDIS_URL); default: in this process. Release it with `App.close()`. */
  rateLimitRedis?: RedisRateLimitOptions | null;
  /** Key prefix of the rate limit's counters (default `trust:ratelimit:public`). */
  rateLimitKeyPrefix?: string;
  /** Proxies we run in front of the service, whose X-Forwarded-For entries are believed (default TRUST_PROXY_HOPS or 0). */
  trustedProxyHops?: number;
  /** Where masked errors are logged (default console.error). */
  logError?: (incident: string, error: unknown) => void;
}

export interface App {
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  /** node:http request listener for the whole service. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  tokens: AccessTokenService;
  /** The limit on anonymous callers (whether it is on, and shared in Redis). */
  rateLimiter: PublicRateLimiter;
  /** Releases what the app holds beyond the server (the rate limit's Redis connection); call after the server has closed. */
  close(): Promise<void>;
}

/** Where anonymous callers are rate-limited: the verification endpoints. */
const RATE_LIMITED_PATHS = new Set(['/graphql', '/v1/verify']);

function matches(route: Route, pathname: string): boolean {
  if (route.path instanceof RegExp) return route.path.test(pathname);
  return route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path;
}


/**
 * @example
 * const { yoga, handler } = createApp({ registry });
 * const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ pledge { version } }' }) });
 * http.createServer(handler).listen(4000);
 */
export function createApp(options: AppOptions): App {
  const { registry } = options;
  const tokens = options.tokens ?? accessTokensFor(registry);
  const oidc = options.oidc ? ('verify' in options.oidc ? options.oidc : createOidcVerifier(options.oidc)) : null;
  const graphiql = options.graphiql ?? process.env.NODE_ENV !== 'production';
  const logError = options.logError;

  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: graphiql ? { title: 'Trust Alliance Registry', defaultQuery: DEFAULT_QUERY } : false,
    maskedErrors: { maskError: (error, message) => maskError(error, message, logError) },
    logging: process.env.NODE_ENV === 'test' ? 'error' : 'warn',
    plugins: [armorPlugin()],
    // The node:http handler below reads, limits and parses POST bodies (request-body.ts);
    // `yoga.fetch` called directly, as tests do, has no body limit.
    maxRequestBodySize: false,
    context: async ({ request }) => {
      const viewer = await authenticate(request.headers.get('authorization'), { tokens, oidc });
      return { registry, viewer, actor: actorOf(viewer), lang: pickLang(request.headers.get('accept-language')) } as GraphQLContext;
    },
  });

  const routes = options.routes ?? [];
  const trustedProxyHops = options.trustedProxyHops ?? trustedProxyHopsFromEnv();
  const limiter = new PublicRateLimiter(options.publicRateLimit ?? publicRateLimitFromEnv(), {
    redis: options.rateLimitRedis,
    keyPrefix: options.rateLimitKeyPrefix,
    // Keyed, so neither Redis nor a memory dump gives addresses back; the same in every replica.
    keyOf: (address) => registry.pseudonym('rate-limit', address),
  });
  /** An unexpected failure outside Yoga: logged with an incident id; the client sees only that id (no stack, SQL or path). */
  const failed = (res: ServerResponse, error: unknown): void => {
    const incident = crypto.randomUUID();
    (logError ?? ((i, e) => console.error(`[api] request error (incident ${i}):`, e)))(incident, error);
    if (!res.headersSent) sendNoStore(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.', incident } });
    else res.end();
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!limiter.enabled || !RATE_LIMITED_PATHS.has(url.pathname) || req.headers.authorization) return dispatch(req, res, url);
    // take() never rejects: when Redis fails, the in-memory insurance limiter answers.
    limiter
      .take(clientAddress(req, trustedProxyHops))
      .then((decision) => {
        if (decision.allowed) return dispatch(req, res, url);
        res.setHeader('retry-after', String(decision.retryAfterSeconds));
        sendNoStore(res, 429, {
          error: {
            code: 'RATE_LIMITED',
            message: `Too many requests without a token; retry in ${decision.retryAfterSeconds} s, or use a PLATFORM or BUSINESS token. / Quá nhiều yêu cầu không có token; thử lại sau ${decision.retryAfterSeconds} giây, hoặc dùng token PLATFORM hay BUSINESS.`,
          },
        });
      })
      .catch((error: unknown) => failed(res, error));
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const route = routes.find((r) => matches(r, url.pathname));
    if (route) {
      Promise.resolve(route.handle(req, res, url)).catch((error: unknown) => failed(res, error));
      return;
    }
    if (url.pathname === '/health') return sendNoStore(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      registry.db.sql
        .query('SELECT 1 AS ok')
        .then(() => sendNoStore(res, 200, { status: 'ready', database: registry.db.kind }))
        .catch(() => sendNoStore(res, 503, { status: 'unavailable' }));
      return;
    }
    if (url.pathname === '/graphql') {
      if (req.method !== 'POST') {
        void yoga(req, res);
        return;
      }
      readGraphQLBody(req, LIMITS.maxRequestBodyBytes)
        .then((read) => {
          if (!read.ok) return sendNoStore(res, read.status, { errors: [{ message: read.message, extensions: { code: read.code } }] });
          // @whatwg-node/server takes a body a framework has already parsed from `req.body`.
          (req as IncomingMessage & { body?: unknown }).body = read.params;
          void yoga(req, res);
        })
        .catch(() => {
          if (!res.headersSent) sendNoStore(res, 400, { errors: [{ message: 'The request body could not be read. / Không đọc được nội dung yêu cầu.', extensions: { code: 'BAD_REQUEST' } }] });
        });
      return;
    }
    sendNoStore(res, 404, { error: 'Not found', graphql: '/graphql' });
  };

  return { yoga, handler, tokens, rateLimiter: limiter, close: () => limiter.close() };
}

const DEFAULT_QUERY = `# Is this page a verified member of the Digital Trust Alliance?
query Verify {
  verify(input: { url: "https://m.facebook.com/TinNhiemSo.CanTho/?ref=share" }) {
    status
    account { platform key url }
    member { id displayName kind province }
    badges { id program status issuedAt expiresAt }
    flags { category since }
    error { code message }
    checkedAt
  }
}
`;
