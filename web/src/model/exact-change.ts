import { formatBigScaled } from './big-scaled.ts';

/**
 * The 24 h change of a ticker as exact values: `change` = `last − open24h` (scaled at priceScale, as REST's
 * `change24h`) and `percent`, `change / open24h` in percent as a decimal string with 2 decimals rounded half to
 * even (as REST's `changePct24h`), computed on bigints: no floating point touches a number the page shows.
 */
export interface ExactChange {
  /** last − open24h, scaled at priceScale */
  readonly change: number;
  /** e.g. `"2.50"`, `"-0.04"`; `null` when open24h is 0 */
  readonly percent: string | null;
}

/** {@link ExactChange} of a last price against the 24 h open (both scaled integers). */
export function exactChange(last: number, open24h: number): ExactChange {
  const change = last - open24h;
  if (open24h === 0) return { change, percent: null };
  // percent × 100 = change × 10^4 / open, rounded half to even.
  const num = BigInt(change) * 10_000n;
  const den = BigInt(open24h);
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  const twiceRest = (n % d) * 2n;
  if (twiceRest > d || (twiceRest === d && q % 2n === 1n)) q += 1n;
  // Formatted from the bigint: a tiny open and a large last make a percent beyond 2^53.
  return { change, percent: formatBigScaled(negative ? -q : q, 2) };
}
