/**
 * Webhook endpoints: checked when a subscription is created (https, public addresses) and again
 * at every delivery, where the request connects only to an address just checked (a custom
 * `lookup`), so DNS cannot turn the registry against its own network. No redirects are
 * followed, the whole exchange has a timeout and only the first bytes of a response are read.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { ValidationError } from '../errors.ts';
import { ipLiteral, refusedAddress } from './addresses.ts';

/** The longest URL a subscription may name. */
export const MAX_URL_LENGTH = 2048;

/** Parses and checks an endpoint's form: https (http only for loopback with the unsafe setting), no credentials. */
export function parseEndpoint(raw: string, allowLoopback: boolean): URL {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) throw new ValidationError(`url must be 1 to ${MAX_URL_LENGTH} characters`, 'url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url is not a URL', 'url');
  }
  if (url.username || url.password) throw new ValidationError('url must not carry credentials', 'url');
  if (url.protocol === 'https:') return url;
  const literal = ipLiteral(url.hostname);
  const loopbackName = url.hostname === 'localhost' || (literal !== null && refusedAddress(literal, true) === null && refusedAddress(literal) !== null);
  if (url.protocol === 'http:' && allowLoopback && loopbackName) return url;
  throw new ValidationError('url must use https', 'url');
}

/** Resolves `host` and refuses it unless every address is allowed. */
export async function resolveChecked(host: string, allowLoopback: boolean): Promise<LookupAddress[]> {
  const literal = ipLiteral(host);
  const addresses = literal !== null ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }] : await new Promise<LookupAddress[]>((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? reject(new ValidationError(`url: ${host} does not resolve (${error.code ?? error.message})`, 'url')) : resolve(found)));
  });
  if (addresses.length === 0) throw new ValidationError(`url: ${host} has no address`, 'url');
  for (const { address } of addresses) {
    const why = refusedAddress(address, allowLoopback);
    if (why) throw new ValidationError(`url: refused, ${host} resolves to ${why}`, 'url');
  }
  return addresses;
}

/** Checks an endpoint when a subscription is created or changed: its form, then its addresses. */
export async function checkEndpoint(raw: string, allowLoopback: boolean): Promise<URL> {
  const url = parseEndpoint(raw, allowLoopback);
  await resolveChecked(url.hostname, allowLoopback);
  return url;
}

export interface SendLimits {
  /** The whole exchange, connection included (default 10 s). */
  timeoutMs: number;
  /** Bytes of the response read at most (default 64 KiB); the rest is dropped. */
  maxResponseBytes: number;
  allowLoopback: boolean;
}

export type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };

/**
 * POSTs `body` to `url`; 2xx is delivered, anything else (a redirect too) is a failure.
 * The connection goes only to addresses checked here, whatever DNS answers later.
 */
export async function postWebhook(url: URL, headers: Record<string, string>, body: string, limits: SendLimits, signal?: AbortSignal): Promise<SendOutcome> {
  try {
    parseEndpoint(url.href, limits.allowLoopback);
    const literal = ipLiteral(url.hostname);
    if (literal !== null) await resolveChecked(literal, limits.allowLoopback);
  } catch (error) {
    return { ok: false, status: null, error: (error as Error).message };
  }
  const checkedLookup = (hostname: string, options: { all?: boolean }, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    resolveChecked(hostname, limits.allowLoopback).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
      (error: Error) => callback(error, ''),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const req = send(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      lookup: checkedLookup as never,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'TrustAllianceRegistry-Webhooks/1' },
    }, (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > limits.maxResponseBytes) res.destroy();
      });
      const done = () => finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}` });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, status: null, error: `timed out after ${limits.timeoutMs} ms` });
    }, limits.timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish({ ok: false, status: null, error: 'aborted: the worker stopped' });
    };
    signal?.addEventListener('abort', onAbort);
    req.on('error', (error) => finish({ ok: false, status: null, error: error.message }));
    req.end(body);
  });
}
