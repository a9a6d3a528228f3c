/**
 * The metrics listener: GET /metrics in Prometheus text format, on its own port (METRICS_PORT,
 * off unless set) and on loopback unless METRICS_HOST says otherwise, so that scraping needs
 * access to the host and the public port never serves them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';

export interface MetricsServer {
  origin: string;
  close(): Promise<void>;
}

/** @example const server = await startMetricsServer(metrics, { port: 9464, host: '127.0.0.1' }); */
export function startMetricsServer(metrics: Pick<Metrics, 'registry'>, options: { port: number; host: string }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    metrics.registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
      .catch(() => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({ origin: `http://${host}:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
