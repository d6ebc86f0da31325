import type { Candle, Instrument, Ticker } from '../../../matching/src/index.ts';
import type { CandleFields, InstrumentInfo, TickerFields, TradeRow } from '../protocol/index.ts';
import type { TradeRecord } from './market-query.ts';

/*
 * How channel data is built from market state (PROTOCOL.md §11): one place, so the live producer and a replay
 * of a recording build byte-identical snapshots.
 */

/** An instrument as the `instruments` channel lists it. */
export function instrumentInfo(i: Instrument): InstrumentInfo {
  return {
    symbol: i.symbol,
    priceScale: i.priceScale,
    qtyScale: i.qtyScale,
    tickSize: i.tickSize,
    lotSize: i.lotSize,
    minSize: i.minQty,
    maxPrice: i.maxPrice,
    maxSize: i.maxQty,
  };
}

/** 2^53 − 1: PROTOCOL.md §11 volume rule — a scaled volume saturates rather than losing exactness silently. */
function safeVolume(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** A ticker as the `ticker` channel carries it. */
export function tickerFields(t: Ticker): TickerFields {
  return [
    t.bestBid,
    t.bestBidQty,
    t.bestAsk,
    t.bestAskQty,
    t.last,
    t.lastQty,
    t.open24h,
    t.high24h,
    t.low24h,
    safeVolume(t.volume24h),
    t.tradeCount24h,
  ];
}

/** Whether two tickers' fields are equal. */
export function sameFields(a: TickerFields, b: TickerFields): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A bar as the `candles` channel carries it. */
export function candleFields(c: Candle): CandleFields {
  return [c.startUs, c.open, c.high, c.low, c.close, safeVolume(c.volume), c.tradeCount, c.vwap, c.closed];
}

/** Trades as a `trades` snapshot lists them. */
export function tradeRows(trades: readonly TradeRecord[]): TradeRow[] {
  return trades.map((t) => [t.tsUs, t.tradeId, t.price, t.qty, t.side]);
}
