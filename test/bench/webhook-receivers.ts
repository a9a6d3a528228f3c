/**
 * The webhook bench's receivers, in a process of their own (a platform's servers are not the
 * registry's): `count` loopback HTTP servers that answer 204 and report, over IPC, when each
 * event id first reached each of them (wall clock, the same on one machine), in batches.
 *
 * Messages out: `{ ports: number[] }` once listening; `{ arrivals: Array<[subscriber, id, atMs]> }`.
 * Message in: `'stop'`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? '10');
const seen: Array<Set<string>> = [];
let pending: Array<[number, string, number]> = [];
const servers: Server[] = [];
for (let s = 0; s < count; s++) {
  const ids = new Set<string>();
  seen.push(ids);
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    req.resume();
    req.on('end', () => {
      if (!ids.has(id)) {
        ids.add(id);
        pending.push([s, id, Date.now()]);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
}
const flush = () => {
  if (pending.length === 0) return;
  process.send!({ arrivals: pending });
  pending = [];
};
const timer = setInterval(flush, 50);
process.send!({ ports: servers.map((server) => (server.address() as AddressInfo).port) });
process.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  flush();
  for (const server of servers) server.close();
  process.disconnect();
});
