import type { InstrumentInfo } from '../protocol/index.ts';

/**
 * Formats a scaled integer as an exact decimal string: `formatScaled(6500125, 2)` is `"65001.25"`,
 * `formatScaled(1500, 5)` is `"0.01500"`. No floating point: the digits of the integer are placed around
 * the decimal point. `value` must be a safe integer (§3 keeps every wire integer below 2^50) and `scale`
 * an integer from 0 to 20.
 *
 * @example
 * ```ts
 * formatScaled(-250, 3); // "-0.250"
 * ```
 */
export function formatScaled(value: number, scale: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  if (!(Number.isInteger(scale) && scale >= 0 && scale <= 20)) {
    throw new RangeError(`scale must be an integer from 0 to 20, got ${scale}`);
  }
  const negative = value < 0;
  // Integers below 2^53 print as plain digits (no exponent below 1e21).
  let digits = String(negative ? -value : value);
  if (scale === 0) return negative ? `-${digits}` : digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * A scaled price of `instrument` as an exact decimal string (its `priceScale`).
 *
 * @example
 * ```ts
 * const btc = (await client.instruments()).find((i) => i.symbol === 'BTC-USD');
 * formatPrice(6500125, btc); // "65001.25"
 * ```
 */
export function formatPrice(price: number, instrument: Pick<InstrumentInfo, 'priceScale'>): string {
  return formatScaled(price, instrument.priceScale);
}

/**
 * A scaled quantity of `instrument` as an exact decimal string (its `qtyScale`).
 *
 * @example
 * ```ts
 * formatQty(1500, { qtyScale: 5 }); // "0.01500"
 * ```
 */
export function formatQty(qty: number, instrument: Pick<InstrumentInfo, 'qtyScale'>): string {
  return formatScaled(qty, instrument.qtyScale);
}
