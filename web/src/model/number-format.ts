import { formatScaled, type InstrumentInfo } from 'tickwire/client';
import { formatBigScaled } from './big-scaled.ts';
import { plotToScaled } from './plot-number.ts';

/**
 * How the page writes numbers, as traders read them: thousands grouped (`64,985.70`), prices with the decimals
 * of the instrument's tick, quantities with those of its lot, volume-axis labels without padding zeros. Every
 * text starts from the exact decimal string of a scaled integer (`formatScaled`): digits are only regrouped or
 * dropped when they are trailing zeros, never rounded — a price off the tick keeps its extra digits.
 */

/** Between groups of three integer digits. A fixed character: the page's decimal point is always `.`. */
export const THOUSANDS_SEPARATOR = ',';

/** What the price texts need of an instrument. */
export type PriceUnits = Pick<InstrumentInfo, 'priceScale' | 'tickSize'>;
/** What the quantity texts need of an instrument. */
export type QtyUnits = Pick<InstrumentInfo, 'qtyScale' | 'lotSize'>;

/**
 * The decimals a step needs: a step of `stepScaled` at `scale` (a tick of 100 at price scale 4 is 0.0100) is
 * written with `scale` minus its trailing zeros (2). A step that is not a positive safe integer keeps `scale`.
 */
export function stepDecimals(stepScaled: number, scale: number): number {
  if (!Number.isSafeInteger(stepScaled) || stepScaled <= 0) return scale;
  let decimals = scale;
  let step = stepScaled;
  while (decimals > 0 && step % 10 === 0) {
    step /= 10;
    decimals--;
  }
  return decimals;
}

/** The decimals of an instrument's prices: those of its tick (AMZN, tick 0.01 → 2, whatever its price scale). */
export function priceDecimals(instrument: PriceUnits): number {
  return stepDecimals(instrument.tickSize, instrument.priceScale);
}

/** The decimals of an instrument's quantities: those of its lot (shares, lot 1 → 0). */
export function qtyDecimals(instrument: QtyUnits): number {
  return stepDecimals(instrument.lotSize, instrument.qtyScale);
}

/**
 * `decimal` (an exact decimal string) with fraction zeros beyond `keep` decimals dropped: `trimZeros("224.0800",
 * 2)` is `"224.08"`, `trimZeros("224.0050", 2)` is `"224.005"` (a non-zero digit always stays).
 */
export function trimZeros(decimal: string, keep: number): string {
  const dot = decimal.indexOf('.');
  if (dot < 0) return decimal;
  let end = decimal.length;
  const min = dot + 1 + Math.max(0, keep);
  while (end > min && decimal[end - 1] === '0') end--;
  // No fraction left: drop the point too.
  return end === dot + 1 ? decimal.slice(0, dot) : decimal.slice(0, end);
}

/** `decimal` with its integer digits grouped by three: `"-1234567.50"` → `"-1,234,567.50"`. */
export function groupThousands(decimal: string): string {
  const sign = decimal.startsWith('-') ? '-' : '';
  const body = sign === '' ? decimal : decimal.slice(1);
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const fraction = dot < 0 ? '' : body.slice(dot);
  if (int.length <= 3) return decimal;
  const groups: string[] = [];
  for (let end = int.length; end > 0; end -= 3) groups.unshift(int.slice(Math.max(0, end - 3), end));
  return `${sign}${groups.join(THOUSANDS_SEPARATOR)}${fraction}`;
}

/** A scaled price as the page shows it: grouped, with the tick's decimals (`6498570` at scale 2 → `"64,985.70"`). */
export function priceText(price: number, instrument: PriceUnits): string {
  return groupThousands(trimZeros(formatScaled(price, instrument.priceScale), priceDecimals(instrument)));
}

/** A scaled quantity as the page shows it: grouped, with the lot's decimals. */
export function qtyText(qty: number, instrument: QtyUnits): string {
  return groupThousands(trimZeros(formatScaled(qty, instrument.qtyScale), qtyDecimals(instrument)));
}

/** A scaled quantity held as a bigint (a sum that may pass 2^53), as {@link qtyText} writes it. */
export function bigQtyText(qty: bigint, instrument: QtyUnits): string {
  return groupThousands(trimZeros(formatBigScaled(qty, instrument.qtyScale), qtyDecimals(instrument)));
}

/**
 * A price-axis or crosshair label for a plotted height: the scaled integer it stands for (`plotToScaled`),
 * rounded to the nearest tick — a crosshair can stop anywhere, a label names a price that can trade — then
 * {@link priceText}.
 */
export function axisPriceText(plotted: number, instrument: PriceUnits): string {
  const scaled = plotToScaled(plotted, instrument.priceScale);
  const tick = instrument.tickSize > 0 ? instrument.tickSize : 1;
  return priceText(Math.round(scaled / tick) * tick, instrument);
}

/**
 * A volume-axis label for a plotted height: the scaled integer it stands for, without padding zeros — whole
 * shares read `12,000`, not `12,000.00000`; a fractional size keeps only its significant decimals (`0.5`).
 */
export function volumeAxisText(plotted: number, qtyScale: number): string {
  return groupThousands(trimZeros(formatScaled(plotToScaled(plotted, qtyScale), qtyScale), 0));
}
