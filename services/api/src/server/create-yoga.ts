/**
 * The application: Yoga over the schema, with the armor limits, error masking, GraphiQL outside
 * production (served from the installed package: no request leaves the machine), the routes
 * beside GraphQL as a Yoga plugin (http/route.ts: `/health`, `/ready` and the routes passed in,
 * such as JWKS, status lists and /v1/verify), and a node:http front for the real socket.
 *
 * Order of work per request, cheapest refusal first, so that a hostile caller costs little:
 * 1. load shedding: when the event loop lags, 503 + Retry-After (anonymous callers first);
 * 2. a request carrying `Authorization` has it verified, on every route, before any body is
 *    read: a bad one is 401, a key store that cannot be read 503;
 * 3. rate limits: per token subject (budget by role) for token holders, on every route; per
 *    client address for anonymous callers of the verification endpoints; `RateLimit-*` headers;
 * 4. the body, within a limit that depends on who is calling (small for anonymous callers),
 *    scanned for nesting before JSON.parse (request-body.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { pickLang, type Registry } from '@trust-alliance/core';
import { schema } from '../schema/index.ts';
import type { GraphQLContext } from '../schema/context.ts';
import { accessTokensFor, type AccessTokenService } from '../auth/access-tokens.ts';
import { authenticate } from '../auth/authenticate.ts';
import { createOidcVerifier, type OidcOptions, type OidcVerifier } from '../auth/oidc.ts';
import { actorOf, PUBLIC_VIEWER, type Role, type Viewer } from '../auth/roles.ts';
import { armorPlugin, LIMITS } from './limits.ts';
import { closeAfterAnswer, readGraphQLBody } from './request-body.ts';
import { maskError } from './mask-error.ts';
import { routesPlugin, type RequestFacts, type Route } from '../http/route.ts';
import { healthRoutes } from '../http/health.ts';
import { UNAVAILABLE_MESSAGE } from '../http/failure.ts';
import { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_TOKEN_RATE_LIMITS, PublicRateLimiter, TokenRateLimits, type RateDecision, type RedisRateLimitOptions } from './rate-limit.ts';
import { clientAddress } from '../http/client-address.ts';
import { inputGuardPlugin } from './input-guard.ts';
import { validationCachePlugin } from './validation-cache.ts';
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../http/unavailable.ts';
import { LoadShedder, type LoadShedderOptions } from './load-shedder.ts';
import { createLogger, logUnexpectedError, yogaLogger, type Logger } from '../observability/logger.ts';
import { noteViewer, withAccessLog } from '../observability/access-log.ts';
import type { Metrics } from '../observability/metrics.ts';

export type { Route } from '../http/route.ts';

export interface AppOptions {
  registry: Registry;
  /** Default: the registry's key set (`registry.keys`), see accessTokensFor. */
  tokens?: AccessTokenService;
  oidc?: OidcOptions | OidcVerifier | null;
  /** GraphiQL at GET /graphql (default true; main.ts passes false in production). */
  graphiql?: boolean;
  /** Introspection queries allowed (default true; main.ts passes the configuration's: outside production, or with TRUST_INTROSPECTION=1). */
  introspection?: boolean;
  /** Routes beside GraphQL (matched in order, after /health and /ready), served by Yoga (http/route.ts). */
  routes?: Route[];
  /** Requests per minute per client address for callers without a token on /graphql, /v1/verify, / and /report (default 600; main.ts passes TRUST_PUBLIC_RATE_LIMIT; 0 = off). */
  publicRateLimit?: number;
  /** Requests per minute per token subject, by role (over DEFAULT_TOKEN_RATE_LIMITS; main.ts passes TRUST_TOKEN_RATE_LIMITS; 0 = off for that role). */
  tokenRateLimits?: Partial<Record<Role, number>>;
  /** Count the limits in Redis, shared by every replica (main.ts passes REDIS_URL); default: in this process. Release it with `App.close()`. */
  rateLimitRedis?: RedisRateLimitOptions | null;
  /** Key prefix of the public rate limit's counters (default `trust:ratelimit:public`). */
  rateLimitKeyPrefix?: string;
  /** Proxies we run in front of the service, whose X-Forwarded-For entries are believed (default 0; main.ts passes TRUST_PROXY_HOPS). */
  trustedProxyHops?: number;
  /**
   * Thresholds of load shedding: `{}` for the defaults (anonymous callers above 100 ms of event-loop
   * lag, everyone above 1 s). Default `false` (off): a test's own start-up lags the loop; main.ts
   * turns it on from the configuration (on unless NODE_ENV=test).
   */
  loadShedding?: LoadShedderOptions | false;
  /** The embedded database's data folder: `/ready` also checks that it can be written. */
  dataDir?: string;
  /** Where masked errors are logged (default: `logger` at error level, else console.error). */
  logError?: (incident: string, error: unknown) => void;
  /** The service's logger (observability/logger.ts): access lines, Yoga's messages, unexpected errors. Default: silent. */
  logger?: Logger;
  /** Prometheus metrics (observability/metrics.ts) fed by every request; default none. */
  metrics?: Metrics | null;
  /** Execute operations with graphql-jit (compiled per document) instead of graphql-js; default true. */
  graphqlJit?: boolean;
}

export interface App {
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  /** node:http request listener for the whole service. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  tokens: AccessTokenService;
  /** The limit on anonymous callers (whether it is on, and shared in Redis). */
  rateLimiter: PublicRateLimiter;
  /** The limits on token holders, per subject. */
  tokenRateLimiter: TokenRateLimits;
  /** Releases what the app holds beyond the server (the rate limits' Redis connections, the lag monitor); call after the server has closed. */
  close(): Promise<void>;
}

/** What the node:http handler hands Yoga beside the request: who is calling, already verified. */
export interface ServerContext extends RequestFacts {
  viewer?: Viewer;
  /** The caller (token subject, or a keyed pseudonym of the client address when anonymous): the scope of its idempotency keys; computed when first asked for. */
  caller?: () => string;
}

/** Bytes of a request body from a caller without a token: a verifyMany of 100 URLs of 500 characters fits; bigger batches need a token. */
export const ANONYMOUS_BODY_LIMIT_BYTES = 64 * 1024;

/** Where anonymous callers are rate-limited: the verification endpoints, the check page (`/?url=` runs a verify) and the report form (web/). */
const RATE_LIMITED_PATHS = new Set(['/graphql', '/v1/verify', '/', '/report']);

/** A JSON answer that no one may cache, straight on the socket (refusals before Yoga). */
function sendNoStore(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The problem in the shape of the route: GraphQL's `{ errors }` on /graphql, `{ error }` elsewhere. */
function sendProblem(res: ServerResponse, pathname: string, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendNoStore(res, status, pathname === '/graphql' ? { errors: [{ message, extensions: { code } }] } : { error: { code, message } });
}

const OVERLOADED_MESSAGE = 'The service is overloaded; retry in 1 s (callers with a token are served first). / Dịch vụ đang quá tải; thử lại sau 1 giây (yêu cầu có token được ưu tiên).';

function setRateHeaders(res: ServerResponse, decision: RateDecision): void {
  if (decision.limit === 0) return;
  // IETF draft-ietf-httpapi-ratelimit-headers, the three separate fields.
  res.setHeader('ratelimit-limit', String(decision.limit));
  res.setHeader('ratelimit-remaining', String(decision.remaining));
  res.setHeader('ratelimit-reset', String(decision.retryAfterSeconds));
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
  // No environment here: main.ts passes the configuration (config.ts), and these are the defaults.
  const graphiql = options.graphiql ?? true;
  const introspection = options.introspection ?? true;
  const logger = options.logger ?? createLogger({ level: 'silent', pretty: false });
  const logError = options.logError ?? (options.logger ? (incident: string, error: unknown) => logUnexpectedError(logger, incident, error) : undefined);
  const logUnexpected = logError ?? ((incident: string, error: unknown) => console.error(`[api] request error (incident ${incident}):`, error));
  const auth = { tokens, oidc };
  const routes = [...healthRoutes(registry, options.dataDir), ...(options.routes ?? [])];

  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's built-in health check answers every URL that merely ends with its endpoint (a
    // `/v1/verify?url=…/health` too) with an empty 200. /health and /ready are ours
    // (http/health.ts); a fragment is never sent, so no request URL ends with this one.
    healthCheckEndpoint: '#yoga-health-check-off',
    landingPage: false,
    graphiql: graphiql ? { title: 'Trust Alliance Registry', defaultQuery: DEFAULT_QUERY } : false,
    // GraphiQL's code from the installed package, inlined in the page (yoga's default loads it from a CDN).
    // Imported on the first GraphiQL page, never in production: the inlined bundle is 31 MiB of heap.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    // Public data for any origin, never with credentials (no cookies are used; tokens go in a header).
    cors: { origin: '*', credentials: false, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'accept'] },
    maskedErrors: { maskError: (error, message) => maskError(error, message, logError) },
    // Yoga logs at error level every error its masking changed, expected ones too (a bad id, a
    // refused input): client input would fill the log. maskError logs the unexpected ones itself,
    // once, with their incident id; Yoga keeps its warnings.
    logging: yogaLogger(logger),
    // Validation results per document (server/validation-cache.ts) instead of Yoga's cache keyed by the rules' names.
    parserAndValidationCache: { validationCache: false },
    plugins: [routesPlugin(routes, { passThrough: ['/graphql'], logError: logUnexpected }), inputGuardPlugin({ introspection }), armorPlugin(), validationCachePlugin(), ...(options.metrics ? [options.metrics.graphqlPlugin] : []), ...(options.graphqlJit ?? true ? [useGraphQlJit()] : [])],
    // The node:http handler below reads, limits and parses POST bodies (request-body.ts);
    // `yoga.fetch` called directly, as tests do, has no body limit.
    maxRequestBodySize: false,
    context: async ({ request, viewer, caller }) => {
      const who = viewer ?? (await authenticate(request.headers.get('authorization'), auth));
      const actor = actorOf(who);
      return { registry, viewer: who, actor, caller: caller ?? (() => `${actor.role}:${actor.id}`), lang: pickLang(request.headers.get('accept-language')) } as GraphQLContext;
    },
  });

  const trustedProxyHops = options.trustedProxyHops ?? 0;
  const limiter = new PublicRateLimiter(options.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT, {
    redis: options.rateLimitRedis,
    keyPrefix: options.rateLimitKeyPrefix,
    // Keyed, so neither Redis nor a memory dump gives addresses back; the same in every replica.
    keyOf: (address) => registry.pseudonym('rate-limit', address),
  });
  const tokenLimits = new TokenRateLimits(
    { ...DEFAULT_TOKEN_RATE_LIMITS, ...options.tokenRateLimits },
    { redis: options.rateLimitRedis, client: limiter.redis ?? undefined, keyOf: (subject) => registry.pseudonym('rate-limit-subject', subject) },
  );
  const shedding = options.loadShedding ?? false;
  const shedder = shedding === false ? null : new LoadShedder(shedding);

  /** A failure outside Yoga: a database out of reach is 503 with Retry-After; anything else is logged with an incident id, and the client sees only that id (no stack, SQL or path). */
  const failed = (res: ServerResponse, pathname: string, error: unknown): void => {
    if (isUnavailable(error)) {
      if (!res.headersSent) sendProblem(res, pathname, 503, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE, { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
      else res.end();
      return;
    }
    const incident = crypto.randomUUID();
    logUnexpected(incident, error);
    if (!res.headersSent) sendNoStore(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.', incident } });
    else res.end();
  };

  const refuseRate = (res: ServerResponse, decision: RateDecision, anonymous: boolean): void => {
    const wait = decision.retryAfterSeconds;
    const message = anonymous
      ? `Too many requests without a token; retry in ${wait} s, or use a PLATFORM or BUSINESS token. / Quá nhiều yêu cầu không có token; thử lại sau ${wait} giây, hoặc dùng token PLATFORM hay BUSINESS.`
      : `Too many requests for this token; retry in ${wait} s. / Quá nhiều yêu cầu với token này; thử lại sau ${wait} giây.`;
    res.setHeader('retry-after', String(wait));
    // Every route, /graphql too, answers 429 with `{ error }` (the shape clients already handle).
    sendNoStore(res, 429, { error: { code: 'RATE_LIMITED', message } });
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers.authorization;
    if (url.pathname !== '/health' && shedder?.shouldShed(header !== undefined)) {
      closeAfterAnswer(req);
      return sendProblem(res, url.pathname, 503, 'SERVICE_UNAVAILABLE', OVERLOADED_MESSAGE, { 'retry-after': '1' });
    }
    if (header !== undefined) {
      authenticate(header, auth)
        .then(async (viewer) => {
          const decision = await tokenLimits.take(viewer.role as Role, viewer.subject ?? '');
          setRateHeaders(res, decision);
          if (!decision.allowed) {
            closeAfterAnswer(req);
            return refuseRate(res, decision, false);
          }
          dispatch(req, res, url, viewer, () => `${viewer.role}:${viewer.subject}`);
        })
        .catch((error: unknown) => {
          closeAfterAnswer(req);
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          if (code === 'UNAUTHENTICATED') {
            return sendProblem(res, url.pathname, 401, 'UNAUTHENTICATED', (error as Error).message, { 'www-authenticate': 'Bearer error="invalid_token"' });
          }
          failed(res, url.pathname, error);
        });
      return;
    }
    const address = clientAddress(req, trustedProxyHops);
    // An HMAC, needed only by a mutation with an idempotency key: computed then, once.
    let pseudonym: string | undefined;
    const caller = () => (pseudonym ??= `PUBLIC:${registry.pseudonym('idempotency', address)}`);
    if (!limiter.enabled || !RATE_LIMITED_PATHS.has(url.pathname)) return dispatch(req, res, url, PUBLIC_VIEWER, caller);
    // take() never rejects: when Redis fails, the in-memory insurance limiter answers.
    limiter
      .take(address)
      .then((decision) => {
        setRateHeaders(res, decision);
        if (decision.allowed) return dispatch(req, res, url, PUBLIC_VIEWER, caller);
        closeAfterAnswer(req);
        refuseRate(res, decision, true);
      })
      .catch((error: unknown) => failed(res, url.pathname, error));
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, url: URL, viewer: Viewer, caller: () => string): void => {
    noteViewer(req, viewer.role, viewer.subject);
    const context: ServerContext = { viewer, caller, remoteAddress: req.socket.remoteAddress };
    if (url.pathname === '/graphql' && req.method === 'POST') {
      readGraphQLBody(req, viewer.role === 'PUBLIC' ? ANONYMOUS_BODY_LIMIT_BYTES : LIMITS.maxRequestBodyBytes)
        .then((read) => {
          if (!read.ok) return sendNoStore(res, read.status, { errors: [{ message: read.message, extensions: { code: read.code } }] });
          // @whatwg-node/server takes a body a framework has already parsed from `req.body`.
          (req as IncomingMessage & { body?: unknown }).body = read.params;
          void yoga(req, res, context);
        })
        .catch(() => {
          if (!res.headersSent) sendNoStore(res, 400, { errors: [{ message: 'The request body could not be read. / Không đọc được nội dung yêu cầu.', extensions: { code: 'BAD_REQUEST' } }] });
        });
      return;
    }
    // Everything else (GraphiQL, the routes beside GraphQL, 404) is Yoga's, with its plugins.
    void yoga(req, res, context);
  };

  return {
    yoga,
    // Every request gets an X-Request-ID and one access line (and feeds the metrics).
    handler: withAccessLog(handler, { logger, registry, trustedProxyHops, onFinished: options.metrics?.onRequest }),
    tokens,
    rateLimiter: limiter,
    tokenRateLimiter: tokenLimits,
    close: async () => {
      shedder?.close();
      await Promise.all([limiter.close(), tokenLimits.close()]);
    },
  };
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
