import type {
  BookDepth,
  CandleInterval,
  Channel,
  ConflateMs,
  InstrumentInfo,
  ReplayAction,
  ReplaySpeed,
  Welcome,
} from '../protocol/index.ts';
import { formatChannel, parseChannel } from '../protocol/index.ts';
import { type FeedClientOptions, resolveOptions } from './client-options.ts';
import { Connection } from './connection.ts';
import { type ConnectionEnd, closedError } from './connection-end.ts';
import { EventHub } from './event-hub.ts';
import { EventStream, type FeedStream } from './event-stream.ts';
import { FeedClientError } from './feed-client-error.ts';
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
import { FeedRest } from './feed-rest.ts';
import { type FeedStats, StatsCounters } from './feed-stats.ts';
import { InstrumentDirectory } from './instrument-directory.ts';
import { replayCommand } from './replay-command.ts';
import { channelRefusal, Subscriptions } from './subscriptions.ts';

/*
 * FeedClient only wires the parts that do each job (issue 13): `Connection` (socket, frames, reconnect,
 * first-connect deadline), `Subscriptions` (requests, resume, resync; with `RequestTracker` and
 * `ResyncScheduler`), `ChannelFeed` and `channel-decoders.ts` (sequence, events, local book, candles),
 * `EventHub` and `EventStream` (listeners, async iterators), `InstrumentDirectory` (scales), `StatsCounters`.
 */

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
  private readonly maxQueue: number;
  private readonly counters = new StatsCounters();
  private readonly hub: EventHub;
  private readonly instrumentDirectory = new InstrumentDirectory();
  private readonly conn: Connection;
  private readonly subs: Subscriptions;

  constructor(options: FeedClientOptions) {
    const resolved = resolveOptions(options);
    this.rest = new FeedRest({
      url: options.restUrl ?? options.url,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    this.maxQueue = resolved.maxQueue;
    this.hub = new EventHub(resolved.maxQueue);
    this.conn = new Connection(
      resolved.connection,
      {
        status: (event) => this.hub.emit(event),
        error: (error) => this.hub.emitError(error),
        welcomed: (welcome) => this.welcomed(welcome),
        message: (m) => this.subs.handle(m),
        frameDone: () => this.subs.frameDone(),
        lost: () => this.subs.lost(),
        subscribed: () => this.subs.active,
        ended: (end) => this.ended(end),
      },
      this.counters,
    );
    this.subs = new Subscriptions(
      this.conn,
      {
        dispatch: (event) => this.dispatch(event),
        error: (error) => this.hub.emitError(error),
        scales: (symbol) => this.instrumentDirectory.get(symbol),
      },
      resolved.maxBars,
    );
    this.conn.start();
  }

  /** The connection's state: `idle` until first used, `closed` for good after `close()` or a fatal close. */
  get state(): ConnectionState {
    return this.conn.state;
  }

  /** The current connection's `welcome`, or null while not connected. */
  get welcome(): Welcome | null {
    return this.conn.welcome;
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
    return this.counters.snapshot();
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
    return this.conn.connect();
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
  subscribe(channels: string | readonly string[]): Promise<string[]> {
    return this.subs.subscribe(channels);
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
  unsubscribe(channels: string | readonly string[]): Promise<void> {
    return this.subs.unsubscribe(channels);
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
    await this.subs.replay(command);
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
    return this.hub.stream(this.conn.state === 'closed');
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
    return this.hub.on(type, listener);
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
    const directory = this.instrumentDirectory;
    if (directory.all !== null) return directory.all;
    await this.subscribe('instruments');
    if (directory.all !== null) return directory.all;
    if (this.conn.state === 'closed') throw closedError();
    return directory.next();
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
    return this.instrumentDirectory.get(symbol);
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
    this.conn.close();
  }

  /** A stream of one channel, subscribing it (and `instruments` before it) if it is not yet. */
  private stream<T extends ChannelEvent>(channel: Channel, conflate: boolean): FeedStream<T> {
    let canonical: Channel;
    try {
      canonical = parseChannel(formatChannel(channel));
    } catch (e) {
      const refusal = channelRefusal(formatChannel(channel), e);
      throw new FeedClientError('REFUSED', `${refusal.code}: ${refusal.message}`, { refusals: [refusal] });
    }
    if (this.conn.state === 'closed') {
      const closed = new EventStream<T>(undefined, conflate, this.maxQueue);
      closed.end();
      return closed;
    }
    const sub = this.subs.acquire(canonical);
    const stream = new EventStream<T>(sub, conflate, this.maxQueue);
    sub.streams.add(stream);
    this.subs.sendSubscribes();
    this.conn.ensureConnected();
    return stream;
  }

  /** A connection went live: the `live` status, then its subscriptions. */
  private welcomed(welcome: Welcome): void {
    const { previous, resumed } = this.subs.welcomed(welcome);
    this.hub.emit({
      type: 'status',
      status: 'live',
      session: welcome.session,
      mode: welcome.mode,
      resumed,
      previousSession: previous,
    });
    this.subs.live(welcome, previous);
  }

  /** A channel's event: counted, the instruments' scales kept, then out to listeners and `events()`. */
  private dispatch(event: ChannelEvent | StatusEvent): void {
    if (event.type === 'status') this.counters.count(event);
    else if (event.type === 'instruments') this.instrumentDirectory.update(event.instruments);
    this.hub.emit(event);
  }

  /** The client is closed for good: everything that waits is settled, then the `closed` status. */
  private ended({ error, clean, fatal, closeCode, closeReason }: ConnectionEnd): void {
    this.subs.settleRequests();
    this.conn.failWaiters(error);
    this.instrumentDirectory.fail(error);
    this.subs.end(error, clean);
    this.hub.emit({ type: 'status', status: 'closed', closeCode, closeReason, fatal });
    this.hub.close(clean ? null : error);
  }
}
