import type { BookDepth, BookLevel } from '../protocol/index.ts';
import type { Candle } from './candle-merger.ts';
import type { TradeSide } from './trade-side.ts';

/*
 * The market data the SDK hands out, the same whether it came from the stream (the events of `FeedClient`) or
 * from the REST API (`FeedRest`). Every price and quantity is there twice: under the protocol's name, the
 * scaled integer of PROTOCOL.md §3 (exact; what the book checksum covers; `price × 10^-priceScale` is the
 * price), and under that name + `Decimal`, the same value as an exact decimal string at the instrument's scale
 * (`"65001.25"`, `"0.01500"`) — the names of the REST API's twins (§14). The strings are made from the integers
 * by `formatScaled`: no floating point anywhere. On stream events they are getters, formatted when read, so a
 * consumer that never reads them pays nothing for them; they are left out by an object spread (`{ ...event }`)
 * but not by `JSON.stringify`.
 */

/** The decimals of an instrument's prices and quantities: a scaled integer × 10^-scale is the value. */
export interface Scales {
  /** decimal digits of prices */
  readonly priceScale: number;
  /** decimal digits of quantities */
  readonly qtyScale: number;
}

/** One trade: a `trades:SYMBOL` event, or an element of `FeedRest.trades()`. */
export interface Trade {
  readonly symbol: string;
  /** engine time of the trade, µs since the Unix epoch */
  readonly tsUs: number;
  /** per-symbol trade id, increasing */
  readonly tradeId: number;
  /** price, scaled at the instrument's priceScale */
  readonly price: number;
  /** price as an exact decimal string, e.g. `"65001.25"` */
  readonly priceDecimal: string;
  /** quantity, scaled at the instrument's qtyScale */
  readonly qty: number;
  /** quantity as an exact decimal string, e.g. `"0.01500"` */
  readonly qtyDecimal: string;
  /** taker side, not resting side: `'buy'` a buyer lifted the ask, `'sell'` a seller hit the bid */
  readonly side: TradeSide;
}

/**
 * A symbol's ticker: a `ticker:SYMBOL` event, or `FeedRest.ticker()`. Prices scaled at priceScale, quantities at
 * qtyScale, each with its `…Decimal` string; `null` = unknown (no bid, no trade yet…).
 */
export interface Ticker {
  readonly symbol: string;
  /** engine time of the latest change, µs since the Unix epoch */
  readonly tsUs: number;
  /** best bid price */
  readonly bid: number | null;
  readonly bidDecimal: string | null;
  /** total quantity at the best bid */
  readonly bidQty: number | null;
  readonly bidQtyDecimal: string | null;
  /** best ask price */
  readonly ask: number | null;
  readonly askDecimal: string | null;
  /** total quantity at the best ask */
  readonly askQty: number | null;
  readonly askQtyDecimal: string | null;
  /** price of the last trade */
  readonly last: number | null;
  readonly lastDecimal: string | null;
  /** quantity of the last trade */
  readonly lastQty: number | null;
  readonly lastQtyDecimal: string | null;
  /** price 24 h ago (first trade of the rolling window); the 24 h change is `last − open24h` */
  readonly open24h: number | null;
  readonly open24hDecimal: string | null;
  /** highest trade price of the rolling 24 h */
  readonly high24h: number | null;
  readonly high24hDecimal: string | null;
  /** lowest trade price of the rolling 24 h */
  readonly low24h: number | null;
  readonly low24hDecimal: string | null;
  /** Σ qty over 24 h, scaled at qtyScale (saturated at 2^53 − 1, PROTOCOL.md §13) */
  readonly volume24h: number;
  readonly volume24hDecimal: string;
  /** trades over 24 h */
  readonly trades24h: number;
}

/**
 * An OHLCV bar with decimal strings: `CandleEvent.bar`, an element of `CandleEvent.bars` and of
 * `FeedRest.candles()`. `vwap` is already the protocol's exact decimal string (at priceScale + 4 decimals).
 */
export interface DecimalCandle extends Candle {
  readonly openDecimal: string;
  readonly highDecimal: string;
  readonly lowDecimal: string;
  readonly closeDecimal: string;
  /** Σ qty traded in the bar as an exact decimal string */
  readonly volumeDecimal: string;
}

/**
 * A book level as exact decimal strings, in the shape of `BookLevel` (`[price, qty, count]`), as CCXT users
 * know `[price, amount]`: `["65001.00", "0.00150", 1]`.
 */
export type DecimalBookLevel = readonly [price: string, qty: string, count: number];

/**
 * The read side of a book, as book events and `FeedRest.book()` hand it out (a `LocalBook`, or a view of one
 * as of an event).
 */
export interface BookState {
  /** the channel's depth: levels per side kept, or `'full'` */
  readonly depth: BookDepth;
  /** bid levels `[price, qty, count]` (scaled integers), best (highest) first */
  readonly bids: readonly BookLevel[];
  /** ask levels `[price, qty, count]` (scaled integers), best (lowest) first */
  readonly asks: readonly BookLevel[];
  /**
   * `bids` as exact decimal strings, `[price, qty, count]` (e.g. `["65001.00", "0.00150", 1]`), formatted on
   * first read; throws a `RangeError` for a `LocalBook` made without scales
   */
  readonly bidsDecimal: readonly DecimalBookLevel[];
  /** `asks` as exact decimal strings, as `bidsDecimal` */
  readonly asksDecimal: readonly DecimalBookLevel[];
  /** the §12 checksum of the current levels */
  checksum(): number;
  /** a copy of the levels that later updates do not change */
  toSnapshot(): { bids: BookLevel[]; asks: BookLevel[] };
}

/**
 * A symbol's order book as `FeedRest.book()` answers it: the same `BookState` a `book` event carries (levels
 * best first, scaled and as decimal strings), with the `book:SYMBOL:DEPTH` channel's seq it reflects and the
 * PROTOCOL.md §12 checksum, which the SDK has verified.
 */
export interface BookSnapshot {
  readonly symbol: string;
  /** levels per side: 10, 50 or `'full'` */
  readonly depth: BookDepth;
  /** the `book:SYMBOL:DEPTH` channel's seq this state reflects: feed updates from `seq + 1` apply to it */
  readonly seq: number;
  /** engine time of the latest change, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** the §12 CRC-32 of the top 10 levels per side, checked against `book` */
  readonly checksum: number;
  readonly book: BookState;
}
