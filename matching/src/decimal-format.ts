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

/**
 * Divides two scaled quantities exactly into a decimal string (VWAP and the like): `num / den` at `scale`
 * decimals, rounded once, half-even. Zero is never signed ("0.00", not "-0.00").
 */
export function divideToDecimal(num: bigint, den: bigint, scale: number): string {
  if (den === 0n) throw new RangeError('division by zero');
  if (!Number.isInteger(scale) || scale < 0)
    throw new RangeError(`scale ${scale} is not a non-negative integer`);
  // Integer arithmetic throughout: decimal.js divides at its configured precision (20 significant digits)
  // and toFixed would then round a second time, which can turn ...49999|9 into a false tie and round wrong.
  const negative = num < 0n !== den < 0n;
  const n = (num < 0n ? -num : num) * 10n ** BigInt(scale);
  const d = den < 0n ? -den : den;
  let q = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && q % 2n === 1n)) q += 1n;
  return formatScaled(negative ? -q : q, scale);
}
