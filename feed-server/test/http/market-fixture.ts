import {
  type Command,
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type EngineEvent,
  type Instrument,
  type LevelEvent,
  MarketData,
  MatchingEngine,
  type NewOrderCommand,
} from '../../../matching/src/index.ts';
import { BOOK_DEPTHS, type BookDepth } from '../../src/protocol/index.ts';
import { DepthBook } from '../../src/server/depth-book.ts';
import type { BookAtDepth, MarketQuery, TradeRecord } from '../../src/server/market-query.ts';

/** 2026-01-01T00:00:00Z in µs since the epoch. */
export const T0_US = 1_767_225_600_000_000;
const SECOND_US = 1_000_000;

/** BTC-USD (priceScale 2, qtyScale 5), ETH-USD and AMZN, as Tickwire runs by default. */
export const INSTRUMENTS: readonly Instrument[] = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);

/** A market fed by a real engine, kept the way the feed's producer keeps it, and the `MarketQuery` over it. */
export interface FixtureMarket {
  readonly query: MarketQuery;
  /** Submits a command and folds its events into the books, trades and market data. */
  submit(cmd: Command): void;
  /** A clock tick: closes bars. */
  advanceTo(tsUs: number): void;
}

/** An empty market over `INSTRUMENTS`. */
export function emptyMarket(): FixtureMarket {
  const views = new Map(INSTRUMENTS.map((i) => [i.symbol, new DepthBook(i.symbol)]));
  const seqs = new Map<string, number>();
  const bookTsUs = new Map<string, number>();
  const trades = new Map<string, TradeRecord[]>(INSTRUMENTS.map((i) => [i.symbol, []]));
  const data = new MarketData(INSTRUMENTS, () => {});
  let nowUs = 0;
  let events: EngineEvent[] = [];
  const engine = new MatchingEngine(INSTRUMENTS, (e) => events.push(e));

  const submit = (cmd: Command): void => {
    events = [];
    engine.submit(cmd);
    const levels = new Map<string, LevelEvent[]>();
    for (const e of events) {
      nowUs = Math.max(nowUs, e.tsUs);
      data.onEvent(e);
      if (e.type === 'trade') {
        const side = e.takerSide === 'buy' ? 'b' : 's';
        trades.get(e.symbol)?.push({ tsUs: e.tsUs, tradeId: e.tradeId, price: e.price, qty: e.qty, side });
      }
      if (e.type === 'level') levels.set(e.symbol, [...(levels.get(e.symbol) ?? []), e]);
    }
    for (const [symbol, list] of levels) {
      const view = views.get(symbol) as DepthBook;
      view.apply(list);
      for (const depth of BOOK_DEPTHS) {
        if (view.diff(depth) !== null) {
          const key = `${symbol}:${depth}`;
          seqs.set(key, (seqs.get(key) ?? 0) + 1);
          bookTsUs.set(key, cmd.tsUs);
        }
      }
    }
  };

  const known = (symbol: string): boolean => views.has(symbol);
  const query: MarketQuery = {
    session: 'fixture-session',
    mode: 'live',
    instruments: () => INSTRUMENTS,
    ticker: (symbol) => data.ticker(symbol),
    book: (symbol: string, depth: BookDepth): BookAtDepth | undefined => {
      const view = views.get(symbol);
      if (view === undefined) return undefined;
      const key = `${symbol}:${depth}`;
      return { seq: seqs.get(key) ?? 0, tsUs: bookTsUs.get(key) ?? 0, ...view.snapshot(depth) };
    },
    trades: (symbol, limit) => (known(symbol) ? (trades.get(symbol) ?? []).slice(-limit) : undefined),
    candles: (symbol, interval, limit) => data.candles(symbol, interval, limit),
    nowUs: () => nowUs,
  };
  return {
    query,
    submit,
    advanceTo: (tsUs) => {
      nowUs = Math.max(nowUs, tsUs);
      data.advanceTo(tsUs);
    },
  };
}

let nextOrderId = 1;
/** A limit order on BTC-USD. */
export function limit(
  tsUs: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  ownerId = 1,
): NewOrderCommand {
  return {
    type: 'new',
    tsUs,
    symbol: 'BTC-USD',
    orderId: nextOrderId++,
    ownerId,
    side,
    orderType: 'limit',
    price,
    qty,
  };
}

/**
 * BTC-USD with a book and three trades in three different minutes:
 * - asks 65001.25 × 0.01500, 65002.00 × 0.00300; bids 65001.00 × 0.00250 (t0)
 * - t0 + 1 s: buy 0.00500 @ 65001.25 (taker buy) → asks 65001.25 × 0.01000
 * - t0 + 61 s: sell 0.00100 @ 65001.00 (taker sell) → bids 65001.00 × 0.00150
 * - t0 + 125 s: buy 0.01000 @ 65001.25 (taker buy) → the 65001.25 ask is gone
 * - clock at t0 + 180 s, so the 1m bars of minutes 0, 1 and 2 are closed and no bar is forming.
 */
export function sampleMarket(): FixtureMarket {
  const m = emptyMarket();
  m.submit(limit(T0_US, 'sell', 6500125, 1500));
  m.submit(limit(T0_US, 'sell', 6500200, 300));
  m.submit(limit(T0_US, 'buy', 6500100, 250));
  m.submit(limit(T0_US + SECOND_US, 'buy', 6500125, 500, 2));
  m.submit(limit(T0_US + 61 * SECOND_US, 'sell', 6500100, 100, 3));
  m.submit(limit(T0_US + 125 * SECOND_US, 'buy', 6500125, 1000, 2));
  m.advanceTo(T0_US + 180 * SECOND_US);
  return m;
}
