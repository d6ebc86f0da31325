/*
 * The part of the WebSocket API the client uses, so that the browser's `WebSocket` and Node's `ws` both fit
 * (nats.js keeps its protocol engine apart from the transport the same way). Handlers are typed with the
 * bivariant method form, so the DOM's `(this: WebSocket, ev: MessageEvent) => any` and `ws`'s
 * `(event: WebSocket.MessageEvent) => void` are both assignable.
 */

/** A handler of one WebSocket event type (a bivariant method signature, see above). */
export type WebSocketHandler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The fields of a `message` event the client reads: an `ArrayBuffer` (binary) or a string (text). */
export interface WebSocketMessageEventLike {
  readonly data: unknown;
}

/** The fields of a `close` event the client reads. */
export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** A WebSocket as the client drives it: the browser's, `ws`'s, or a test double. */
export interface WebSocketLike {
  /** set to `'arraybuffer'` by the client */
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed */
  readonly readyState: number;
  onopen: WebSocketHandler<unknown> | null;
  onmessage: WebSocketHandler<WebSocketMessageEventLike> | null;
  onclose: WebSocketHandler<WebSocketCloseEventLike> | null;
  onerror: WebSocketHandler<unknown> | null;
  send(data: Uint8Array<ArrayBuffer> | string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the connection at once, without a closing handshake */
  terminate?(): void;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers (and Node ≥ 22), `WebSocket` of `ws` in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
