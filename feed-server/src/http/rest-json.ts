import { basename } from 'node:path';
import {
  type Candle,
  type CandleInterval,
  changePct24h,
  formatScaled,
  type Instrument,
  type Ticker,
} from '../../../matching/src/index.ts';
import type { BookDepth, BookLevel } from '../protocol/index.ts';
import type { BookAtDepth, TradeRecord } from '../server/market-query.ts';
import type { RecordingState, RecordingStatus } from '../server/recording-status.ts';

/**
 * The JSON bodies of the REST API (PROTOCOL.md §14). Every price and quantity appears twice: under the
 * protocol's name as the scaled integer of §3 (exact, the same number the feed sends, what the checksum is
 * computed over), and under that name + `Decimal` as the exact decimal string at the instrument's scale
 * (`"65001.25"`, what Coinbase or Kraken users read and what a script can hand to a decimal library without
 * knowing the scale). Every body carries `priceScale` and `qtyScale`.
 */

/** A bigint as JSON, exactly: a number when it is a safe integer (|v| ≤ 2^53 − 1), else its digits as a string. */
export type ExactInteger = number | string;

/** `v` as an `ExactInteger`: a number when `Number(v)` is exact, else the decimal digits (`"-123…"`). */
export function exactInteger(v: bigint): ExactInteger {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

const decimalOrNull = (v: number | null, scale: number): string | null =>
  v === null ? null : formatScaled(v, scale);

/** One instrument (`GET /api/v1/instruments`); sizes are scaled like the protocol's `instruments` snapshot. */
export interface RestInstrument {
  readonly symbol: string;
  /** decimals of a price: a price integer × 10^-priceScale is the price */
  readonly priceScale: number;
  /** decimals of a quantity */
  readonly qtyScale: number;
  /** smallest price step, scaled at priceScale */
  readonly tickSize: number;
  readonly tickSizeDecimal: string;
  /** smallest quantity step, scaled at qtyScale */
  readonly lotSize: number;
  readonly lotSizeDecimal: string;
  /** smallest order quantity, scaled at qtyScale */
  readonly minSize: number;
  readonly minSizeDecimal: string;
  /** largest accepted price, scaled at priceScale */
  readonly maxPrice: number;
  readonly maxPriceDecimal: string;
  /** largest accepted order quantity, scaled at qtyScale */
  readonly maxSize: number;
  readonly maxSizeDecimal: string;
}

/** The JSON of `instrument`. */
export function instrumentJson(i: Instrument): RestInstrument {
  return {
    symbol: i.symbol,
    priceScale: i.priceScale,
    qtyScale: i.qtyScale,
    tickSize: i.tickSize,
    tickSizeDecimal: formatScaled(i.tickSize, i.priceScale),
    lotSize: i.lotSize,
    lotSizeDecimal: formatScaled(i.lotSize, i.qtyScale),
    minSize: i.minQty,
    minSizeDecimal: formatScaled(i.minQty, i.qtyScale),
    maxPrice: i.maxPrice,
    maxPriceDecimal: formatScaled(i.maxPrice, i.priceScale),
    maxSize: i.maxQty,
    maxSizeDecimal: formatScaled(i.maxQty, i.qtyScale),
  };
}

/** `GET /api/v1/instruments`. */
export interface RestInstruments {
  /** in configuration order */
  readonly instruments: readonly RestInstrument[];
}

/** Fields every per-symbol body starts with. */
export interface RestScales {
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

const scalesOf = (i: Instrument): RestScales => ({
  symbol: i.symbol,
  priceScale: i.priceScale,
  qtyScale: i.qtyScale,
});

/** `GET /api/v1/ticker/:symbol`. Prices scaled at priceScale, quantities at qtyScale; `null` = unknown. */
export interface RestTicker extends RestScales {
  /** engine time of the latest event or tick the ticker saw, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** best bid price */
  readonly bid: number | null;
  readonly bidDecimal: string | null;
  /** quantity at the best bid */
  readonly bidQty: number | null;
  readonly bidQtyDecimal: string | null;
  /** best ask price */
  readonly ask: number | null;
  readonly askDecimal: string | null;
  /** quantity at the best ask */
  readonly askQty: number | null;
  readonly askQtyDecimal: string | null;
  /** price of the last trade ever */
  readonly last: number | null;
  readonly lastDecimal: string | null;
  /** quantity of the last trade */
  readonly lastQty: number | null;
  readonly lastQtyDecimal: string | null;
  /** first trade price of the 24 h window */
  readonly open24h: number | null;
  readonly open24hDecimal: string | null;
  /** highest trade price of the 24 h window */
  readonly high24h: number | null;
  readonly high24hDecimal: string | null;
  /** lowest trade price of the 24 h window */
  readonly low24h: number | null;
  readonly low24hDecimal: string | null;
  /** Σ qty of the 24 h window, scaled at qtyScale (an `ExactInteger`) */
  readonly volume24h: ExactInteger;
  readonly volume24hDecimal: string;
  /** Σ price × qty of the 24 h window, scaled at priceScale + qtyScale (an `ExactInteger`) */
  readonly notional24h: ExactInteger;
  readonly notional24hDecimal: string;
  /** `last − open24h`, scaled at priceScale */
  readonly change24h: number | null;
  readonly change24hDecimal: string | null;
  /** `change24h / open24h` in percent, 2 decimals, half-even (`"2.50"`) */
  readonly changePct24h: string | null;
  /** trades in the 24 h window */
  readonly trades24h: number;
}

/** The JSON of `ticker` of `instrument`. */
export function tickerJson(i: Instrument, t: Ticker): RestTicker {
  const p = i.priceScale;
  const q = i.qtyScale;
  return {
    ...scalesOf(i),
    tsUs: t.tsUs,
    bid: t.bestBid,
    bidDecimal: decimalOrNull(t.bestBid, p),
    bidQty: t.bestBidQty,
    bidQtyDecimal: decimalOrNull(t.bestBidQty, q),
    ask: t.bestAsk,
    askDecimal: decimalOrNull(t.bestAsk, p),
    askQty: t.bestAskQty,
    askQtyDecimal: decimalOrNull(t.bestAskQty, q),
    last: t.last,
    lastDecimal: decimalOrNull(t.last, p),
    lastQty: t.lastQty,
    lastQtyDecimal: decimalOrNull(t.lastQty, q),
    open24h: t.open24h,
    open24hDecimal: decimalOrNull(t.open24h, p),
    high24h: t.high24h,
    high24hDecimal: decimalOrNull(t.high24h, p),
    low24h: t.low24h,
    low24hDecimal: decimalOrNull(t.low24h, p),
    volume24h: exactInteger(t.volume24h),
    volume24hDecimal: formatScaled(t.volume24h, q),
    notional24h: exactInteger(t.notional24h),
    notional24hDecimal: formatScaled(t.notional24h, p + q),
    change24h: t.change24h,
    change24hDecimal: decimalOrNull(t.change24h, p),
    changePct24h: changePct24h(t),
    trades24h: t.tradeCount24h,
  };
}

/** One L2 level. */
export interface RestBookLevel {
  /** scaled at priceScale */
  readonly price: number;
  readonly priceDecimal: string;
  /** total quantity resting at the price, scaled at qtyScale */
  readonly qty: number;
  readonly qtyDecimal: string;
  /** number of resting orders at the price */
  readonly count: number;
}

/** `GET /api/v1/book/:symbol`: the `book:SYMBOL:DEPTH` channel's state. */
export interface RestBook extends RestScales {
  /** levels per side: 10, 50 or `"full"` */
  readonly depth: BookDepth;
  /** seq of the `book:SYMBOL:DEPTH` channel this state reflects (PROTOCOL.md §5) */
  readonly seq: number;
  /** engine time of the latest change, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** PROTOCOL.md §12 CRC-32 of the top 10 levels per side (unsigned) */
  readonly checksum: number;
  /** best (highest) first */
  readonly bids: readonly RestBookLevel[];
  /** best (lowest) first */
  readonly asks: readonly RestBookLevel[];
}

/** The JSON of `book` of `instrument` at `depth`. */
export function bookJson(i: Instrument, depth: BookDepth, book: BookAtDepth): RestBook {
  const level = ([price, qty, count]: BookLevel): RestBookLevel => ({
    price,
    priceDecimal: formatScaled(price, i.priceScale),
    qty,
    qtyDecimal: formatScaled(qty, i.qtyScale),
    count,
  });
  return {
    ...scalesOf(i),
    depth,
    seq: book.seq,
    tsUs: book.tsUs,
    checksum: book.checksum,
    bids: book.bids.map(level),
    asks: book.asks.map(level),
  };
}

/** One trade. */
export interface RestTrade {
  /** engine time, µs since the Unix epoch */
  readonly tsUs: number;
  /** the engine's per-instrument trade id, increasing */
  readonly tradeId: number;
  /** scaled at priceScale */
  readonly price: number;
  readonly priceDecimal: string;
  /** scaled at qtyScale */
  readonly qty: number;
  readonly qtyDecimal: string;
  /** the taker's side: `"b"` buy, `"s"` sell */
  readonly side: 'b' | 's';
}

/** `GET /api/v1/trades/:symbol`. */
export interface RestTrades extends RestScales {
  /** oldest first */
  readonly trades: readonly RestTrade[];
}

/** The JSON of `trades` of `instrument`. */
export function tradesJson(i: Instrument, trades: readonly TradeRecord[]): RestTrades {
  return {
    ...scalesOf(i),
    trades: trades.map((t) => ({
      tsUs: t.tsUs,
      tradeId: t.tradeId,
      price: t.price,
      priceDecimal: formatScaled(t.price, i.priceScale),
      qty: t.qty,
      qtyDecimal: formatScaled(t.qty, i.qtyScale),
      side: t.side,
    })),
  };
}

/** One OHLCV bar. Prices scaled at priceScale. */
export interface RestCandle {
  /** start of the bar, µs since the Unix epoch; the bar covers `[startUs, startUs + interval)` */
  readonly startUs: number;
  readonly open: number;
  readonly openDecimal: string;
  readonly high: number;
  readonly highDecimal: string;
  readonly low: number;
  readonly lowDecimal: string;
  readonly close: number;
  readonly closeDecimal: string;
  /** Σ qty, scaled at qtyScale (an `ExactInteger`) */
  readonly volume: ExactInteger;
  readonly volumeDecimal: string;
  /** Σ price × qty, scaled at priceScale + qtyScale (an `ExactInteger`) */
  readonly notional: ExactInteger;
  readonly notionalDecimal: string;
  /** trades in the bar */
  readonly trades: number;
  /** `notional / volume` as a decimal string at priceScale + 4 decimals, half-even; null for a bar without trades */
  readonly vwap: string | null;
  /** false while the bar is forming (the last bar), true once its time has passed */
  readonly closed: boolean;
}

/** `GET /api/v1/candles/:symbol`. */
export interface RestCandles extends RestScales {
  readonly interval: CandleInterval;
  /** oldest first */
  readonly candles: readonly RestCandle[];
}

/** The JSON of `candles` of `instrument` at `interval`. */
export function candlesJson(
  i: Instrument,
  interval: CandleInterval,
  candles: readonly Candle[],
): RestCandles {
  const p = i.priceScale;
  return {
    ...scalesOf(i),
    interval,
    candles: candles.map((c) => ({
      startUs: c.startUs,
      open: c.open,
      openDecimal: formatScaled(c.open, p),
      high: c.high,
      highDecimal: formatScaled(c.high, p),
      low: c.low,
      lowDecimal: formatScaled(c.low, p),
      close: c.close,
      closeDecimal: formatScaled(c.close, p),
      volume: exactInteger(c.volume),
      volumeDecimal: formatScaled(c.volume, i.qtyScale),
      notional: exactInteger(c.notional),
      notionalDecimal: formatScaled(c.notional, p + i.qtyScale),
      trades: c.tradeCount,
      vwap: c.vwap,
      closed: c.closed,
    })),
  };
}

/** `GET /healthz`. */
export interface RestHealth {
  readonly status: 'ok';
  /** `welcome.session`: the sequence space of this server run */
  readonly session: string;
  /** `live` engine or `replay` of a recording */
  readonly mode: 'live' | 'replay';
  /** milliseconds since the REST handler was created (monotonic clock) */
  readonly uptimeMs: number;
  /** the feed's clock: engine time of the latest event or tick, µs since the Unix epoch */
  readonly nowUs: number;
  /**
   * the session recording of a server that records (absent otherwise). The feed's health does not depend on
   * it: a degraded or failed recording still answers 200, with its state here.
   */
  readonly recording?: RestRecordingHealth;
}

/** `recording` of `GET /healthz`. */
export interface RestRecordingHealth {
  /** `recording`, `degraded` (fell behind past its bound, stopped), `failed` (a write error), `closed` */
  readonly state: RecordingState;
  /** the session directory being written; left out on a server with a token secret (`/healthz` is open) */
  readonly dir?: string;
  /**
   * the name of that directory (its UTC start, `2026-12-02T11-55-22Z`), what `tickwire replay` and retention's
   * lines name it by; changes at each roll; left out with a token secret, as `dir`
   */
  readonly dirName?: string;
  readonly appendedSeq: number;
  readonly durableSeq: number;
  /** appended seq - durable seq */
  readonly lagRecords: number;
  /** feed time between the last appended record and the last durable one, seconds */
  readonly lagSeconds: number;
  readonly droppedRecords: number;
  readonly writeErrors: number;
  /** sessions closed at the roll bound (`serve --roll`) so far, each continued in a new session directory */
  readonly rolls: number;
  /** rolls that could not create the new directory (0 or 1): rolling stopped, the recording went on in `dir` */
  readonly rollFailures: number;
  /** why it is degraded or failed (null while recording); left out with a token secret, as `dir` */
  readonly reason?: string | null;
}

/**
 * The `/healthz` view of a recording's status; `open` (no token secret) adds the directory and the reason,
 * which name paths of the server's file system.
 */
export function recordingHealthJson(s: RecordingStatus, open = true): RestRecordingHealth {
  return {
    state: s.state,
    ...(open ? { dir: s.dir, dirName: basename(s.dir) } : {}),
    appendedSeq: s.appendedSeq,
    durableSeq: s.durableSeq,
    lagRecords: s.appendedSeq - s.durableSeq,
    lagSeconds: s.lagSeconds,
    droppedRecords: s.droppedRecords,
    writeErrors: s.writeErrors,
    rolls: s.rolls,
    rollFailures: s.rollFailures,
    ...(open ? { reason: s.reason } : {}),
  };
}
