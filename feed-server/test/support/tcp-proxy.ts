import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy between a client and a server, for tests that need a real network failure: `cut()`
 * destroys every connection through it, as a dropped link would, while both ends stay up.
 */
export class TcpProxy {
  readonly #pairs = new Set<[Socket, Socket]>();

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (any free port) and forwards every connection to `targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const proxy = new TcpProxy(server, address.port);
    server.on('connection', (inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      const pair: [Socket, Socket] = [inbound, outbound];
      proxy.#pairs.add(pair);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const end = () => {
        inbound.destroy();
        outbound.destroy();
        proxy.#pairs.delete(pair);
      };
      inbound.on('error', end);
      outbound.on('error', end);
      inbound.on('close', end);
      outbound.on('close', end);
    });
    return proxy;
  }

  /** Destroys every connection through the proxy (both sides see a reset). */
  cut(): void {
    for (const [a, b] of this.#pairs) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
