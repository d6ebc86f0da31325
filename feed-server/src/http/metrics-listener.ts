import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetricsSource, metricsHandler } from './metrics-handler.ts';

/** Where {@link listenMetrics} listens. */
export interface MetricsListenAddress {
  /** e.g. `127.0.0.1`, or a private interface the scraper reaches */
  readonly host: string;
  /** 0 = any free port */
  readonly port: number;
}

/** A running metrics listener. */
export interface MetricsListener {
  /** `http://host:port/metrics` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends its connections. */
  close(): Promise<void>;
}

/**
 * `/metrics` alone on its own plain-HTTP listener (`--metrics-listen`), for a Prometheus that should not need
 * the feed's token: no token is asked for here, so the address is the protection — bind it to loopback or a
 * network only the scraper reaches. Every other path is 404. Rejects when it cannot listen (`EADDRINUSE`…).
 *
 * @example
 * const listener = await listenMetrics(metrics, { host: '127.0.0.1', port: 9464 });
 * // scrape http://127.0.0.1:9464/metrics
 */
export async function listenMetrics(
  source: MetricsSource,
  address: MetricsListenAddress,
  onError?: (error: unknown) => void,
): Promise<MetricsListener> {
  const serve = metricsHandler(source, onError === undefined ? {} : { onError });
  const server = createServer((req, res) => {
    if (serve(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('only /metrics is served here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
