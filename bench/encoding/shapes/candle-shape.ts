import { formatFixed, parseFixed, parseFixedBig } from '../decimal-text.ts';
import type { CandleData, ChannelInfo } from '../feed-message.ts';
import { type IntWriter, readBig, readInt } from '../wire-ints.ts';
import type { WireObject } from './wire-object.ts';

/** Fields of a candle tuple: `[startUs, open, high, low, close, volume, notional, tradeCount, closed]`. */
export const CANDLE_TUPLE_LENGTH = 9;

/** Long keys (the `Candle` field names), prices and quantities as decimal strings. */
export function candleToLong(d: CandleData, ch: ChannelInfo): WireObject {
  const p = ch.priceScale;
  return {
    startUs: d.startUs,
    open: formatFixed(d.open, p),
    high: formatFixed(d.high, p),
    low: formatFixed(d.low, p),
    close: formatFixed(d.close, p),
    volume: formatFixed(d.volume, ch.qtyScale),
    notional: formatFixed(d.notional, p + ch.qtyScale),
    tradeCount: d.tradeCount,
    closed: d.closed,
  };
}

/** Reads `candleToLong`'s object back. */
export function candleFromLong(o: WireObject, ch: ChannelInfo): CandleData {
  const p = ch.priceScale;
  return {
    startUs: o.startUs as number,
    open: parseFixed(o.open as string, p),
    high: parseFixed(o.high as string, p),
    low: parseFixed(o.low as string, p),
    close: parseFixed(o.close as string, p),
    volume: parseFixedBig(o.volume as string, ch.qtyScale),
    notional: parseFixedBig(o.notional as string, p + ch.qtyScale),
    tradeCount: o.tradeCount as number,
    closed: o.closed as boolean,
  };
}

/** Short keys, scaled integers: `{t, o, h, l, c, v, nv, n, x}` (`x`: closed). */
export function candleToShort(d: CandleData, w: IntWriter): WireObject {
  return {
    t: w.int(d.startUs),
    o: w.int(d.open),
    h: w.int(d.high),
    l: w.int(d.low),
    c: w.int(d.close),
    v: w.big(d.volume),
    nv: w.big(d.notional),
    n: w.int(d.tradeCount),
    x: d.closed,
  };
}

/** Reads `candleToShort`'s object back. */
export function candleFromShort(o: WireObject): CandleData {
  return {
    startUs: readInt(o.t),
    open: readInt(o.o),
    high: readInt(o.h),
    low: readInt(o.l),
    close: readInt(o.c),
    volume: readBig(o.v),
    notional: readBig(o.nv),
    tradeCount: readInt(o.n),
    closed: o.x as boolean,
  };
}

/** Appends the candle's tuple fields to `out`. */
export function candleToTuple(d: CandleData, w: IntWriter, out: unknown[]): void {
  out.push(
    w.int(d.startUs),
    w.int(d.open),
    w.int(d.high),
    w.int(d.low),
    w.int(d.close),
    w.big(d.volume),
    w.big(d.notional),
    w.int(d.tradeCount),
    d.closed,
  );
}

/** Reads a candle from `a` starting at index `at`. */
export function candleFromTuple(a: readonly unknown[], at: number): CandleData {
  return {
    startUs: readInt(a[at]),
    open: readInt(a[at + 1]),
    high: readInt(a[at + 2]),
    low: readInt(a[at + 3]),
    close: readInt(a[at + 4]),
    volume: readBig(a[at + 5]),
    notional: readBig(a[at + 6]),
    tradeCount: readInt(a[at + 7]),
    closed: a[at + 8] as boolean,
  };
}
