import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from '../../src/http/index.ts';

/** Status of a request no handler took: tells "not handled" apart from anything a handler sends. */
export const UNHANDLED_STATUS = 418;

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  close(): Promise<void>;
}

/** A real `node:http` server on 127.0.0.1, port 0, trying `handlers` in turn; unhandled requests get 418. */
export async function serve(...handlers: HttpHandler[]): Promise<TestServer> {
  const server = createServer((req, res) => {
    for (const handle of handlers) if (handle(req, res)) return;
    res.writeHead(UNHANDLED_STATUS, { 'content-type': 'text/plain' }).end('not handled');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
