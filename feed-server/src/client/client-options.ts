import { Backoff, type BackoffOptions } from './backoff.ts';
import { FeedClientError } from './feed-client-error.ts';
import type { FetchLike } from './feed-rest.ts';
import { DEFAULT_FIRST_CONNECT_TIMEOUT_MS } from './first-connect.ts';
import type { WebSocketConstructor } from './websocket-like.ts';

/** Options of `FeedClient`. */
export interface FeedClientOptions {
  /** the feed's URL, e.g. `ws://localhost:8080/v1/ws` */
  readonly url: string;
  /** the WebSocket implementation; default `globalThis.WebSocket` (browsers; in Node use `tickwire/client/node`) */
  readonly WebSocket?: WebSocketConstructor;
  /** `'msgpack'` (default): binary frames, `tickwire.v1`; `'json'`: text frames, `tickwire.v1.json` */
  readonly format?: 'msgpack' | 'json';
  /** an auth token, sent as the `token` query parameter (and to the REST API as `Authorization: Bearer`) */
  readonly token?: string;
  /**
   * the REST API's base URL for `rest`, e.g. `https://api.example.com`; default: derived from `url` (`ws:` →
   * `http:`, `wss:` → `https:`, same host and port, see `restBaseUrl`)
   */
  readonly restUrl?: string;
  /** the `fetch` `rest` uses; default `globalThis.fetch` */
  readonly fetch?: FetchLike;
  /** reconnect backoff (exponential, full jitter); `false`: do not reconnect. Default 250 ms to 10 s */
  readonly reconnect?: false | BackoffOptions;
  /** events a stream may queue for a slow consumer before it fails with `SLOW_CONSUMER` (default 10 000) */
  readonly maxQueue?: number;
  /**
   * a connection that delivers nothing for this long while channels are subscribed is dropped and
   * reconnected; default 3 × `welcome.heartbeatMs` (the server sends heartbeats on idle connections, §6)
   */
  readonly idleTimeoutMs?: number;
  /** time for the connection to open and send `welcome`, milliseconds (default 10 000) */
  readonly connectTimeoutMs?: number;
  /** bars kept per candles channel (default 1000) */
  readonly maxBars?: number;
  /**
   * how long a new client tries to reach the server before it gives up, milliseconds from the first attempt
   * to the first `welcome` (default 30 000); then it closes: `connect()` and pending requests reject with
   * `CONNECT_TIMEOUT`, streams fail with it, and the status is `closed`. `null`: keep trying (a page that
   * waits for its server). Once connected, a lost connection is reconnected without a deadline.
   */
  readonly firstConnectTimeoutMs?: number | null;
  /** aborting it closes the client (as `close()`; pending promises reject with `ABORTED`) */
  readonly signal?: AbortSignal;
}

/** What the parts of a `FeedClient` need of its options, checked and with the defaults filled in. */
export interface ConnectionSettings {
  /** the feed's URL with the token as its `token` query parameter */
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
  readonly json: boolean;
  /** null: do not reconnect */
  readonly backoff: Backoff | null;
  /** null: 3 × the welcome's heartbeat */
  readonly idleTimeoutMs: number | null;
  readonly connectTimeoutMs: number;
  /** null: no deadline */
  readonly firstConnectTimeoutMs: number | null;
  readonly signal: AbortSignal | undefined;
}

const DEFAULT_MAX_QUEUE = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** `options` checked (a `BAD_OPTION` `FeedClientError` names the first that is not valid), with defaults. */
export function resolveOptions(options: FeedClientOptions): {
  readonly connection: ConnectionSettings;
  readonly maxQueue: number;
  readonly maxBars: number | undefined;
} {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new FeedClientError('BAD_OPTION', `url ${JSON.stringify(options.url)} is not a URL`, { cause });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new FeedClientError('BAD_OPTION', `url must be ws:// or wss://, got ${url.protocol}//`);
  }
  if (options.token !== undefined) url.searchParams.set('token', options.token);
  const impl =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor | undefined }).WebSocket;
  if (impl === undefined) {
    throw new FeedClientError(
      'BAD_OPTION',
      'no WebSocket implementation: pass options.WebSocket (in Node, use tickwire/client/node)',
    );
  }
  let backoff: Backoff | null;
  try {
    backoff = options.reconnect === false ? null : new Backoff(options.reconnect);
  } catch (cause) {
    throw new FeedClientError('BAD_OPTION', `reconnect: ${(cause as Error).message}`, { cause });
  }
  const maxQueue = positiveOption('maxQueue', options.maxQueue) ?? DEFAULT_MAX_QUEUE;
  const idleTimeoutMs = positiveOption('idleTimeoutMs', options.idleTimeoutMs) ?? null;
  const connectTimeoutMs =
    positiveOption('connectTimeoutMs', options.connectTimeoutMs) ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const maxBars = positiveOption('maxBars', options.maxBars);
  const firstConnectTimeoutMs =
    options.firstConnectTimeoutMs === null
      ? null
      : (positiveOption('firstConnectTimeoutMs', options.firstConnectTimeoutMs) ??
        DEFAULT_FIRST_CONNECT_TIMEOUT_MS);
  return {
    connection: {
      url: url.href,
      WebSocket: impl,
      json: options.format === 'json',
      backoff,
      idleTimeoutMs,
      connectTimeoutMs,
      firstConnectTimeoutMs,
      signal: options.signal,
    },
    maxQueue,
    maxBars,
  };
}

function positiveOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && value > 0)) {
    throw new FeedClientError('BAD_OPTION', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
