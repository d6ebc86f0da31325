import { basename } from 'node:path';
import {
  type Candle,
  changePct24h,
  formatScaled,
  type Instrument,
  type Ticker,
} from '../../../matching/src/index.ts';
import type {
  BookDepth,
  BookLevel,
  CandleInterval,
  ExactInteger,
  RestBook,
  RestBookLevel,
  RestCandles,
  RestInstrument,
  RestScales,
  RestTicker,
  RestTrades,
} from '../protocol/index.ts';
import type { BookAtDepth, TradeRecord } from '../server/market-query.ts';
import type { RecordingState, RecordingStatus } from '../server/recording-status.ts';

/**
 * The JSON bodies of the REST API (PROTOCOL.md §14), built from market state; their shapes are the protocol's
 * (`protocol/rest-bodies.ts`), which the SDK reads too. Decimal strings are what Coinbase or Kraken users read and
 * what a script can hand to a decimal library without knowing the scale.
 */

/** `v` as an `ExactInteger`: a number when `Number(v)` is exact, else the decimal digits (`"-123…"`). */
export function exactInteger(v: bigint): ExactInteger {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

const decimalOrNull = (v: number | null, scale: number): string | null =>
  v === null ? null : formatScaled(v, scale);

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

const scalesOf = (i: Instrument): RestScales => ({
  symbol: i.symbol,
  priceScale: i.priceScale,
  qtyScale: i.qtyScale,
});

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
