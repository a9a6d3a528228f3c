/**
 * The node:http server around the app, with graceful close.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './create-yoga.ts';

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:4000 */
  origin: string;
  port: number;
  /** Stops accepting connections and waits for open requests to finish. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (port 0 picks a free one).
 * @example const { origin, close } = await listen(createApp({ registry }), { port: 0, host: '127.0.0.1' });
 */
export function listen(app: Pick<App, 'handler'>, options: { port: number; host?: string }): Promise<RunningServer> {
  const server = createServer(app.handler);
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        port,
        origin: `http://${shownHost}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 5_000).unref();
          }),
      });
    });
  });
}
