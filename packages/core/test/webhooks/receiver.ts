/**
 * A real webhook receiver on loopback for the tests: records every request (headers and body)
 * and answers as the test says (a status, or hang until the sender times out).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed body. */
  event: { id: string; type: string; timestamp: string; data: { accounts: Array<{ key: string; status: string }>; [k: string]: unknown } };
  at: number;
}

export type Behaviour = (request: Received, index: number) => number | 'hang';

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Requests answered 2xx. */
  accepted: Received[];
  behave(behaviour: Behaviour): void;
  /** Resolves once `count` requests were answered 2xx. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
  /** Stops listening (the port stays reserved to reopen with {@link reopen}). */
  down(): Promise<void>;
  reopen(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = () => 200, port = 0): Promise<Receiver> {
  let behave = behaviour;
  const received: Received[] = [];
  const accepted: Received[] = [];
  const waiters: Array<() => void> = [];
  const make = (): Server => createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, body, event: JSON.parse(body), at: Date.now() };
      const index = received.push(r) - 1;
      const answer = behave(r, index);
      if (answer === 'hang') return;
      if (answer >= 200 && answer < 300) {
        accepted.push(r);
        waiters.forEach((w) => w());
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  let server = make();
  const listen = (p: number) => new Promise<number>((resolve) => server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const actualPort = await listen(port);
  const stop = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return {
    url: `http://127.0.0.1:${actualPort}/hook`,
    port: actualPort,
    received,
    accepted,
    behave: (b) => (behave = b),
    waitFor: (count, timeoutMs = 15_000) => new Promise((resolve, reject) => {
      const check = () => {
        if (accepted.length >= count) {
          clearTimeout(timer);
          resolve(accepted);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`receiver: ${accepted.length} of ${count} deliveries after ${timeoutMs} ms (${received.length} requests)`)), timeoutMs);
      if (!check()) waiters.push(check);
    }),
    close: stop,
    down: stop,
    reopen: async () => {
      server = make();
      await listen(actualPort);
    },
  };
}
