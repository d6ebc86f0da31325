import { formatFixed, parseFixed } from '../decimal-text.ts';
import type { ChannelInfo, TradeData } from '../feed-message.ts';
import { type IntWriter, readInt } from '../wire-ints.ts';
import { sideCode, sideOfCode, sideOfName, type WireObject } from './wire-object.ts';

/** Fields of a trade tuple: `[tradeId, price, qty, takerSide]`. */
export const TRADE_TUPLE_LENGTH = 4;

/** Long keys, decimal strings: `{tradeId, price: "65000.01", qty: "0.01234", takerSide: "buy"}`. */
export function tradeToLong(d: TradeData, ch: ChannelInfo): WireObject {
  return {
    tradeId: d.tradeId,
    price: formatFixed(d.price, ch.priceScale),
    qty: formatFixed(d.qty, ch.qtyScale),
    takerSide: d.takerSide,
  };
}

/** Reads `tradeToLong`'s object back. */
export function tradeFromLong(o: WireObject, ch: ChannelInfo): TradeData {
  return {
    tradeId: o.tradeId as number,
    price: parseFixed(o.price as string, ch.priceScale),
    qty: parseFixed(o.qty as string, ch.qtyScale),
    takerSide: sideOfName(o.takerSide),
  };
}

/** Short keys, scaled integers: `{i, p, q, s}` with `s` = `b` | `s`. */
export function tradeToShort(d: TradeData, w: IntWriter): WireObject {
  return { i: w.int(d.tradeId), p: w.int(d.price), q: w.int(d.qty), s: sideCode(d.takerSide) };
}

/** Reads `tradeToShort`'s object back. */
export function tradeFromShort(o: WireObject): TradeData {
  return { tradeId: readInt(o.i), price: readInt(o.p), qty: readInt(o.q), takerSide: sideOfCode(o.s) };
}

/** Appends the trade's tuple fields to `out`. */
export function tradeToTuple(d: TradeData, w: IntWriter, out: unknown[]): void {
  out.push(w.int(d.tradeId), w.int(d.price), w.int(d.qty), sideCode(d.takerSide));
}

/** Reads a trade from `a` starting at index `at`. */
export function tradeFromTuple(a: readonly unknown[], at: number): TradeData {
  return {
    tradeId: readInt(a[at]),
    price: readInt(a[at + 1]),
    qty: readInt(a[at + 2]),
    takerSide: sideOfCode(a[at + 3]),
  };
}
