/**
 * Integers on the wire. JSON writes any safe integer as digits, but bigints (volumes, notionals, which can
 * pass 2^53) as decimal strings, since `JSON.parse` would round them. MessagePack must see a msgpack *int*
 * for every integer so that decoders in other languages get an integer type: msgpackr writes a JS number
 * beyond 32 bits as float64 (0xcb), so those go out as bigint, which it writes as int64 (0xd3) — the same
 * 9 bytes. Smaller values stay numbers and get msgpack's compact forms (fixint, uint8/16/32, int8/16/32).
 */

/** An integer as one encoding writes it. */
export type WireInt = number | bigint | string;

/** How one encoding writes integers. */
export interface IntWriter {
  /** a safe-integer number field */
  int(n: number): WireInt;
  /** a bigint field (volume, notional) */
  big(b: bigint): WireInt;
}

const INT32_MIN = -0x80000000;
const UINT32_MAX = 0xffffffff;

/** msgpack: compact forms up to 32 bits, int64 beyond (see the module comment). */
export const MSGPACK_INTS: IntWriter = {
  int: (n) => (n <= UINT32_MAX && n >= INT32_MIN ? n : BigInt(n)),
  big: (b) => (b <= UINT32_MAX && b >= INT32_MIN ? Number(b) : b),
};

/** JSON: numbers as digits, bigints as decimal strings. */
export const JSON_INTS: IntWriter = {
  int: (n) => n,
  big: (b) => b.toString(),
};

/** `IntWriter.int` with null passed through. */
export function intOrNull(w: IntWriter, n: number | null): WireInt | null {
  return n === null ? null : w.int(n);
}

/** Reads back what `IntWriter.int` wrote (either encoding). */
export function readInt(v: unknown): number {
  return typeof v === 'number' ? v : Number(v as bigint);
}

/** `readInt` with null passed through. */
export function readIntOrNull(v: unknown): number | null {
  return v === null ? null : readInt(v);
}

/** Reads back what `IntWriter.big` wrote (either encoding). */
export function readBig(v: unknown): bigint {
  return BigInt(v as number | bigint | string);
}
