import { Decimal } from 'decimal.js';
import { MatchingError } from './matching-error.ts';

/**
 * Exact conversion between decimal strings (the edges: config, CLI, JSON) and scaled integers (the engine).
 * No binary floating point is involved in either direction.
 */

/** Formats a scaled integer as a canonical decimal string with exactly `scale` decimals: (10125, 2) → "101.25". */
export function formatScaled(value: number | bigint, scale: number): string {
  const neg = value < 0;
  let digits = (neg ? -BigInt(value) : BigInt(value)).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Parses a decimal string into a scaled integer: ("101.25", 2) → 10125. Throws `BAD_DECIMAL` when the value
 * has more decimals than the scale (it is never rounded) or does not fit a safe integer.
 */
export function parseScaled(text: string, scale: number): number {
  let d: Decimal;
  try {
    d = new Decimal(text.trim());
  } catch (cause) {
    throw new MatchingError('BAD_DECIMAL', `"${text}" is not a decimal number`, { cause });
  }
  const scaled = d.times(Decimal.pow(10, scale));
  if (!scaled.isFinite() || !scaled.isInteger()) {
    throw new MatchingError('BAD_DECIMAL', `"${text}" has more than ${scale} decimals`);
  }
  if (scaled.abs().gt(Number.MAX_SAFE_INTEGER)) {
    throw new MatchingError('BAD_DECIMAL', `"${text}" is too large`);
  }
  return scaled.toNumber();
}

/** Divides two scaled quantities exactly into a decimal string (VWAP and the like): `num / den` at `scale` decimals, half-even. */
export function divideToDecimal(num: bigint, den: bigint, scale: number): string {
  if (den === 0n) throw new RangeError('division by zero');
  return new Decimal(num.toString()).div(new Decimal(den.toString())).toFixed(scale, Decimal.ROUND_HALF_EVEN);
}
