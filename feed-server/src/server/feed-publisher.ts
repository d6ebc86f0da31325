import { randomUUID } from 'node:crypto';
import {
  CANDLE_INTERVALS,
  type Candle,
  type CandleInterval,
  type EngineEvent,
  type Instrument,
  type LevelEvent,
  MarketData,
  type MarketDataState,
  type MarketDataUpdate,
  type Ticker,
} from '../../../matching/src/index.ts';
import {
  BOOK_DEPTHS,
  type BookDepth,
  type BookLevel,
  type Channel,
  formatChannel,
  requestError,
  type TickerFields,
  type TradeRow,
} from '../protocol/index.ts';
import type { Bus } from './bus.ts';
import { candleFields, instrumentInfo, sameFields, tickerFields, tradeRows } from './channel-data.ts';
import type { ChannelLogLimits } from './channel-log.ts';
import { type ConflationInput, Conflator } from './conflator.ts';
import type { DepthBookFrame } from './depth-book.ts';
import { DepthBook } from './depth-book.ts';
import type { ChannelHandle, EncodedSnapshot, FeedSource } from './feed-source.ts';
import type { BookAtDepth, MarketQuery, TradeRecord } from './market-query.ts';
import { PublishedChannel, type SnapshotState } from './published-channel.ts';

/** Trades kept per symbol for snapshots and REST. */
export const TRADE_HISTORY = 1000;
/** Trades in a `trades` snapshot (PROTOCOL.md §4). */
export const TRADE_SNAPSHOT = 100;
/** Bars in a `candles` snapshot (PROTOCOL.md §4). */
export const CANDLE_SNAPSHOT = 500;

/** Options of {@link FeedPublisher}. */
export interface FeedPublisherOptions {
  readonly instruments: readonly Instrument[];
  readonly bus: Bus;
  /** wall clock in ms, for the resume buffers' age bound and conflation timing (default `Date.now`) */
  readonly clockMs?: () => number;
  /** `welcome.session` (default a random UUID: a restarted server is a new sequence space) */
  readonly session?: string;
  readonly mode?: 'live' | 'replay';
  /** resume buffer bounds per channel */
  readonly logLimits?: Partial<ChannelLogLimits>;
}

/**
 * Everything the producer holds that a snapshot or a REST answer can show, as plain data (MessagePack-safe), for
 * the session recorder's keyframes: a replay restores it and then applies the recorded messages that follow.
 */
export interface FeedState {
  /** the feed's clock: engine time of the latest event or tick, µs */
  readonly nowUs: number;
  readonly marketData: MarketDataState;
  /** per instrument, in configuration order */
  readonly symbols: readonly SymbolFeedState[];
  /**
   * `[channel name, seq, tsUs of its last update]` of every channel produced from the start (not the conflated
   * ones), in id order
   */
  readonly seqs: readonly (readonly [string, number, number])[];
}

/** One instrument's part of a {@link FeedState}. */
export interface SymbolFeedState {
  readonly symbol: string;
  /** the whole L2 book, best first */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** engine time of the book's latest change */
  readonly bookTsUs: number;
  /** the last trades kept for snapshots and REST (up to `TRADE_HISTORY`), oldest first */
  readonly trades: readonly TradeRow[];
  /** the ticker subscribers hold, and its time */
  readonly ticker: TickerFields;
  readonly tickerTsUs: number;
}

/** Everything the producer keeps per symbol. */
class SymbolFeed implements ConflationInput {
  readonly view: DepthBook;
  readonly levels: LevelEvent[] = [];
  readonly trades: TradeRecord[] = [];
  pendingTicker: Ticker | null = null;
  tickerVersion = 0;
  lastTicker: TickerFields;
  lastTickerTsUs = 0;
  bookTsUs = 0;
  bookVersion = 0;
  readonly pendingCandles = new Map<CandleInterval, Candle>();
  /** on the publisher's list of symbols with level events or pending candles or ticker to publish */
  dirty = false;
  readonly book = new Map<BookDepth, PublishedChannel>();
  readonly candles = new Map<CandleInterval, PublishedChannel>();

  constructor(
    readonly instrument: Instrument,
    /** position in the configuration: what a command's or a tick's symbols are published in */
    readonly index: number,
    readonly tradesChannel: PublishedChannel,
    readonly tickerChannel: PublishedChannel,
    initialTicker: TickerFields,
  ) {
    this.view = new DepthBook(instrument.symbol);
    this.lastTicker = initialTicker;
  }

  get tickerTsUs(): number {
    return this.lastTickerTsUs;
  }

  bookAt(depth: BookDepth): DepthBookFrame {
    return this.view.snapshot(depth);
  }
}

/**
 * The producer side of the feed: turns one engine's events into channel messages, each encoded once, buffered for
 * resume and published on the {@link Bus}; answers snapshots ({@link FeedSource}) and REST ({@link MarketQuery}).
 *
 * Per engine command, feed the events to {@link FeedPublisher.onEvent} and then call
 * {@link FeedPublisher.endCommand}: trades go out as they happen; the book diffs, the ticker and forming candles
 * once per command (net of the command's fills). {@link FeedPublisher.tick} advances time with no command: bars
 * close, the 24 h window rolls, conflated channels publish. Every channel of every symbol is produced from the
 * start (a resuming client needs the updates published while nobody was subscribed); a conflated channel from the
 * first time it is opened.
 */
export class FeedPublisher implements FeedSource, MarketQuery {
  readonly session: string;
  readonly mode: 'live' | 'replay';
  readonly symbols: ReadonlySet<string>;
  readonly #instruments: readonly Instrument[];
  readonly #bus: Bus;
  readonly #clockMs: () => number;
  readonly #logLimits: Partial<ChannelLogLimits> | undefined;
  readonly #marketData: MarketData;
  readonly #bySymbol = new Map<string, SymbolFeed>();
  readonly #byName = new Map<string, PublishedChannel>();
  /** the channels produced from the start, in id order (conflated ones are added on demand, not here) */
  readonly #produced: PublishedChannel[] = [];
  readonly #conflator: Conflator;
  /**
   * The symbols with something to publish at the end of the command or tick: only they are visited, so the cost
   * of a command does not grow with the number of instruments.
   */
  #dirty: SymbolFeed[] = [];
  #nextId = 1;
  #nowUs = 0;
  #events = 0;

  constructor(options: FeedPublisherOptions) {
    this.session = options.session ?? randomUUID();
    this.mode = options.mode ?? 'live';
    this.#instruments = options.instruments;
    this.symbols = new Set(options.instruments.map((i) => i.symbol));
    this.#bus = options.bus;
    this.#clockMs = options.clockMs ?? Date.now;
    this.#logLimits = options.logLimits;
    this.#marketData = new MarketData(options.instruments, (u) => this.#onMarketData(u));
    this.#conflator = new Conflator(this.#clockMs, (channel, tsUs, fields) =>
      this.#send(channel, tsUs, fields),
    );
    const info = options.instruments.map(instrumentInfo);
    // The instruments channel: a snapshot, no updates in v1.
    this.#channel('instruments', false, () => ({ data: info }));
    for (const inst of options.instruments) this.#addSymbol(inst);
    this.#produced.push(...this.#byName.values());
  }

  /** The channels produced from the start (every channel but the conflated ones), in id order. */
  channels(): readonly ChannelHandle[] {
    return this.#produced;
  }

  /** The producer's state for a keyframe (see {@link FeedState}). Call it between commands. */
  exportState(): FeedState {
    return {
      nowUs: this.#nowUs,
      marketData: this.#marketData.exportState(),
      symbols: [...this.#bySymbol.values()].map((feed) => {
        const book = feed.view.snapshot('full');
        return {
          symbol: feed.instrument.symbol,
          bids: book.bids,
          asks: book.asks,
          bookTsUs: feed.bookTsUs,
          trades: tradeRows(feed.trades.slice(-TRADE_HISTORY)),
          ticker: feed.lastTicker,
          tickerTsUs: feed.lastTickerTsUs,
        };
      }),
      seqs: this.#produced.map((c) => [c.name, c.log.lastSeq, c.lastTsUs] as const),
    };
  }

  /**
   * Starts from market data carried over from an earlier session (`carryOverMarketData`): its candle history and
   * ticker windows answer snapshots and REST, and go on with this session's events. Publishes nothing; call it
   * before the first event. Throws `MatchingError` when the state is of other instruments.
   */
  restoreHistory(state: MarketDataState): void {
    if (this.#events > 0) throw new Error('assertion failed: restoreHistory after the first event');
    this.#marketData.restoreState(state);
    if (state.nowUs > this.#nowUs) this.#nowUs = state.nowUs;
    for (const feed of this.#bySymbol.values()) {
      feed.lastTicker = tickerFields(this.#marketData.ticker(feed.instrument.symbol) as Ticker);
    }
  }

  /** Engine events seen. */
  get events(): number {
    return this.#events;
  }

  /** Takes one engine event (in engine order). */
  onEvent(e: EngineEvent): void {
    this.#events++;
    if (e.tsUs > this.#nowUs) this.#nowUs = e.tsUs;
    const feed = this.#bySymbol.get(e.symbol);
    if (e.type === 'level') {
      if (feed !== undefined) {
        feed.levels.push(e);
        this.#markDirty(feed);
      }
      this.#marketData.onEvent(e);
      return;
    }
    this.#marketData.onEvent(e);
    if (e.type !== 'trade' || feed === undefined) return;
    const side = e.takerSide === 'buy' ? 'b' : 's';
    feed.trades.push({ tsUs: e.tsUs, tradeId: e.tradeId, price: e.price, qty: e.qty, side });
    if (feed.trades.length >= 2 * TRADE_HISTORY) feed.trades.splice(0, feed.trades.length - TRADE_HISTORY);
    this.#send(feed.tradesChannel, e.tsUs, [e.tradeId, e.price, e.qty, side]);
  }

  /**
   * Publishes one command given as its events (an importer's engine-like events): each to
   * {@link FeedPublisher.onEvent}, then {@link FeedPublisher.endCommand}. An engine's commands go through
   * `EngineFeed.submit` instead, its events arriving by the engine's listener.
   */
  publishCommand(events: Iterable<EngineEvent>): void {
    for (const e of events) this.onEvent(e);
    this.endCommand();
  }

  /** Publishes what one command changed: book diffs per depth, forming candles, the ticker. */
  endCommand(): void {
    for (const feed of this.#takeDirty()) {
      if (feed.levels.length > 0) {
        feed.view.apply(feed.levels);
        const tsUs = (feed.levels.at(-1) as LevelEvent).tsUs;
        feed.levels.length = 0;
        // Every depth's diff first: the book's time and version move only when the book changed (level events
        // can net to nothing), so that they are a function of the published messages, as a replay sees them.
        const diffs = [...feed.book].map(([depth, channel]) => [channel, feed.view.diff(depth)] as const);
        if (diffs.some(([, diff]) => diff !== null)) {
          feed.bookTsUs = tsUs;
          feed.bookVersion++;
        }
        for (const [channel, diff] of diffs) {
          if (diff !== null) this.#send(channel, tsUs, [diff.checksum, diff.bids, diff.asks]);
        }
      }
      this.#flushPending(feed);
    }
  }

  /**
   * Moves the feed's time to `nowUs` (µs since the epoch, the engine's clock) with no command: closes bars,
   * rolls the 24 h windows, and publishes the conflated channels that are due.
   */
  tick(nowUs: number): void {
    if (nowUs > this.#nowUs) {
      this.#nowUs = nowUs;
      this.#marketData.advanceTo(nowUs);
      for (const feed of this.#takeDirty()) this.#flushPending(feed);
    }
    this.#conflator.tick(this.#clockMs());
  }

  // ---- FeedSource ----

  /** {@inheritDoc FeedSource.open} */
  open(channel: Channel): ChannelHandle {
    const name = formatChannel(channel);
    const existing = this.#byName.get(name);
    if (existing !== undefined) return existing;
    if (channel.kind === 'replay') {
      throw requestError('NOT_REPLAY', 'channel "replay": this server is live, not a replay', {
        channel: name,
      });
    }
    if (channel.kind !== 'ticker' && channel.kind !== 'book') {
      throw new Error(`assertion failed: channel ${name} should exist`);
    }
    const feed = this.#bySymbol.get(channel.symbol);
    if (feed === undefined || channel.conflateMs === null)
      throw new Error(`assertion failed: no feed for ${name}`);
    return this.#conflator.open(channel, feed, (state) => this.#channel(name, true, state));
  }

  /** {@inheritDoc FeedSource.snapshot} */
  snapshot(handle: ChannelHandle): EncodedSnapshot {
    return this.#published(handle).snapshot();
  }

  /** {@inheritDoc FeedSource.since} */
  since(handle: ChannelHandle, afterSeq: number): readonly Uint8Array[] | 'reset' {
    const channel = this.#published(handle);
    channel.log.expire(this.#clockMs());
    return channel.log.since(afterSeq);
  }

  /** {@inheritDoc FeedSource.lastSeq} */
  lastSeq(handle: ChannelHandle): number {
    return this.#published(handle).log.lastSeq;
  }

  // ---- MarketQuery ----

  instruments(): readonly Instrument[] {
    return this.#instruments;
  }

  ticker(symbol: string): Ticker | undefined {
    return this.#marketData.ticker(symbol);
  }

  book(symbol: string, depth: BookDepth): BookAtDepth | undefined {
    const feed = this.#bySymbol.get(symbol);
    if (feed === undefined) return undefined;
    const seq = feed.book.get(depth)?.log.lastSeq ?? 0;
    return { seq, tsUs: feed.bookTsUs, ...feed.view.snapshot(depth) };
  }

  trades(symbol: string, limit: number): readonly TradeRecord[] | undefined {
    const trades = this.#bySymbol.get(symbol)?.trades;
    return trades?.slice(Math.max(0, trades.length - Math.min(limit, TRADE_HISTORY)));
  }

  candles(symbol: string, interval: CandleInterval, limit: number): readonly Candle[] | undefined {
    return this.#marketData.candles(symbol, interval, limit);
  }

  nowUs(): number {
    return this.#nowUs;
  }

  // ---- internals ----

  #addSymbol(inst: Instrument): void {
    const s = inst.symbol;
    const initialTicker = tickerFields(this.#marketData.ticker(s) as Ticker);
    const trades = this.#channel(`trades:${s}`, false, () => ({
      data: tradeRows(feed.trades.slice(-TRADE_SNAPSHOT)),
    }));
    const ticker = this.#channel(`ticker:${s}`, true, () => ({
      tsUs: feed.lastTickerTsUs,
      data: feed.lastTicker,
    }));
    const feed = new SymbolFeed(inst, this.#bySymbol.size, trades, ticker, initialTicker);
    for (const depth of BOOK_DEPTHS) {
      const channel = this.#channel(`book:${s}:${depth}`, true, () => {
        const { checksum, bids, asks } = feed.view.snapshot(depth);
        return { tsUs: feed.bookTsUs, data: [checksum, bids, asks] };
      });
      feed.book.set(depth, channel);
    }
    for (const interval of CANDLE_INTERVALS) {
      const channel = this.#channel(`candles:${s}:${interval}`, false, () => ({
        data: (this.#marketData.candles(s, interval, CANDLE_SNAPSHOT) ?? []).map(candleFields),
      }));
      feed.candles.set(interval, channel);
    }
    this.#bySymbol.set(s, feed);
  }

  #channel(name: string, conflatable: boolean, state: () => SnapshotState): PublishedChannel {
    const channel = new PublishedChannel(name, this.#nextId++, conflatable, state, this.#logLimits);
    this.#byName.set(name, channel);
    return channel;
  }

  #published(handle: ChannelHandle): PublishedChannel {
    const channel = this.#byName.get(handle.name);
    if (channel === undefined) throw new Error(`assertion failed: unknown channel ${handle.name}`);
    return channel;
  }

  #send(channel: PublishedChannel, tsUs: number, fields: readonly unknown[]): void {
    const { seq, encoded } = channel.update(tsUs, fields, this.#clockMs());
    this.#bus.publish(channel.name, seq, encoded);
  }

  #onMarketData(u: MarketDataUpdate): void {
    if (u.type === 'ticker') {
      const feed = this.#bySymbol.get(u.ticker.symbol);
      if (feed !== undefined) {
        feed.pendingTicker = u.ticker;
        this.#markDirty(feed);
      }
      return;
    }
    const c = u.candle;
    const feed = this.#bySymbol.get(c.symbol);
    if (feed === undefined) return;
    const pending = feed.pendingCandles.get(c.interval);
    if (!c.closed) {
      feed.pendingCandles.set(c.interval, c);
      this.#markDirty(feed);
      return;
    }
    // A closed bar supersedes its own forming state; an older forming bar cannot be pending (bars close in order).
    if (pending !== undefined && pending.startUs === c.startUs) feed.pendingCandles.delete(c.interval);
    const channel = feed.candles.get(c.interval);
    if (channel !== undefined) this.#send(channel, Math.max(c.startUs, this.#nowUs), candleFields(c));
  }

  #markDirty(feed: SymbolFeed): void {
    if (feed.dirty) return;
    feed.dirty = true;
    this.#dirty.push(feed);
  }

  /** The symbols marked dirty, in configuration order (as every symbol was once visited), unmarked. */
  #takeDirty(): readonly SymbolFeed[] {
    const dirty = this.#dirty;
    if (dirty.length === 0) return dirty;
    this.#dirty = [];
    if (dirty.length > 1) dirty.sort((a, b) => a.index - b.index);
    for (const feed of dirty) feed.dirty = false;
    return dirty;
  }

  #flushPending(feed: SymbolFeed): void {
    for (const [interval, candle] of feed.pendingCandles) {
      const channel = feed.candles.get(interval);
      if (channel !== undefined) this.#send(channel, this.#nowUs, candleFields(candle));
    }
    feed.pendingCandles.clear();
    const t = feed.pendingTicker;
    if (t === null) return;
    feed.pendingTicker = null;
    const fields = tickerFields(t);
    if (sameFields(fields, feed.lastTicker)) return;
    feed.lastTicker = fields;
    feed.lastTickerTsUs = t.tsUs;
    feed.tickerVersion++;
    this.#send(feed.tickerChannel, t.tsUs, fields);
  }
}
