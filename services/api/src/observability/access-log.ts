/**
 * One access line per request, written when the response is finished (or the connection closed):
 * method, route template, status, duration, role, the caller's keyed pseudonym and request id.
 * Nothing else from the request is written: no path or query (they can hold a URL or a name a
 * client looked up), no header, no body, no client address. The same hook feeds the request
 * metrics (metrics.ts), so the log and the metrics count the same requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '@trust-alliance/core';
import { clientAddress } from '../http/client-address.ts';
import type { Logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import { routeTemplate } from './route-template.ts';

/** Who the handler found to be calling, noted by create-yoga once the token is verified. */
const callers = new WeakMap<IncomingMessage, { role: string; subject: string | null | undefined }>();

/** Called by the app once it knows the verified viewer of a request. */
export function noteViewer(req: IncomingMessage, role: string, subject: string | null | undefined): void {
  callers.set(req, { role, subject });
}

/** What the metrics are told of every finished request. */
export interface RequestRecord {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  role: string;
  requestId: string;
}

/** One access line: the record and the caller's keyed pseudonym. */
export interface AccessLine extends RequestRecord {
  caller: string;
}

export interface AccessLogOptions {
  logger: Logger;
  registry: Pick<Registry, 'pseudonym'>;
  trustedProxyHops: number;
  /** Also told of every finished request (metrics). */
  onFinished?: (record: RequestRecord) => void;
}

/**
 * Wraps a node:http handler.
 * @example const handler = withAccessLog(app.handler, { logger, registry, trustedProxyHops: 0 });
 */
export function withAccessLog(handler: (req: IncomingMessage, res: ServerResponse) => void, options: AccessLogOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const log = options.logger.child({ component: 'access' });
  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req, options.trustedProxyHops);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const noted = callers.get(req);
      const anonymous = req.headers.authorization === undefined;
      const role = noted?.role ?? (anonymous ? 'PUBLIC' : 'UNAUTHENTICATED');
      const method = req.method ?? 'GET';
      const route = routeTemplate(new URL(req.url ?? '/', 'http://localhost').pathname);
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      options.onFinished?.({ method, route, status: res.statusCode, durationMs, role, requestId });
      // The caller's pseudonym is an HMAC: computed only for a line that is written.
      if (!log.isLevelEnabled('info')) return;
      // Anonymous callers are known by their address, keyed as the rate limiter keys it; token
      // holders by their verified subject. Either way only a keyed pseudonym is written.
      const caller =
        noted !== undefined && noted.role !== 'PUBLIC'
          ? options.registry.pseudonym('access-log-subject', `${noted.role}:${noted.subject ?? ''}`)
          : options.registry.pseudonym('rate-limit', clientAddress(req, options.trustedProxyHops));
      const line: AccessLine = { method, route, status: res.statusCode, durationMs, role, caller, requestId };
      log.info(line, 'request');
    };
    res.once('finish', finish);
    res.once('close', finish);
    handler(req, res);
  };
}
