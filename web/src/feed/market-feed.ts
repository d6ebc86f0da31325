import { Backoff, type FeedClient, FeedClientError, type FeedEvent } from 'tickwire/client';
import { formatChannel } from 'tickwire/protocol';
import type { Hole, MarketState, Selection } from '../model/index.ts';

/** Options of {@link MarketFeed}. */
export interface MarketFeedOptions {
  /**
   * the SDK client (browser: `globalThis.WebSocket`; Node tests: `tickwire/client/node`); the chart's history
   * comes from its REST API, `client.rest`
   */
  readonly client: FeedClient;
  readonly state: MarketState;
  /** bars of history to load, 1–1000 (default 1000, the most the server keeps and serves) */
  readonly historyBars?: number;
  /** book levels per side (default 10) */
  readonly bookDepth?: 10 | 50;
  /** where to report problems that are not a bug: refused channels, failed history requests */
  readonly warn?: (message: string, cause: unknown) => void;
  /** where to report bugs: an exception in this page's own code (default: rethrown asynchronously) */
  readonly fail?: (error: unknown) => void;
}

/** The channels one selection needs. */
function channelsOf(sel: Selection, depth: 10 | 50): string[] {
  return [
    formatChannel({ kind: 'candles', symbol: sel.symbol, interval: sel.interval }),
    formatChannel({ kind: 'ticker', symbol: sel.symbol, conflateMs: null }),
    formatChannel({ kind: 'book', symbol: sel.symbol, depth, conflateMs: null }),
    formatChannel({ kind: 'trades', symbol: sel.symbol }),
  ];
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * The page's one connection to the feed, through the SDK (never a protocol of its own): it subscribes the
 * channels of the selected symbol and interval, loads the chart's history from the REST API, and writes what
 * arrives into the `MarketState`.
 *
 * Bars reach the chart from three sources — the REST history, the candles channel (its snapshots after every
 * (re)subscription and its updates), and REST requests that fill holes — in whatever order they arrive;
 * `ChartBars` merges them. Each is tagged with the epoch of the server session it came from (a counter of the
 * `welcome.session`s seen): REST answers are requested once a session is known and thrown away (and asked
 * again) when the session changed meanwhile, so that no bar of a stopped server is taken for one of its
 * successor's.
 *
 * @example
 * ```ts
 * const feed = new MarketFeed({ client, state });
 * await feed.start();
 * feed.select({ symbol: 'BTC-USD', interval: '1m' });
 * ```
 */
export class MarketFeed {
  private readonly client: FeedClient;
  private readonly state: MarketState;
  private readonly historyBars: number;
  private readonly bookDepth: 10 | 50;
  private readonly warn: (message: string, cause: unknown) => void;
  private readonly fail: (error: unknown) => void;
  private readonly offs: (() => void)[] = [];
  private selection: Selection | null = null;
  private channels: string[] = [];
  private candlesChannel = '';
  private tickerChannel = '';
  private bookChannel = '';
  private tradesChannel = '';
  private session: string | null = null;
  /** the current session's epoch: 0 before the first `welcome` */
  private epochNo = 0;
  /** the selection's REST requests: aborted when the selection changes */
  private requests = new AbortController();
  /** holes already asked for, by `fromUs:toUs:epoch`: each is asked once */
  private readonly holesAsked = new Set<string>();
  private holeCheckQueued = false;
  private welcomeWaiters: (() => void)[] = [];

  constructor(options: MarketFeedOptions) {
    this.client = options.client;
    this.state = options.state;
    this.historyBars = options.historyBars ?? 1000;
    this.bookDepth = options.bookDepth ?? 10;
    this.warn = options.warn ?? (() => {});
    this.fail = options.fail ?? rethrowLater;
  }

  /** The epoch of the current session (0 before the first `welcome`). */
  get epoch(): number {
    return this.epochNo;
  }

  /** Listens to the client and loads the instruments; resolves with them. */
  async start(): Promise<void> {
    const c = this.client;
    this.offs.push(
      c.on('status', (e) => this.guard(e, () => this.onStatus(e))),
      c.on('instruments', (e) => this.guard(e, () => this.state.setInstruments(e.instruments))),
      c.on('candle', (e) =>
        this.guard(e, () => {
          if (e.channel !== this.candlesChannel) return;
          this.state.putBar(e.bar, this.epochNo);
          // A snapshot after a reconnect may not reach back to the bars before the outage.
          if (e.snapshot) this.queueHoleCheck();
        }),
      ),
      c.on('ticker', (e) =>
        this.guard(e, () => {
          if (e.channel === this.tickerChannel) this.state.setTicker(e);
        }),
      ),
      c.on('book', (e) =>
        this.guard(e, () => {
          if (e.channel === this.bookChannel) this.state.setBook(e.book);
        }),
      ),
      c.on('trade', (e) =>
        this.guard(e, () => {
          if (e.channel === this.tradesChannel) this.state.pushTrade(e);
        }),
      ),
      c.on('error', (e) => {
        const error = e.error;
        if (error instanceof FeedClientError) {
          this.warn(`feed: ${error.message}`, error);
          this.state.setNotice(error.message);
        } else {
          this.fail(error);
        }
      }),
    );
    await c.instruments();
  }

  /**
   * Shows `selection`: unsubscribes the channels no longer needed, subscribes the new ones, and loads the
   * history of the new chart. Refusals (an unknown symbol) become the state's notice.
   */
  select(selection: Selection): void {
    this.selection = selection;
    this.state.select(selection);
    this.state.setNotice(null);
    const next = channelsOf(selection, this.bookDepth);
    const dropped = this.channels.filter((ch) => !next.includes(ch));
    const added = next.filter((ch) => !this.channels.includes(ch));
    this.channels = next;
    [this.candlesChannel, this.tickerChannel, this.bookChannel, this.tradesChannel] = next as [
      string,
      string,
      string,
      string,
    ];
    for (const ch of dropped) this.state.connection.forget(ch);
    if (dropped.length > 0) this.client.unsubscribe(dropped).catch((e: unknown) => this.report(e));
    if (added.length > 0) this.client.subscribe(added).catch((e: unknown) => this.report(e));
    // The SDK replays the channels it still holds (the same symbol's book, ticker and trades) only on
    // resubscription; the state was just reset for a new symbol, and kept otherwise.
    this.requests.abort();
    this.requests = new AbortController();
    this.holesAsked.clear();
    void this.loadHistory(selection, this.requests.signal);
  }

  /** Stops listening (the client stays open: its owner closes it). */
  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.requests.abort();
  }

  private guard(e: FeedEvent, apply: () => void): void {
    try {
      if (e.type !== 'status' && e.type !== 'error') {
        this.state.connection.onData(e.channel);
        if (e.type !== 'instruments' && !e.snapshot) this.state.eventTime(e.tsUs);
      }
      apply();
    } catch (error) {
      this.fail(error);
    }
  }

  private onStatus(e: FeedEvent & { type: 'status' }): void {
    const now = Date.now();
    this.state.connection.onStatus(e, now);
    // A server reset (a replay seek or loop) starts a channel over: what the page holds of it is of another
    // point in time. The snapshot that follows, and for the chart its REST history, rebuild it. So does a new
    // session of a replay server after a reconnect (it may stand anywhere in the recording); a live server's
    // new session (a restart) keeps the old bars, and the new session's follow them.
    const startsOver =
      e.status === 'resyncing' &&
      (e.reason === 'reset' || (e.reason === 'session' && this.state.mode === 'replay'));
    if (startsOver) {
      if (e.channel === this.candlesChannel) this.restartChart();
      else if (e.channel === this.tradesChannel) this.state.restartTape();
    }
    if (e.status === 'live') {
      if (e.session !== this.session) {
        this.session = e.session;
        this.epochNo++;
      }
      this.state.setMode(e.mode);
      for (const w of this.welcomeWaiters.splice(0)) w();
    }
    this.state.touch('status');
  }

  /** A new, empty chart for the same selection, in a new epoch (answers still on the way are stale). */
  private restartChart(): void {
    const selection = this.selection;
    if (selection === null) return;
    this.epochNo++;
    this.state.restartChart();
    this.requests.abort();
    this.requests = new AbortController();
    this.holesAsked.clear();
    void this.loadHistory(selection, this.requests.signal);
  }

  private report(e: unknown): void {
    if (e instanceof FeedClientError) {
      if (e.code === 'CLOSED') return;
      this.warn(`feed: ${e.message}`, e);
      this.state.setNotice(e.message);
    } else {
      this.fail(e);
    }
  }

  /** Resolves once a session is known (at once when connected). */
  private sessionKnown(): Promise<void> {
    if (this.epochNo > 0 && this.client.state === 'live') return Promise.resolve();
    return new Promise((resolve) => this.welcomeWaiters.push(resolve));
  }

  /**
   * Fetches bars over REST until an answer arrives within one session, retrying failures with backoff, and
   * puts them with that session's epoch. Returns false when the selection changed meanwhile.
   */
  private async fetchBars(
    selection: Selection,
    range: { readonly fromUs: number; readonly toUs: number } | null,
    signal: AbortSignal,
  ): Promise<boolean> {
    const backoff = new Backoff({ minDelayMs: 500, maxDelayMs: 10_000 });
    const { symbol, interval } = selection;
    const query = { ...(range === null ? {} : range), limit: this.historyBars, signal };
    const what = `${symbol} ${interval}${range === null ? '' : ` [${range.fromUs}, ${range.toUs}) µs`}`;
    for (;;) {
      await this.sessionKnown();
      if (signal.aborted) return false;
      const epoch = this.epochNo;
      try {
        const bars = await this.client.rest.candles(symbol, interval, query);
        if (signal.aborted) return false;
        if (epoch !== this.epochNo || this.client.state !== 'live') continue;
        this.state.putBars(bars, epoch);
        return true;
      } catch (e) {
        if (signal.aborted) return false;
        const delay = backoff.next();
        this.warn(`history ${what}: ${(e as Error).message}; retrying in ${Math.round(delay)} ms`, e);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async loadHistory(selection: Selection, signal: AbortSignal): Promise<void> {
    if (await this.fetchBars(selection, null, signal)) this.queueHoleCheck();
  }

  private queueHoleCheck(): void {
    if (this.holeCheckQueued) return;
    this.holeCheckQueued = true;
    setTimeout(() => {
      this.holeCheckQueued = false;
      this.fillHoles();
    }, 0);
  }

  /** Asks REST once for each hole of the current session (a reconnect's snapshot that did not reach back). */
  private fillHoles(): void {
    const selection = this.selection;
    const chart = this.state.chart;
    if (selection === null || chart === null) return;
    const signal = this.requests.signal;
    for (const hole of chart.holes()) {
      if (hole.epoch !== this.epochNo) continue;
      const key = holeKey(hole);
      if (this.holesAsked.has(key)) continue;
      this.holesAsked.add(key);
      this.fetchBars(selection, { fromUs: hole.fromUs, toUs: hole.toUs }, signal).catch((e: unknown) =>
        this.fail(e),
      );
    }
  }
}

function holeKey(h: Hole): string {
  return `${h.fromUs}:${h.toUs}:${h.epoch}`;
}
