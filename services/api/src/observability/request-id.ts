/**
 * The request id: taken from `X-Request-ID` only when the service runs behind proxies it trusts
 * (TRUST_PROXY_HOPS > 0: the proxy sets or overwrites the header), otherwise generated, so that
 * a client cannot forge ids into the log. Either way it is echoed in the response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a trusted id may look like: printable, short, nothing that could break a log line. */
const ACCEPTED = /^[A-Za-z0-9._:@-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** @example const id = requestIdOf(req, config.trustedProxyHops); res.setHeader('x-request-id', id); */
export function requestIdOf(req: IncomingMessage, trustedProxyHops: number): string {
  const given = req.headers[REQUEST_ID_HEADER];
  if (trustedProxyHops > 0 && typeof given === 'string' && ACCEPTED.test(given)) return given;
  return randomUUID();
}
