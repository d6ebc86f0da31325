/**
 * The SDK for Node (`tickwire/client/node`): everything of `tickwire/client`, with a `FeedClient` whose
 * WebSocket defaults to the `ws` package (Node 20 has no global WebSocket). The only file of the client
 * folder that may import a Node-only package.
 */
import { WebSocket } from 'ws';
import type { FeedClientOptions } from './client-options.ts';
import { FeedClient as IsomorphicFeedClient } from './feed-client.ts';
import type { WebSocketConstructor } from './websocket-like.ts';

export * from './index.ts';

const WS: WebSocketConstructor = WebSocket;

/**
 * `FeedClient` with `ws` as its default WebSocket.
 *
 * @example
 * ```ts
 * import { FeedClient } from 'tickwire/client/node';
 *
 * const client = new FeedClient({ url: 'ws://localhost:8080/v1/ws' });
 * for await (const t of client.trades('BTC-USD')) console.log(t.price, t.qty);
 * ```
 */
export class FeedClient extends IsomorphicFeedClient {
  constructor(options: FeedClientOptions) {
    super({ ...options, WebSocket: options.WebSocket ?? WS });
  }
}
