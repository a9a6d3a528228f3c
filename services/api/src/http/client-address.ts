/**
 * The address a request comes from, for the public rate limit. Behind load balancers the
 * socket's address is the balancer's, so all anonymous callers would share one budget; the
 * balancers append the address they saw to `X-Forwarded-For`. Only the entries added by proxies
 * we run can be believed (a client writes whatever it likes before them), so the service is
 * told how many there are (TRUST_PROXY_HOPS) and takes the entry that many places from the end.
 */
import type { IncomingMessage } from 'node:http';

/** Most trusted proxy hops accepted in configuration. */
export const MAX_PROXY_HOPS = 10;

/**
 * @example
 * // one load balancer in front: X-Forwarded-For "spoofed, 203.0.113.7" → "203.0.113.7"
 * clientAddress(req, 1)
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // Fewer entries than proxies: the request did not come through all of them; count the socket.
  return entries.length >= trustedProxyHops ? entries[entries.length - trustedProxyHops]! : socketAddress;
}
