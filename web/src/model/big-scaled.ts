/**
 * A scaled integer held as a bigint, as an exact decimal string with `scale` decimals — the SDK's
 * `formatScaled` for values that may pass 2^53 (a sum of book levels, a percent of a tiny open price).
 *
 * @example
 * ```ts
 * formatBigScaled(-250n, 3); // "-0.250"
 * ```
 */
export function formatBigScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (scale === 0) return `${negative ? '-' : ''}${digits}`;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}
