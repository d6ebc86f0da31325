import { WebSocket } from 'ws';
import { CLOSE_CODES } from '../protocol/index.ts';

/**
 * Reasons for the close codes `ws` sends on its own when a client frame breaks RFC 6455 or a limit: it closes
 * with the code alone (`websocket.close(err[kStatusCode])` in its `receiverOnError`), so without these a client
 * would see 1009 or 1007 with an empty reason and have to guess.
 */
const WS_CLOSE_REASONS: ReadonlyMap<number, string> = new Map(
  [CLOSE_CODES.PROTOCOL_ERROR, CLOSE_CODES.INVALID_UTF8, CLOSE_CODES.MESSAGE_TOO_BIG].map((c) => [
    c.code,
    c.meaning,
  ]),
);

/**
 * The server's `ws` WebSocket class (the `WebSocket` option of `WebSocketServer`): closes that `ws` starts
 * itself with a bare 1002, 1007 or 1009 carry the protocol's reason for the code (PROTOCOL.md §9). A close
 * with a reason of its own is sent as given. An echo of a client's own close with one of these codes gets the
 * reason too, which RFC 6455 §5.5.1 allows.
 */
export class FeedSocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    super.close(code, data ?? (code === undefined ? undefined : WS_CLOSE_REASONS.get(code)));
  }
}
