import {
  formatFixedOrNull as fmt,
  formatFixed,
  parseFixedOrNull as parse,
  parseFixedBig,
} from '../decimal-text.ts';
import type { ChannelInfo, TickerData } from '../feed-message.ts';
import { type IntWriter, intOrNull, readBig, readInt, readIntOrNull } from '../wire-ints.ts';
import type { WireObject } from './wire-object.ts';

/**
 * Fields of a ticker tuple: `[bestBid, bestBidQty, bestAsk, bestAskQty, last, lastQty, open24h, high24h,
 * low24h, volume24h, notional24h, change24h, tradeCount24h]`; unknown values are nil.
 */
export const TICKER_TUPLE_LENGTH = 13;

/** Long keys (the `Ticker` field names), prices and quantities as decimal strings, unknown as null. */
export function tickerToLong(d: TickerData, ch: ChannelInfo): WireObject {
  const p = ch.priceScale;
  const q = ch.qtyScale;
  return {
    bestBid: fmt(d.bestBid, p),
    bestBidQty: fmt(d.bestBidQty, q),
    bestAsk: fmt(d.bestAsk, p),
    bestAskQty: fmt(d.bestAskQty, q),
    last: fmt(d.last, p),
    lastQty: fmt(d.lastQty, q),
    open24h: fmt(d.open24h, p),
    high24h: fmt(d.high24h, p),
    low24h: fmt(d.low24h, p),
    volume24h: formatFixed(d.volume24h, q),
    notional24h: formatFixed(d.notional24h, p + q),
    change24h: fmt(d.change24h, p),
    tradeCount24h: d.tradeCount24h,
  };
}

/** Reads `tickerToLong`'s object back. */
export function tickerFromLong(o: WireObject, ch: ChannelInfo): TickerData {
  const p = ch.priceScale;
  const q = ch.qtyScale;
  return {
    bestBid: parse(o.bestBid, p),
    bestBidQty: parse(o.bestBidQty, q),
    bestAsk: parse(o.bestAsk, p),
    bestAskQty: parse(o.bestAskQty, q),
    last: parse(o.last, p),
    lastQty: parse(o.lastQty, q),
    open24h: parse(o.open24h, p),
    high24h: parse(o.high24h, p),
    low24h: parse(o.low24h, p),
    volume24h: parseFixedBig(o.volume24h as string, q),
    notional24h: parseFixedBig(o.notional24h as string, p + q),
    change24h: parse(o.change24h, p),
    tradeCount24h: o.tradeCount24h as number,
  };
}

/** Short keys, scaled integers: `{bp, bq, ap, aq, p, q, o, h, l, v, nv, c, n}`. */
export function tickerToShort(d: TickerData, w: IntWriter): WireObject {
  return {
    bp: intOrNull(w, d.bestBid),
    bq: intOrNull(w, d.bestBidQty),
    ap: intOrNull(w, d.bestAsk),
    aq: intOrNull(w, d.bestAskQty),
    p: intOrNull(w, d.last),
    q: intOrNull(w, d.lastQty),
    o: intOrNull(w, d.open24h),
    h: intOrNull(w, d.high24h),
    l: intOrNull(w, d.low24h),
    v: w.big(d.volume24h),
    nv: w.big(d.notional24h),
    c: intOrNull(w, d.change24h),
    n: w.int(d.tradeCount24h),
  };
}

/** Reads `tickerToShort`'s object back. */
export function tickerFromShort(o: WireObject): TickerData {
  return {
    bestBid: readIntOrNull(o.bp),
    bestBidQty: readIntOrNull(o.bq),
    bestAsk: readIntOrNull(o.ap),
    bestAskQty: readIntOrNull(o.aq),
    last: readIntOrNull(o.p),
    lastQty: readIntOrNull(o.q),
    open24h: readIntOrNull(o.o),
    high24h: readIntOrNull(o.h),
    low24h: readIntOrNull(o.l),
    volume24h: readBig(o.v),
    notional24h: readBig(o.nv),
    change24h: readIntOrNull(o.c),
    tradeCount24h: readInt(o.n),
  };
}

/** Appends the ticker's tuple fields to `out`. */
export function tickerToTuple(d: TickerData, w: IntWriter, out: unknown[]): void {
  out.push(
    intOrNull(w, d.bestBid),
    intOrNull(w, d.bestBidQty),
    intOrNull(w, d.bestAsk),
    intOrNull(w, d.bestAskQty),
    intOrNull(w, d.last),
    intOrNull(w, d.lastQty),
    intOrNull(w, d.open24h),
    intOrNull(w, d.high24h),
    intOrNull(w, d.low24h),
    w.big(d.volume24h),
    w.big(d.notional24h),
    intOrNull(w, d.change24h),
    w.int(d.tradeCount24h),
  );
}

/** Reads a ticker from `a` starting at index `at`. */
export function tickerFromTuple(a: readonly unknown[], at: number): TickerData {
  return {
    bestBid: readIntOrNull(a[at]),
    bestBidQty: readIntOrNull(a[at + 1]),
    bestAsk: readIntOrNull(a[at + 2]),
    bestAskQty: readIntOrNull(a[at + 3]),
    last: readIntOrNull(a[at + 4]),
    lastQty: readIntOrNull(a[at + 5]),
    open24h: readIntOrNull(a[at + 6]),
    high24h: readIntOrNull(a[at + 7]),
    low24h: readIntOrNull(a[at + 8]),
    volume24h: readBig(a[at + 9]),
    notional24h: readBig(a[at + 10]),
    change24h: readIntOrNull(a[at + 11]),
    tradeCount24h: readInt(a[at + 12]),
  };
}
