/**
 * One OHLCV bar of a `candles` channel (PROTOCOL.md §11): `startUs` µs since the epoch, prices scaled at
 * priceScale, `volume` scaled at qtyScale, `vwap` an exact decimal string at priceScale + 4 decimals (null for a
 * bar without trades).
 */
export interface Candle {
  /** start of the bar's interval, µs since the Unix epoch */
  readonly startUs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Σ qty traded in the bar, scaled at qtyScale */
  readonly volume: number;
  /** number of trades in the bar */
  readonly trades: number;
  /** volume-weighted average price, an exact decimal string */
  readonly vwap: string | null;
  /** true once the interval has ended: the bar is final */
  readonly closed: boolean;
}

/** Default number of bars a `CandleMerger` keeps (the server's snapshot holds up to 500). */
export const DEFAULT_MAX_BARS = 1000;

function sameBar(a: Candle, b: Candle): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.trades === b.trades &&
    a.vwap === b.vwap &&
    a.closed === b.closed
  );
}

function byStart(a: Candle, b: Candle): number {
  return a.startUs - b.startUs;
}

/**
 * The bar series of one `candles` channel, merged from its snapshots and updates so that a consumer never
 * sees a bar go back in time. The rules:
 * - a bar newer than the newest known one is appended (and emitted);
 * - a bar with the `startUs` of a known bar that is not closed replaces it (and is emitted): the forming
 *   bar's updates, and its final `closed` copy even when it arrives after the next bar has started;
 * - anything else is ignored: an update of a closed (final) bar, or of an older bar that is not known.
 *
 * "Known" means emitted: `bars` is exactly what the consumer has been given, each bar in its latest version.
 * A snapshot (`replace`) goes through the same rules, emitting only what is new or changed: a resync after a
 * gap fills in the bars that formed meanwhile, in order, without repeating history, and an older bar the
 * consumer never saw is not slipped in behind newer ones. At most `maxBars` bars are kept, oldest dropped
 * first. The bar type is `Candle` or any extension of it (the client keeps `DecimalCandle`s).
 *
 * @example
 * ```ts
 * const merger = new CandleMerger();
 * merger.replace(snapshotBars); // the bars to emit, oldest first
 * merger.apply(bar); // true: emit it
 * merger.bars; // oldest first
 * ```
 */
export class CandleMerger<C extends Candle = Candle> {
  readonly maxBars: number;
  private series: C[] = [];
  /** whether `bars` handed out `series`: the next change copies it first (copy-on-write) */
  private shared = false;

  constructor(maxBars = DEFAULT_MAX_BARS) {
    if (!(Number.isInteger(maxBars) && maxBars >= 1))
      throw new RangeError(`maxBars must be ≥ 1, got ${maxBars}`);
    this.maxBars = maxBars;
  }

  /**
   * The bars emitted so far, each in its latest version, oldest first. The array is never changed afterwards:
   * a later change works on a copy (made only when it comes), so an event keeps the series as of itself.
   */
  get bars(): readonly C[] {
    this.shared = true;
    return this.series;
  }

  /** Forgets every bar (the server reset the channel): the next snapshot's bars are all emitted. */
  clear(): void {
    this.series = [];
    this.shared = false;
  }

  /** The newest known bar, if any. */
  get latest(): C | undefined {
    return this.series[this.series.length - 1];
  }

  /** Merges one update; returns whether the bar is to be emitted (see the class rules). */
  apply(bar: C): boolean {
    return this.merge(bar, false);
  }

  /** Merges a snapshot's bars (any order); returns those to emit, oldest first: the new and the changed. */
  replace(bars: readonly C[]): C[] {
    const emit: C[] = [];
    for (const bar of bars.slice().sort(byStart)) if (this.merge(bar, true)) emit.push(bar);
    return emit;
  }

  private merge(bar: C, onlyIfChanged: boolean): boolean {
    const last = this.series[this.series.length - 1];
    if (last === undefined || bar.startUs > last.startUs) {
      this.writable().push(bar);
      if (this.series.length > this.maxBars) this.series.shift();
      return true;
    }
    const at = this.indexOf(bar.startUs);
    const known = at < 0 ? undefined : this.series[at];
    if (known === undefined || known.closed) return false;
    if (onlyIfChanged && sameBar(known, bar)) return false;
    this.writable()[at] = bar;
    return true;
  }

  private writable(): C[] {
    if (this.shared) {
      this.series = this.series.slice();
      this.shared = false;
    }
    return this.series;
  }

  /** Index of the bar starting at `startUs`, or -1. Searched from the newest: updates touch the last bars. */
  private indexOf(startUs: number): number {
    for (let i = this.series.length - 1; i >= 0; i--) {
      const s = (this.series[i] as Candle).startUs;
      if (s === startUs) return i;
      if (s < startUs) return -1;
    }
    return -1;
  }
}
