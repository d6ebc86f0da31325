/**
 * A scaled integer (PROTOCOL.md §3) as a floating-point number, **for drawing only**: lightweight-charts
 * positions candles and volume bars with JavaScript numbers. The result can be off in its last binary digit
 * (`6500125 / 100` is not exactly 65001.25), which moves a candle by far less than a pixel; it is never turned
 * back into text. Every price or quantity the page shows as text is formatted from the integer with the SDK's
 * `formatPrice` / `formatQty`; the chart's own axis labels go through {@link plotLabel}.
 */
export function toPlotNumber(scaled: number, scale: number): number {
  return scaled / 10 ** scale;
}

/**
 * The scaled integer nearest to a plotted number: the chart hands its axis and crosshair labels a float (a
 * tick mark at any height, or a candle's plotted value), and this turns it back into the integer it stands
 * for, so that the label is formatted exactly from an integer. For a value that came from
 * {@link toPlotNumber} this is the original integer: |error| ≪ 0.5 for every integer below 2^50.
 */
export function plotToScaled(plotted: number, scale: number): number {
  return Math.round(plotted * 10 ** scale);
}
