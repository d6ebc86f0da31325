import type { Side } from '../../../matching/src/index.ts';

/** A decoded map (JSON object or msgpack map) before it is read back into a model object. */
export type WireObject = Readonly<Record<string, unknown>>;

/** Side as the short encodings write it: one letter. */
export type SideCode = 'b' | 's';

/** `buy` → `b`, `sell` → `s`. */
export function sideCode(side: Side): SideCode {
  return side === 'buy' ? 'b' : 's';
}

/** `b` → `buy`, `s` → `sell`; throws `RangeError` on anything else. */
export function sideOfCode(code: unknown): Side {
  if (code === 'b') return 'buy';
  if (code === 's') return 'sell';
  throw new RangeError(`bad side code ${String(code)}`);
}

/** Reads a long-form side (`buy` / `sell`); throws `RangeError` on anything else. */
export function sideOfName(name: unknown): Side {
  if (name === 'buy' || name === 'sell') return name;
  throw new RangeError(`bad side ${String(name)}`);
}
