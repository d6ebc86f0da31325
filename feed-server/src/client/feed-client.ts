import {
  type BookDepth,
  type CandleInterval,
  type Channel,
  CLOSE_CODES,
  type ConflateMs,
  decodeFrame,
  decodeFrameJson,
  encodeRequest,
  encodeRequestJson,
  formatChannel,
  type InstrumentInfo,
  MAX_CHANNELS_PER_REQUEST,
  MAX_REQUEST_ID,
  ProtocolError,
  parseChannel,
  type ReplayAction,
  type ReplayRequest,
  type ReplaySpeed,
  type Request,
  type RequestErrorCode,
  type ServerMessage,
  type SubscribeRequest,
  type Welcome,
} from '../protocol/index.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { type EventSink, EventStream, type FeedStream } from './event-stream.ts';
import { FeedClientError, type Refusal } from './feed-client-error.ts';
import type {
  BookEvent,
  CandleEvent,
  ChannelEvent,
  ConnectionState,
  FeedEvent,
  FeedEventOf,
  FeedEventType,
  ReplayEvent,
  StatusEvent,
  TickerEvent,
  TradeEvent,
} from './feed-events.ts';
import { FeedRest, type FetchLike } from './feed-rest.ts';
import { DEFAULT_FIRST_CONNECT_TIMEOUT_MS, FirstConnect } from './first-connect.ts';
import { replayCommand } from './replay-command.ts';
import { Subscription, type SubscriptionHost } from './subscription.ts';
import type {
  WebSocketCloseEventLike,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketMessageEventLike,
} from './websocket-like.ts';

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

/** Counters of a `FeedClient` since it was created. */
export interface FeedStats {
  /** server messages received */
  readonly messages: number;
  /** WebSocket frames received */
  readonly frames: number;
  /** bytes of the frames received (for the JSON format: characters) */
  readonly bytes: number;
  /** reconnects scheduled after a lost connection */
  readonly reconnects: number;
  /** lost messages detected: an update seq skipped, or announced by a heartbeat */
  readonly gaps: number;
  /** channel resyncs, for any reason (gap, heartbeat, checksum, server reset) */
  readonly resyncs: number;
  /** local books whose checksum differed from the server's */
  readonly checksumMismatches: number;
  /**
   * delay from the engine's event time (`tsUs` of updates and heartbeats) to its arrival, in µs, by this
   * machine's clock (so it includes clock skew); null until measured, and never for a replayed feed
   */
  readonly latencyUs: { readonly last: number | null; readonly avg: number | null };
}

interface PendingRequest {
  readonly op: 'subscribe' | 'unsubscribe' | 'replay';
  /** channels not yet acked or refused */
  readonly remaining: Set<string>;
  /** whether the subscribe carried `resume` */
  readonly resume: boolean;
  /** the caller of `unsubscribe()` waiting for the ack */
  readonly waiter?: { resolve: () => void; reject: (e: Error) => void };
}

type Listener = (event: FeedEvent) => void;

const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.POLICY_VIOLATION.code,
  CLOSE_CODES.AUTH_REQUIRED.code,
  CLOSE_CODES.TOKEN_EXPIRED.code,
  CLOSE_CODES.TOKEN_INVALID.code,
]);
/** Close code for a connection that closed without a close frame (RFC 6455 §7.1.5). */
const ABNORMAL_CLOSURE = 1006;
const DEFAULT_MAX_QUEUE = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** A request refused with RATE_LIMITED is sent again after this long. */
const RATE_LIMIT_RETRY_MS = 1000;
/** Repeated resyncs of one channel back off from this delay… */
const RESYNC_MIN_DELAY_MS = 250;
/** …up to this one. */
const RESYNC_MAX_DELAY_MS = 30_000;
const OPEN = 1;
/** The `instruments` channel's name. */
const INSTRUMENTS = 'instruments';

function ignore(): void {}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

function channelRefusal(name: string, error: unknown): Refusal {
  if (error instanceof ProtocolError) {
    return { channel: name, code: error.code as RequestErrorCode, message: error.message };
  }
  throw error;
}

/**
 * A client of the Tickwire feed (PROTOCOL.md), for browsers and Node. It keeps the connection up
 * (reconnecting with backoff and resuming each channel where it left off, §5), keeps every channel in
 * sequence (a gap, a heartbeat announcing lost messages, or a book checksum mismatch resyncs the channel;
 * data never arrives out of order), maintains local books and candle series, and hands out one event union
 * through async iterators (`trades()`, `ticker()`, `book()`, `candles()`, `events()`) and listeners (`on()`).
 * Prices and quantities are the wire's scaled integers (`price`, `qty`…) with their exact decimal strings
 * beside them (`priceDecimal`, `qtyDecimal`…), with no setup: the client subscribes `instruments` ahead of any
 * other channel, so it knows every symbol's scales before the first data event. Sides are `'buy'` / `'sell'`.
 * History and one-off state come from the same server's REST API through `rest` (`FeedRest`), in the same types.
 *
 * The connection opens on first use (`connect()`, `subscribe()`, or a stream). Close codes 1008, 4001, 4002
 * and 4003 (origin, authentication) are final: the client closes with a fatal `closed` status.
 *
 * @example
 * ```ts
 * import { FeedClient } from 'tickwire/client';
 *
 * const client = new FeedClient({ url: 'wss://feed.example.com/v1/ws' });
 * client.on('status', (s) => console.log('status', s.status));
 * const history = await client.rest.candles('BTC-USD', '1m', { limit: 60 });
 * console.log('last close', history.at(-1)?.closeDecimal);
 * for await (const t of client.trades('BTC-USD')) {
 *   console.log(t.side, t.qtyDecimal, '@', t.priceDecimal); // buy 0.01500 @ 65001.25
 * }
 * ```
 */
export class FeedClient {
  /**
   * The REST API of the client's server (PROTOCOL.md §14), with the client's token: instruments, ticker,
   * book, trades and candle history, in the types the stream's events carry.
   *
   * @example
   * ```ts
   * const trades = await client.rest.trades('BTC-USD', { limit: 100 });
   * ```
   */
  readonly rest: FeedRest;
  private readonly url: string;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly json: boolean;
  private readonly backoff: Backoff | null;
  private readonly maxQueue: number;
  private readonly idleTimeoutOption: number | undefined;
  private readonly connectTimeoutMs: number;
  private readonly maxBars: number | undefined;
  private readonly firstConnect: FirstConnect;
  private lastCloseText = '';

  private connState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  private welcomeBody: Welcome | null = null;
  private lastSession: string | null = null;
  private connectAttempts = 0;
  private liveSinceMs = 0;
  private lastFrameMs = 0;
  private idleTimeoutMs = 0;
  private lastSocketError = '';
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdogTimer: ReturnType<typeof setInterval> | undefined;
  private nextRequestId = 1;
  private channelsPerRequest = MAX_CHANNELS_PER_REQUEST;

  private readonly subs = new Map<string, Subscription>();
  private readonly byChannelId = new Map<number, Subscription>();
  private readonly requests = new Map<number, PendingRequest>();
  private readonly resyncPending = new Set<Subscription>();
  private readonly listeners = new Map<FeedEventType, Listener[]>();
  private readonly allStreams = new Set<EventSink<FeedEvent>>();
  private readonly welcomeWaiters: { resolve: (w: Welcome) => void; reject: (e: Error) => void }[] = [];
  private readonly instrumentWaiters: {
    resolve: (list: readonly InstrumentInfo[]) => void;
    reject: (e: Error) => void;
  }[] = [];
  private instrumentList: readonly InstrumentInfo[] | null = null;
  private readonly instrumentsBySymbol = new Map<string, InstrumentInfo>();

  private counters = {
    messages: 0,
    frames: 0,
    bytes: 0,
    reconnects: 0,
    gaps: 0,
    resyncs: 0,
    checksumMismatches: 0,
    latencyLast: null as number | null,
    latencySum: 0,
    latencyCount: 0,
  };

  private readonly host: SubscriptionHost = {
    dispatch: (event) => this.dispatch(event),
    resync: (sub) => {
      this.resyncPending.add(sub);
    },
    drop: (sub) => {
      this.dropSubscriptions([sub]).catch((e: unknown) => this.emitError(e));
    },
    scales: (symbol) => this.instrumentsBySymbol.get(symbol),
  };

  constructor(options: FeedClientOptions) {
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
    this.url = url.href;
    this.rest = new FeedRest({
      url: options.restUrl ?? options.url,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    const impl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor | undefined }).WebSocket;
    if (impl === undefined) {
      throw new FeedClientError(
        'BAD_OPTION',
        'no WebSocket implementation: pass options.WebSocket (in Node, use tickwire/client/node)',
      );
    }
    this.WebSocketImpl = impl;
    this.json = options.format === 'json';
    try {
      this.backoff = options.reconnect === false ? null : new Backoff(options.reconnect);
    } catch (cause) {
      throw new FeedClientError('BAD_OPTION', `reconnect: ${(cause as Error).message}`, { cause });
    }
    this.maxQueue = positiveOption('maxQueue', options.maxQueue) ?? DEFAULT_MAX_QUEUE;
    this.idleTimeoutOption = positiveOption('idleTimeoutMs', options.idleTimeoutMs);
    this.connectTimeoutMs =
      positiveOption('connectTimeoutMs', options.connectTimeoutMs) ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.maxBars = positiveOption('maxBars', options.maxBars);
    const firstConnectTimeoutMs =
      options.firstConnectTimeoutMs === null
        ? null
        : (positiveOption('firstConnectTimeoutMs', options.firstConnectTimeoutMs) ??
          DEFAULT_FIRST_CONNECT_TIMEOUT_MS);
    this.firstConnect = new FirstConnect(
      firstConnectTimeoutMs,
      options.signal,
      () => this.giveUp('timeout', `no connection within ${firstConnectTimeoutMs} ms`),
      () => this.giveUp('aborted', 'aborted by its signal'),
    );
    if (this.firstConnect.aborted) this.giveUp('aborted', 'aborted by its signal');
  }

  /** The connection's state: `idle` until first used, `closed` for good after `close()` or a fatal close. */
  get state(): ConnectionState {
    return this.connState;
  }

  /** The current connection's `welcome`, or null while not connected. */
  get welcome(): Welcome | null {
    return this.welcomeBody;
  }

  /**
   * Counters since the client was created (a copy).
   *
   * @example
   * ```ts
   * const { messages, gaps, latencyUs } = client.stats;
   * ```
   */
  get stats(): FeedStats {
    const c = this.counters;
    return {
      messages: c.messages,
      frames: c.frames,
      bytes: c.bytes,
      reconnects: c.reconnects,
      gaps: c.gaps,
      resyncs: c.resyncs,
      checksumMismatches: c.checksumMismatches,
      latencyUs: {
        last: c.latencyLast,
        avg: c.latencyCount === 0 ? null : c.latencySum / c.latencyCount,
      },
    };
  }

  /**
   * Opens the connection (if it is not open yet) and resolves with the server's `welcome`. Rejects with a
   * `FeedClientError` when the client is closed first (`CLOSED`, `FATAL_CLOSE`, `DISCONNECTED`, `ABORTED`),
   * or, on a first connection, with `CONNECT_TIMEOUT` after `firstConnectTimeoutMs` (default 30 s; the
   * reason of the last failed attempt is in the message).
   *
   * @example
   * ```ts
   * const welcome = await client.connect();
   * console.log(welcome.server, welcome.mode);
   * ```
   */
  connect(): Promise<Welcome> {
    if (this.welcomeBody !== null) return Promise.resolve(this.welcomeBody);
    if (this.connState === 'closed') return Promise.reject(this.closedError());
    const p = new Promise<Welcome>((resolve, reject) => {
      this.welcomeWaiters.push({ resolve, reject });
    });
    this.ensureConnected();
    return p;
  }

  /**
   * Subscribes to channels (§4 names, e.g. `trades:BTC-USD`, `book:BTC-USD:50@100ms`) until `unsubscribe`;
   * their events go to `on()` listeners and `events()`. Resolves with the canonical names once every channel
   * is acked. A refused channel (unknown symbol, bad depth…) rejects with a `FeedClientError` `REFUSED`
   * listing each refusal with its §10 code; the other channels stay subscribed.
   *
   * @example
   * ```ts
   * client.on('ticker', (t) => render(t));
   * await client.subscribe(['ticker:BTC-USD', 'ticker:ETH-USD']);
   * ```
   */
  async subscribe(channels: string | readonly string[]): Promise<string[]> {
    if (this.connState === 'closed') throw this.closedError();
    const list = typeof channels === 'string' ? [channels] : channels;
    const refusals: Refusal[] = [];
    const wanted: Subscription[] = [];
    for (const raw of list) {
      let channel: Channel;
      try {
        channel = parseChannel(raw);
      } catch (e) {
        refusals.push(channelRefusal(raw, e));
        continue;
      }
      const sub = this.acquire(channel);
      sub.manual = true;
      wanted.push(sub);
    }
    this.sendSubscribes();
    if (wanted.length > 0) this.ensureConnected();
    const results = await Promise.allSettled(wanted.map((s) => s.ready));
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      const e: unknown = r.reason;
      if (e instanceof FeedClientError && e.code === 'REFUSED') refusals.push(...e.refusals);
      else throw e;
    }
    if (refusals.length > 0) {
      const what = refusals.map((r) => `${r.channel}: ${r.code} ${r.message}`).join('; ');
      throw new FeedClientError('REFUSED', `subscription refused: ${what}`, { refusals });
    }
    return wanted.map((s) => s.feed.name);
  }

  /**
   * Ends an explicit subscription. A channel still read by a stream stays subscribed until the stream ends.
   * Resolves when the server acked the unsubscribe (at once when nothing had to be sent).
   *
   * @example
   * ```ts
   * await client.unsubscribe('ticker:ETH-USD');
   * ```
   */
  async unsubscribe(channels: string | readonly string[]): Promise<void> {
    const list = typeof channels === 'string' ? [channels] : channels;
    const drop: Subscription[] = [];
    for (const raw of list) {
      let name: string;
      try {
        name = formatChannel(parseChannel(raw));
      } catch {
        continue; // not a channel name: it cannot be subscribed either
      }
      const sub = this.subs.get(name);
      if (sub === undefined || !sub.manual) continue;
      sub.manual = false;
      // `instruments` stays: the client needs its scales for every data channel (see `acquire`).
      if (sub.streams.size === 0 && name !== INSTRUMENTS) drop.push(sub);
    }
    await this.dropSubscriptions(drop);
  }

  /**
   * Controls a replay server's playback, for every client watching it (PROTOCOL.md §16): `play`, `pause`,
   * `speed` (0.01 to 10000 or `'max'`), `seek` to a feed time (µs), `step` through `count` inputs. Each action
   * takes exactly its own arguments (see {@link ReplayCommand}). Resolves once the server acked; a refusal
   * rejects with a `FeedClientError` `REFUSED` whose `serverCode` is the server's (a live server:
   * `NOT_REPLAY`; a bad value: `BAD_REQUEST`). Subscribe to `replay` (or use `replayStatus()`) to see where the
   * replay stands.
   *
   * @example
   * ```ts
   * await client.replay('seek', { tsUs: Date.UTC(2012, 5, 21, 14) * 1000 });
   * await client.replay('speed', { speed: 10 });
   * await client.replay('pause');
   * ```
   */
  replay(action: 'play' | 'pause'): Promise<void>;
  replay(action: 'speed', options: { readonly speed: ReplaySpeed }): Promise<void>;
  replay(action: 'seek', options: { readonly tsUs: number }): Promise<void>;
  replay(action: 'step', options?: { readonly count?: number }): Promise<void>;
  async replay(
    action: ReplayAction,
    options: { readonly speed?: ReplaySpeed; readonly tsUs?: number; readonly count?: number } = {},
  ): Promise<void> {
    const command = replayCommand(action, options);
    await this.connect();
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN) {
      throw new FeedClientError('UNANSWERED', 'not connected: the replay request was not sent');
    }
    const id = this.requestId();
    const request: ReplayRequest = { op: 'replay', id, ...command };
    await new Promise<void>((resolve, reject) => {
      this.requests.set(id, {
        op: 'replay',
        remaining: new Set(),
        resume: false,
        waiter: { resolve, reject },
      });
      socket.send(this.json ? encodeRequestJson(request) : encodeRequest(request));
    });
  }

  /**
   * A replay server's status (the `replay` channel): a snapshot, then every change and once a second while
   * playing.
   *
   * @example
   * ```ts
   * for await (const r of client.replayStatus()) showClock(r.status.clockUs, r.status.state);
   * ```
   */
  replayStatus(): FeedStream<ReplayEvent> {
    return this.stream<ReplayEvent>({ kind: 'replay' }, false);
  }

  /**
   * Trades of a symbol (`trades:SYMBOL`): first the snapshot's recent trades (`snapshot: true`, oldest first),
   * then each trade. Leaving the loop unsubscribes (unless something else still wants the channel).
   *
   * @example
   * ```ts
   * for await (const t of client.trades('BTC-USD')) console.log(t.tradeId, t.price, t.qty, t.side);
   * ```
   */
  trades(symbol: string): FeedStream<TradeEvent> {
    return this.stream<TradeEvent>({ kind: 'trades', symbol }, false);
  }

  /**
   * The ticker of a symbol (`ticker:SYMBOL`, or `ticker:SYMBOL@250ms` with `conflateMs`) after each change.
   *
   * @example
   * ```ts
   * for await (const t of client.ticker('BTC-USD', 250)) console.log(t.bid, t.ask, t.last);
   * ```
   */
  ticker(symbol: string, conflateMs: ConflateMs | null = null): FeedStream<TickerEvent> {
    return this.stream<TickerEvent>({ kind: 'ticker', symbol, conflateMs }, false);
  }

  /**
   * The local order book of `book:SYMBOL:DEPTH` after its snapshot and after each update, checksum verified.
   * The stream is conflated: a slow consumer gets the latest book, not every intermediate one. `event.book`
   * is the book as of that event, immutable: keep it across an `await` as it is.
   *
   * @example
   * ```ts
   * for await (const { book } of client.book('BTC-USD', 10)) console.log(book.bids[0], book.asks[0]);
   * ```
   */
  book(symbol: string, depth: BookDepth = 10, conflateMs: ConflateMs | null = null): FeedStream<BookEvent> {
    return this.stream<BookEvent>({ kind: 'book', symbol, depth, conflateMs }, true);
  }

  /**
   * Candles of `candles:SYMBOL:INTERVAL`: the snapshot's bars oldest first, then the forming bar on each
   * trade and every bar once more when it closes, never going back in time (see `CandleMerger`).
   *
   * @example
   * ```ts
   * for await (const { bar } of client.candles('BTC-USD', '1m')) if (bar.closed) console.log(bar.close);
   * ```
   */
  candles(symbol: string, interval: CandleInterval): FeedStream<CandleEvent> {
    return this.stream<CandleEvent>({ kind: 'candles', symbol, interval }, false);
  }

  /**
   * Every event of the client (data of all subscribed channels, status, errors) as one stream; it subscribes
   * nothing by itself. Each book event carries the book as of itself, however late it is read; each data
   * event carries its channel's `generation` (a new one starts at a server reset or a new session).
   *
   * @example
   * ```ts
   * for await (const e of client.events()) if (e.type === 'status') console.log(e.status);
   * ```
   */
  events(): FeedStream<FeedEvent> {
    const stream = new EventStream<FeedEvent>(
      { release: (s) => this.allStreams.delete(s as EventSink<FeedEvent>) },
      false,
      this.maxQueue,
    );
    if (this.connState === 'closed') stream.end();
    else this.allStreams.add(stream);
    return stream;
  }

  /**
   * Calls `listener` with every event of `type`, synchronously as it is processed (the same immutable event
   * objects the streams get). Returns the function that removes the listener. A listener's exception is
   * rethrown asynchronously; it does not stop the client.
   *
   * @example
   * ```ts
   * const off = client.on('status', (s) => {
   *   if (s.status === 'closed' && s.fatal) console.error('auth failed', s.closeCode, s.closeReason);
   * });
   * ```
   */
  on<T extends FeedEventType>(type: T, listener: (event: FeedEventOf<T>) => void): () => void {
    const list = this.listeners.get(type) ?? [];
    const l = listener as Listener;
    list.push(l);
    this.listeners.set(type, list);
    return () => {
      const at = list.indexOf(l);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /**
   * The server's instruments (subscribing to `instruments` unless a channel of a symbol did already): symbols
   * with their scales and sizes. Events need no call to it: their `…Decimal` fields are formatted already.
   *
   * @example
   * ```ts
   * const scales = new Map((await client.instruments()).map((i) => [i.symbol, i]));
   * ```
   */
  async instruments(): Promise<readonly InstrumentInfo[]> {
    if (this.instrumentList !== null) return this.instrumentList;
    await this.subscribe('instruments');
    if (this.instrumentList !== null) return this.instrumentList;
    if (this.connState === 'closed') throw this.closedError();
    return new Promise((resolve, reject) => {
      this.instrumentWaiters.push({ resolve, reject });
    });
  }

  /**
   * One instrument of the last `instruments` snapshot, or undefined (not received yet, or unknown).
   *
   * @example
   * ```ts
   * const btc = client.instrument('BTC-USD');
   * ```
   */
  instrument(symbol: string): InstrumentInfo | undefined {
    return this.instrumentsBySymbol.get(symbol);
  }

  /**
   * Closes the connection for good: streams end once their queued events are read, pending promises reject
   * with `CLOSED`, and a `closed` status is emitted. Idempotent.
   *
   * @example
   * ```ts
   * process.once('SIGINT', () => client.close());
   * ```
   */
  close(): void {
    if (this.connState === 'closed') return;
    const socket = this.socket;
    if (socket !== null) {
      this.detach(socket);
      closeQuietly(socket, CLOSE_CODES.NORMAL.code, 'client closed');
    }
    this.terminate(CLOSE_CODES.NORMAL.code, 'client closed', 'closed');
  }

  // ── subscriptions ────────────────────────────────────────────────────────────────────────────────────

  private stream<T extends ChannelEvent>(channel: Channel, conflate: boolean): FeedStream<T> {
    let canonical: Channel;
    try {
      canonical = parseChannel(formatChannel(channel));
    } catch (e) {
      const refusal = channelRefusal(formatChannel(channel), e);
      throw new FeedClientError('REFUSED', `${refusal.code}: ${refusal.message}`, { refusals: [refusal] });
    }
    if (this.connState === 'closed') {
      const closed = new EventStream<T>(undefined, conflate, this.maxQueue);
      closed.end();
      return closed;
    }
    const sub = this.acquire(canonical);
    const stream = new EventStream<T>(sub, conflate, this.maxQueue);
    sub.streams.add(stream);
    this.sendSubscribes();
    this.ensureConnected();
    return stream;
  }

  /**
   * The subscription of a channel, created (and due to be sent) when new. A channel of a symbol needs the
   * symbol's scales for its events' decimal strings, so `instruments` is subscribed first, before it: its
   * subscription is sent ahead of the others on every connection (`subs` keeps insertion order, and a request
   * is answered in order, PROTOCOL.md §2), so its snapshot is applied before any data of theirs.
   */
  private acquire(channel: Channel): Subscription {
    if (channel.kind !== 'instruments' && channel.kind !== 'replay' && !this.subs.has(INSTRUMENTS)) {
      this.acquire({ kind: 'instruments' });
    }
    const name = formatChannel(channel);
    let sub = this.subs.get(name);
    if (sub === undefined) {
      sub = new Subscription(name, channel, this.host, this.maxBars);
      this.subs.set(name, sub);
    }
    return sub;
  }

  /** Forgets subscriptions and unsubscribes those the server knows; resolves on the acks. */
  private async dropSubscriptions(drop: readonly Subscription[]): Promise<void> {
    const send: string[] = [];
    for (const sub of drop) {
      if (this.subs.get(sub.feed.name) !== sub) continue;
      this.subs.delete(sub.feed.name);
      if (sub.channelId >= 0) this.byChannelId.delete(sub.channelId);
      this.resyncPending.delete(sub);
      const onServer = sub.channelId >= 0 || sub.requestId >= 0;
      sub.finish(new FeedClientError('CLOSED', `${sub.feed.name} was unsubscribed before its ack`), false);
      if (onServer) send.push(sub.feed.name);
    }
    if (send.length === 0 || this.welcomeBody === null) return;
    const acks: Promise<void>[] = [];
    for (let i = 0; i < send.length; i += this.channelsPerRequest) {
      const channels = send.slice(i, i + this.channelsPerRequest);
      acks.push(
        new Promise<void>((resolve, reject) => {
          this.sendRequest({ op: 'unsubscribe', id: this.requestId(), channels }, { resolve, reject });
        }),
      );
    }
    await Promise.all(acks);
  }

  /**
   * Sends subscribe requests for every wanted channel not yet requested on this connection. Channels with a
   * seq resume from it (§5), grouped by the session their seq belongs to; the others get snapshots.
   */
  private sendSubscribes(): void {
    if (this.welcomeBody === null) return;
    const groups = new Map<string | null, Subscription[]>();
    for (const sub of this.subs.values()) {
      if (sub.requestId >= 0 || sub.feed.phase !== 'subscribing') continue;
      const key = sub.feed.seq === null ? null : sub.feed.session;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [sub]);
      else group.push(sub);
    }
    for (const [session, group] of groups) this.sendSubscribe(group, session);
  }

  /** Subscribes `subs`, resuming from their seqs in `session` when given, in requests of the allowed size. */
  private sendSubscribe(subs: readonly Subscription[], session: string | null): void {
    for (let i = 0; i < subs.length; i += this.channelsPerRequest) {
      const chunk = subs.slice(i, i + this.channelsPerRequest);
      const id = this.requestId();
      const request: SubscribeRequest = {
        op: 'subscribe',
        id,
        channels: chunk.map((s) => s.feed.name),
        ...(session === null
          ? {}
          : { resume: { session, seqs: new Map(chunk.map((s) => [s.feed.name, s.feed.seq ?? 0])) } }),
      };
      for (const s of chunk) s.requestId = id;
      this.sendRequest(request);
    }
  }

  private sendRequest(
    request: Exclude<Request, ReplayRequest>,
    waiter?: { resolve: () => void; reject: (e: Error) => void },
  ): void {
    const socket = this.socket;
    if (socket === null || socket.readyState !== OPEN || request.op === 'ping') {
      waiter?.resolve();
      return;
    }
    this.requests.set(request.id, {
      op: request.op,
      remaining: new Set(request.channels),
      resume: request.op === 'subscribe' && request.resume !== undefined,
      ...(waiter === undefined ? {} : { waiter }),
    });
    socket.send(this.json ? encodeRequestJson(request) : encodeRequest(request));
  }

  private requestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = id >= MAX_REQUEST_ID ? 0 : id + 1;
    return id;
  }

  /**
   * Resubscribes the channels that asked for a resync in the frame just processed, together (one unsubscribe
   * and one subscribe request). A channel that keeps failing (a server bug, a checksum that never matches)
   * waits a growing random delay instead, so that it cannot flood the server or hit its rate limit.
   */
  private flushResyncs(): void {
    if (this.resyncPending.size === 0) return;
    const due: Subscription[] = [];
    for (const sub of this.resyncPending) {
      const n = sub.feed.consecutiveResyncs;
      if (n <= 1) {
        due.push(sub);
      } else if (sub.resyncTimer === undefined) {
        const ceiling = Math.min(RESYNC_MAX_DELAY_MS, RESYNC_MIN_DELAY_MS * 2 ** Math.min(n - 2, 20));
        sub.resyncTimer = setTimeout(() => {
          sub.resyncTimer = undefined;
          this.sendResyncs([sub]);
        }, Math.random() * ceiling);
      }
    }
    this.resyncPending.clear();
    this.sendResyncs(due);
  }

  private sendResyncs(subs: readonly Subscription[]): void {
    const due = subs.filter((sub) => this.subs.get(sub.feed.name) === sub && sub.feed.phase === 'resyncing');
    if (due.length === 0 || this.welcomeBody === null) return;
    for (let i = 0; i < due.length; i += this.channelsPerRequest) {
      const channels = due.slice(i, i + this.channelsPerRequest).map((s) => s.feed.name);
      this.sendRequest({ op: 'unsubscribe', id: this.requestId(), channels });
    }
    this.sendSubscribe(due, null);
  }

  // ── connection ───────────────────────────────────────────────────────────────────────────────────────

  private ensureConnected(): void {
    if (this.connState === 'idle') this.openSocket();
  }

  private openSocket(): void {
    this.firstConnect.attempt();
    this.reconnectTimer = undefined;
    this.connectAttempts++;
    this.connState = 'connecting';
    this.lastSocketError = '';
    this.emit({ type: 'status', status: 'connecting', attempt: this.connectAttempts });
    if (this.connState !== 'connecting') return; // a listener closed the client
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(this.url, this.json ? 'tickwire.v1.json' : 'tickwire.v1');
    } catch (cause) {
      this.emitError(cause);
      this.disconnected(ABNORMAL_CLOSURE, `cannot open a WebSocket: ${(cause as Error).message}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    socket.onmessage = this.onSocketMessage;
    socket.onclose = this.onSocketClose;
    socket.onerror = this.onSocketError;
    this.socket = socket;
    this.lastFrameMs = Date.now();
    this.idleTimeoutMs = this.connectTimeoutMs;
    this.watchdogTimer ??= setInterval(this.checkIdle, 250);
  }

  private readonly onSocketMessage = (event: WebSocketMessageEventLike): void => {
    const socket = this.socket;
    if (socket === null) return;
    const nowMs = Date.now();
    this.lastFrameMs = nowMs;
    const c = this.counters;
    let messages: ServerMessage[];
    try {
      const data = event.data;
      if (typeof data === 'string') {
        if (!this.json) throw new ProtocolError('BAD_FRAME', 'a text frame on tickwire.v1', 4000);
        c.bytes += data.length;
        messages = decodeFrameJson(data);
      } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        if (this.json) throw new ProtocolError('BAD_FRAME', 'a binary frame on tickwire.v1.json', 4000);
        const bytes =
          data instanceof ArrayBuffer
            ? new Uint8Array(data)
            : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        c.bytes += bytes.byteLength;
        messages = decodeFrame(bytes);
      } else {
        throw new ProtocolError('BAD_FRAME', 'a frame that is neither text nor binary', 4000);
      }
      c.frames++;
      const live = this.welcomeBody?.mode !== 'replay';
      const nowUs = nowMs * 1000;
      for (let i = 0; i < messages.length; i++) {
        if (this.socket !== socket) return; // closed by a listener
        c.messages++;
        const m = messages[i] as ServerMessage;
        if (live && (m[0] === 4 || m[0] === 6)) {
          const latency = nowUs - (m[0] === 4 ? m[3] : m[1]);
          c.latencyLast = latency;
          c.latencySum += latency;
          c.latencyCount++;
        }
        this.handle(m);
      }
    } catch (error) {
      if (this.socket !== socket) return;
      this.emitError(error);
      this.dropSocket(CLOSE_CODES.UNDECODABLE.code, 'protocol violation');
      return;
    }
    if (this.socket === socket) this.flushResyncs();
  };

  private readonly onSocketClose = (event: WebSocketCloseEventLike): void => {
    const socket = this.socket;
    if (socket === null) return;
    this.detach(socket);
    this.disconnected(event.code, event.reason || this.lastSocketError);
  };

  private readonly onSocketError = (event: unknown): void => {
    // A close event follows; keep the error's text (ws gives one, browsers do not) for its reason.
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message === 'string') this.lastSocketError = message;
  };

  private readonly checkIdle = (): void => {
    if (this.socket === null) return;
    const waiting = this.welcomeBody === null || this.byChannelId.size > 0;
    if (waiting && Date.now() - this.lastFrameMs > this.idleTimeoutMs) {
      const what = this.welcomeBody === null ? 'no welcome' : 'no data';
      this.dropSocket(ABNORMAL_CLOSURE, `${what} for ${this.idleTimeoutMs} ms`);
    }
  };

  /**
   * Abandons the current socket without waiting for its close handshake, and handles the disconnect. A
   * protocol violation closes with its code (4000, §13); a silent connection is presumed dead, so `ws`
   * terminates it (a close frame would wait for an answer that does not come) and browsers close it.
   */
  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (socket === null) return;
    this.detach(socket);
    if (code !== ABNORMAL_CLOSURE) closeQuietly(socket, code, reason);
    else if (socket.terminate !== undefined) socket.terminate();
    else closeQuietly(socket, CLOSE_CODES.NORMAL.code, reason);
    this.disconnected(code, reason);
  }

  private detach(socket: WebSocketLike): void {
    socket.onmessage = null;
    socket.onclose = null;
    // Keep an error handler: `ws` throws an 'error' event that has no listener.
    socket.onerror = ignore;
    if (this.socket === socket) this.socket = null;
  }

  private disconnected(code: number, reason: string): void {
    this.lastCloseText = `${code}${reason === '' ? '' : ` ${reason}`}`;
    this.socket = null;
    this.welcomeBody = null;
    this.byChannelId.clear();
    this.resyncPending.clear();
    for (const sub of this.subs.values()) {
      sub.requestId = -1;
      sub.channelId = -1;
      if (sub.resyncTimer !== undefined) clearTimeout(sub.resyncTimer);
      sub.resyncTimer = undefined;
      sub.feed.disconnected();
    }
    this.settleRequests();
    if (this.connState === 'closed') return;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.terminate(code, reason, 'fatal');
      return;
    }
    const backoff = this.backoff;
    if (backoff === null) {
      this.terminate(code, reason, 'disconnected');
      return;
    }
    if (this.liveSinceMs > 0 && Date.now() - this.liveSinceMs >= backoff.maxDelayMs) backoff.reset();
    this.liveSinceMs = 0;
    const delayMs = backoff.next();
    this.counters.reconnects++;
    this.connState = 'reconnecting';
    this.reconnectTimer = setTimeout(this.reconnectNow, delayMs);
    this.emit({
      type: 'status',
      status: 'reconnecting',
      attempt: backoff.attempt,
      delayMs,
      closeCode: code,
      closeReason: reason,
    });
  }

  private readonly reconnectNow = (): void => {
    if (this.connState === 'reconnecting') this.openSocket();
  };

  /** Pending unsubscribes are done (the server forgets a closed connection's subscriptions). */
  private settleRequests(): void {
    for (const r of this.requests.values()) {
      if (r.op !== 'replay') r.waiter?.resolve();
      else {
        r.waiter?.reject(
          new FeedClientError('UNANSWERED', 'the connection closed before the replay request was answered'),
        );
      }
    }
    this.requests.clear();
  }

  /**
   * The end: status `closed`, every waiter and stream settled. `close()` ends streams cleanly; a fatal close
   * (or a lost connection with reconnecting off) fails them, so a `for await` loop does not end silently.
   */
  private terminate(
    code: number,
    reason: string,
    why: 'closed' | 'fatal' | 'disconnected' | 'timeout' | 'aborted',
  ): void {
    const wasClean = why === 'closed' || why === 'aborted';
    const fatal = why === 'fatal';
    const error =
      why === 'closed'
        ? new FeedClientError('CLOSED', 'the client was closed')
        : why === 'aborted'
          ? new FeedClientError('ABORTED', 'the client was aborted by its signal', {
              cause: this.firstConnect.abortReason,
            })
          : why === 'timeout'
            ? new FeedClientError('CONNECT_TIMEOUT', reason)
            : fatal
              ? new FeedClientError('FATAL_CLOSE', `the server closed the connection: ${code} ${reason}`, {
                  closeCode: code,
                })
              : new FeedClientError('DISCONNECTED', `the connection closed: ${code} ${reason}`, {
                  closeCode: code,
                });
    this.firstConnect.dispose();
    this.connState = 'closed';
    this.welcomeBody = null;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    if (this.watchdogTimer !== undefined) clearInterval(this.watchdogTimer);
    this.reconnectTimer = undefined;
    this.watchdogTimer = undefined;
    this.settleRequests();
    for (const w of this.welcomeWaiters.splice(0)) w.reject(error);
    for (const w of this.instrumentWaiters.splice(0)) w.reject(error);
    const subs = [...this.subs.values()];
    this.subs.clear();
    this.byChannelId.clear();
    for (const sub of subs) sub.finish(error, !wasClean);
    this.emit({ type: 'status', status: 'closed', closeCode: code, closeReason: reason, fatal });
    for (const s of this.allStreams) {
      if (wasClean) s.end();
      else s.fail(error);
    }
    this.allStreams.clear();
  }

  /** The first connection's deadline passed, or the signal aborted: stop trying and close. */
  private giveUp(why: 'timeout' | 'aborted', what: string): void {
    if (this.connState === 'closed') return;
    const socket = this.socket;
    if (socket !== null) {
      this.detach(socket);
      closeQuietly(socket, CLOSE_CODES.NORMAL.code, what);
    }
    const last = this.lastCloseText === '' ? '' : ` (last attempt: ${this.lastCloseText})`;
    this.terminate(ABNORMAL_CLOSURE, `${what}${last}`, why);
  }

  private closedError(): FeedClientError {
    return new FeedClientError('CLOSED', 'the client is closed');
  }

  // ── server messages ──────────────────────────────────────────────────────────────────────────────────

  private handle(m: ServerMessage): void {
    switch (m[0]) {
      case 0:
        this.onWelcome(m[1]);
        return;
      case 1:
        this.onAck(m[1], m[2]);
        return;
      case 2:
        this.onError(m[1], m[2], m[3], m[4]);
        return;
      case 3:
        this.byChannelId.get(m[1])?.feed.snapshot(m, this.lastSession ?? '');
        return;
      case 4:
        this.byChannelId.get(m[1])?.feed.update(m);
        return;
      case 5:
        this.byChannelId.get(m[1])?.feed.reset(m[2]);
        return;
      case 6:
        for (const [channelId, seq] of m[2]) this.byChannelId.get(channelId)?.feed.heartbeat(seq);
        return;
      case 7:
        return; // pong: the client sends no pings
    }
  }

  private onWelcome(welcome: Welcome): void {
    const previous = this.lastSession;
    const sessionChanged = previous !== null && previous !== welcome.session;
    let resumed = false;
    if (!sessionChanged) for (const sub of this.subs.values()) resumed ||= sub.feed.seq !== null;
    this.welcomeBody = welcome;
    this.lastSession = welcome.session;
    this.firstConnect.connected();
    this.connState = 'live';
    this.liveSinceMs = Date.now();
    this.channelsPerRequest = Math.max(
      1,
      Math.min(MAX_CHANNELS_PER_REQUEST, welcome.limits?.channelsPerRequest ?? MAX_CHANNELS_PER_REQUEST),
    );
    this.idleTimeoutMs = this.idleTimeoutOption ?? 3 * (welcome.heartbeatMs > 0 ? welcome.heartbeatMs : 5000);
    this.emit({
      type: 'status',
      status: 'live',
      session: welcome.session,
      mode: welcome.mode,
      resumed,
      previousSession: previous,
    });
    // A restarted server's seqs and trade ids start over: resuming would only earn a reset (§5).
    if (sessionChanged) {
      for (const sub of this.subs.values()) sub.feed.sessionChanged(previous, welcome.session);
    }
    for (const w of this.welcomeWaiters.splice(0)) w.resolve(welcome);
    this.sendSubscribes();
  }

  private onAck(id: number, channels: Readonly<Record<string, number>>): void {
    const request = this.requests.get(id);
    if (request === undefined) return;
    if (request.op === 'unsubscribe' || request.op === 'replay') {
      this.requests.delete(id);
      request.waiter?.resolve();
      return;
    }
    for (const [name, channelId] of Object.entries(channels)) {
      request.remaining.delete(name);
      const sub = this.subs.get(name);
      if (sub === undefined || sub.requestId !== id) continue;
      sub.requestId = -1;
      sub.channelId = channelId;
      this.byChannelId.set(channelId, sub);
      sub.feed.subscribed(request.resume);
      sub.acked();
    }
    if (request.remaining.size === 0) this.requests.delete(id);
  }

  private onError(id: number | null, code: RequestErrorCode, message: string, channel: string | null): void {
    const request = id === null ? undefined : this.requests.get(id);
    const refusal: Refusal = { channel: channel ?? '', code, message };
    // A request refused as a whole (a replay action, a rate limit) names no channel: its code is the error's.
    const error = new FeedClientError('REFUSED', `${code}: ${message}`, {
      refusals: channel === null ? [] : [refusal],
      serverCode: code,
    });
    if (request === undefined || id === null) {
      this.emitError(error);
      return;
    }
    if (request.op === 'unsubscribe' || request.op === 'replay') {
      this.requests.delete(id);
      if (request.waiter === undefined) this.emitError(error);
      else request.waiter.reject(error);
      return;
    }
    if (channel === null && code === 'RATE_LIMITED') {
      this.requests.delete(id);
      setTimeout(() => this.retry(id), RATE_LIMIT_RETRY_MS);
      return;
    }
    const names = channel === null ? [...request.remaining] : [channel];
    for (const name of names) {
      request.remaining.delete(name);
      const sub = this.subs.get(name);
      if (sub === undefined || sub.requestId !== id) continue;
      this.subs.delete(name);
      if (sub.channelId >= 0) this.byChannelId.delete(sub.channelId);
      const own = new FeedClientError('REFUSED', `${name}: ${code} ${message}`, {
        refusals: [{ channel: name, code, message }],
      });
      // A channel refused on resubscription was acked before: nobody awaits `ready`, so report it.
      if (sub.feed.seq !== null && sub.streams.size === 0) this.emitError(own);
      sub.finish(own, true);
    }
    if (request.remaining.size === 0) this.requests.delete(id);
  }

  /** Sends again the subscriptions of a request refused with RATE_LIMITED. */
  private retry(id: number): void {
    for (const sub of this.subs.values()) {
      if (sub.requestId === id) sub.requestId = -1;
    }
    this.sendSubscribes();
  }

  // ── events ───────────────────────────────────────────────────────────────────────────────────────────

  private dispatch(event: ChannelEvent | StatusEvent): void {
    if (event.type === 'status') {
      if (event.status === 'resyncing') {
        const c = this.counters;
        c.resyncs++;
        if (event.reason === 'gap' || event.reason === 'heartbeat') c.gaps++;
        else if (event.reason === 'checksum') c.checksumMismatches++;
      }
    } else if (event.type === 'instruments') {
      this.instrumentList = event.instruments;
      this.instrumentsBySymbol.clear();
      for (const i of event.instruments) this.instrumentsBySymbol.set(i.symbol, i);
      for (const w of this.instrumentWaiters.splice(0)) w.resolve(event.instruments);
    }
    this.emit(event);
  }

  private emit(event: FeedEvent): void {
    const list = this.listeners.get(event.type);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        try {
          (list[i] as Listener)(event);
        } catch (error) {
          this.listenerFailed(event, error);
        }
      }
    }
    for (const s of this.allStreams) s.push(event);
  }

  /**
   * A listener's exception must not break the frame being processed, nor be swallowed: it becomes an
   * `error` event, or, when nobody takes those (or an error listener threw), an uncaught exception.
   */
  private listenerFailed(event: FeedEvent, error: unknown): void {
    const takers = (this.listeners.get('error')?.length ?? 0) + this.allStreams.size;
    if (event.type === 'error' || takers === 0) rethrowLater(error);
    else this.emitError(error);
  }

  private emitError(error: unknown): void {
    this.emit({ type: 'error', error: error instanceof Error ? error : new Error(String(error)) });
  }
}

function positiveOption(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && value > 0)) {
    throw new FeedClientError('BAD_OPTION', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed, or a browser refusing the code: the socket is abandoned either way.
  }
}
