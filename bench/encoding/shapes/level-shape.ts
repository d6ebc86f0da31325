import { formatFixed, parseFixed } from '../decimal-text.ts';
import type { ChannelInfo, LevelData } from '../feed-message.ts';
import { type IntWriter, readInt } from '../wire-ints.ts';
import { sideCode, sideOfCode, sideOfName, type WireObject } from './wire-object.ts';

/** Fields of an L2 delta tuple: `[side, price, qty, count]`. */
export const LEVEL_TUPLE_LENGTH = 4;

/** Long keys, decimal strings: `{side: "buy", price: "65000.01", qty: "1.5", count: 3}`. */
export function levelToLong(d: LevelData, ch: ChannelInfo): WireObject {
  return {
    side: d.side,
    price: formatFixed(d.price, ch.priceScale),
    qty: formatFixed(d.qty, ch.qtyScale),
    count: d.count,
  };
}

/** Reads `levelToLong`'s object back. */
export function levelFromLong(o: WireObject, ch: ChannelInfo): LevelData {
  return {
    side: sideOfName(o.side),
    price: parseFixed(o.price as string, ch.priceScale),
    qty: parseFixed(o.qty as string, ch.qtyScale),
    count: o.count as number,
  };
}

/** Short keys, scaled integers: `{s, p, q, n}`. */
export function levelToShort(d: LevelData, w: IntWriter): WireObject {
  return { s: sideCode(d.side), p: w.int(d.price), q: w.int(d.qty), n: w.int(d.count) };
}

/** Reads `levelToShort`'s object back. */
export function levelFromShort(o: WireObject): LevelData {
  return { side: sideOfCode(o.s), price: readInt(o.p), qty: readInt(o.q), count: readInt(o.n) };
}

/** Appends the level's tuple fields to `out`. */
export function levelToTuple(d: LevelData, w: IntWriter, out: unknown[]): void {
  out.push(sideCode(d.side), w.int(d.price), w.int(d.qty), w.int(d.count));
}

/** Reads a level from `a` starting at index `at`. */
export function levelFromTuple(a: readonly unknown[], at: number): LevelData {
  return {
    side: sideOfCode(a[at]),
    price: readInt(a[at + 1]),
    qty: readInt(a[at + 2]),
    count: readInt(a[at + 3]),
  };
}
