/**
 * The load driver, in a process of its own so that its CPU is not the server's: runs autocannon
 * against a loopback origin and prints ONE JSON line with the result.
 *
 * Usage: `node --import tsx load-driver.ts '<json spec>'` where the spec is
 * `{ origin, kind: 'graphql' | 'rest' | 'baseline', urlsFile, connections, duration, warmup? }`.
 * Every request takes the next URL of the list (one counter shared by all connections, from
 * `start`, going on from the warm-up into the measured run), so the server sees the URLs rotate
 * whatever the number of connections:
 * - graphql:  POST /graphql, a fixed `verify(input: {url})` query, the URL in the variables;
 * - rest:     GET /v1/verify?url=…;
 * - page:     GET /?url=… (the check page's shareable answer, HTML: services/api/src/web);
 * - badge:    GET /badge/account.svg?url=… (the live status badge, SVG);
 * - baseline: GET /verify?url=… (baseline-server.ts).
 */
import { readFileSync } from 'node:fs';
import { assertLoopback, requireFromBench } from './common.ts';

export interface LoadSpec {
  origin: string;
  kind: 'graphql' | 'rest' | 'page' | 'badge' | 'baseline';
  urlsFile: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds of unmeasured load first (same URLs, same connections). */
  warmup?: number;
  /** Index of the list's first URL (default 0); the measured run continues where the warm-up stopped. */
  start?: number;
}

export interface LoadResult {
  kind: LoadSpec['kind'];
  connections: number;
  duration: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The batch the bench and profile-verify-many.ts send: the same fields as VERIFY_QUERY. */
export const VERIFY_MANY_QUERY =
  'query Many($inputs: [VerifyInput!]!) { verifyMany(inputs: $inputs) { status account { platform key url } member { id displayName kind province } badges { id program status issuedAt expiresAt } flags { category since } error { code message } } }';

export const VERIFY_QUERY =
  'query Verify($url: String!) { verify(input: { url: $url }) { status account { platform key url } member { id displayName kind province } badges { id program status issuedAt expiresAt } flags { category since } error { code message } checkedAt } }';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p90: number; p99: number; mean: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

export function buildRequest(kind: LoadSpec['kind'], urls: readonly string[], start = 0): AutocannonRequest {
  let next = start;
  if (kind === 'graphql') {
    const bodies = urls.map((url) => JSON.stringify({ query: VERIFY_QUERY, variables: { url }, operationName: 'Verify' }));
    return {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length]! }),
    };
  }
  const prefix = { rest: '/v1/verify?url=', page: '/?url=', badge: '/badge/account.svg?url=', baseline: '/verify?url=' }[kind];
  const paths = urls.map((url) => prefix + encodeURIComponent(url));
  const accept = { rest: 'application/json', page: 'text/html', badge: 'image/svg+xml', baseline: 'application/json' }[kind];
  return {
    method: 'GET',
    path: paths[0]!,
    headers: { accept },
    setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  assertLoopback(spec.origin);
  const urls = JSON.parse(readFileSync(spec.urlsFile, 'utf8')) as string[];
  const autocannon = requireFromBench('autocannon') as Autocannon;
  // One request generator for both runs: the measured run goes on with the next URLs of the list
  // (a Zipf sequence is not replayed from its start).
  const request = buildRequest(spec.kind, urls, spec.start ?? 0);
  if (spec.warmup && spec.warmup > 0) {
    await autocannon({ url: spec.origin, connections: spec.connections, duration: spec.warmup, requests: [request] });
  }
  const r = await autocannon({ url: spec.origin, connections: spec.connections, duration: spec.duration, requests: [request] });
  const result: LoadResult = {
    kind: spec.kind,
    connections: spec.connections,
    duration: r.duration,
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    mean: r.latency.mean,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
