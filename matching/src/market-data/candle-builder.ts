import { divideToDecimal } from '../decimal-format.ts';
import type { TradeEvent } from '../events.ts';
import type { Instrument } from '../instrument.ts';
import { bucketStartUs, CANDLE_INTERVAL_US, type CandleInterval } from './candle-interval.ts';

/** Decimals a VWAP carries beyond the instrument's `priceScale` (a 2-decimal price gets a 6-decimal VWAP). */
export const VWAP_EXTRA_DECIMALS = 4;

/** Closed bars a `CandleBuilder` keeps for `recent` unless told otherwise. */
export const DEFAULT_CANDLE_HISTORY_LIMIT = 1000;

/** Flat bars one call to `advanceTo` / `onTrade` emits at most unless told otherwise (see `CandleBuilder`). */
export const DEFAULT_MAX_FLAT_BARS_PER_ADVANCE = 1000;

/** One OHLCV bar of one symbol and interval, as emitted by `CandleBuilder`. An immutable snapshot. */
export interface Candle {
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** start of the bar, µs since the Unix epoch (see `bucketStartUs`); the bar covers `[startUs, startUs + length)` */
  readonly startUs: number;
  /** scaled price of the bar's first trade; a bar without trades is flat at the previous bar's close */
  readonly open: number;
  /** scaled highest trade price */
  readonly high: number;
  /** scaled lowest trade price */
  readonly low: number;
  /** scaled price of the bar's last trade */
  readonly close: number;
  /** Σ qty, scaled at the instrument's `qtyScale` */
  readonly volume: bigint;
  /** Σ price × qty, exact, scaled at `priceScale + qtyScale` */
  readonly notional: bigint;
  /** number of trades in the bar */
  readonly tradeCount: number;
  /**
   * volume-weighted average price as a decimal string (not scaled): `notional / volume` with
   * `priceScale + VWAP_EXTRA_DECIMALS` decimals, rounded once, half-even; `null` when the bar has no trades
   */
  readonly vwap: string | null;
  /** `false` while the bar is forming; `true` once its time has passed (final, emitted exactly once) */
  readonly closed: boolean;
}

/** Tuning of a `CandleBuilder`. */
export interface CandleBuilderOptions {
  /** closed bars kept for `recent` (non-negative integer, default `DEFAULT_CANDLE_HISTORY_LIMIT`) */
  readonly historyLimit?: number;
  /** flat bars one advance emits at most (non-negative integer, default `DEFAULT_MAX_FLAT_BARS_PER_ADVANCE`) */
  readonly maxFlatBarsPerAdvance?: number;
}

/**
 * Everything a `CandleBuilder` holds, as plain data (bigints as decimal strings): the closed bars `recent` can
 * return and the forming bar, each as `[startUs, open, high, low, close, volume, notional, tradeCount]`.
 */
export interface CandleBuilderState {
  readonly nowUs: number;
  /** closed bars, oldest first, at most the builder's `historyLimit` */
  readonly history: readonly CandleRow[];
  readonly bar: CandleRow | null;
}

/** A bar as plain data: `[startUs, open, high, low, close, volume, notional, tradeCount]`. */
export type CandleRow = readonly [number, number, number, number, number, string, string, number];

interface FormingBar {
  readonly startUs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  notional: bigint;
  tradeCount: number;
}

function flatBar(startUs: number, price: number): FormingBar {
  return {
    startUs,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: 0n,
    notional: 0n,
    tradeCount: 0,
  };
}

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} ${value} is not a non-negative integer`);
  return value;
}

/**
 * Builds the candles of one symbol at one interval from its trades and the passing of time. Pure: time comes
 * in only through `onTrade` (the trade's `tsUs`) and `advanceTo`; every call returns the candles it emits.
 *
 * - Each trade updates the forming bar and emits it (`closed: false`).
 * - When time reaches the bar's end, the bar is emitted once more with `closed: true` — exactly once.
 * - A bucket without trades becomes a flat bar at the previous close (volume 0, `vwap` null), emitted only
 *   closed, so closed bars follow each other without holes. Before the first trade there are no bars.
 * - Flat-bar cap: one call emits at most `maxFlatBarsPerAdvance` flat bars — the latest ones, adjacent to
 *   the new time — and skips older flat buckets of the gap (a year of idle 1 s bars would otherwise be 31 M
 *   objects in one call). Nothing is lost: a skipped bucket is by definition flat at the close of the bar
 *   before it, so a consumer that sees `startUs` jump can fill the hole itself; with the default cap equal to
 *   the default history the snapshot (`recent`) is the same as without the cap.
 * - Time never goes back: `advanceTo` with an earlier time does nothing, and a trade stamped before the
 *   builder's time (only possible when `advanceTo` was fed a clock running ahead of the events) counts in
 *   the bar of the builder's time, because closed bars are final.
 */
export class CandleBuilder {
  /** the instrument's symbol; trades of other symbols are refused */
  readonly symbol: string;
  /** the bar length */
  readonly interval: CandleInterval;
  readonly #lengthUs: number;
  /** 10^priceScale: turns `notional / volume` (a scaled price) into a decimal price */
  readonly #priceUnit: bigint;
  readonly #vwapScale: number;
  readonly #historyLimit: number;
  readonly #maxFlatBars: number;
  /** closed bars, oldest first; may hold up to twice `#historyLimit` between trims */
  #history: Candle[] = [];
  /** the bar of `#nowUs`'s bucket; null until the first trade */
  #bar: FormingBar | null = null;
  #nowUs = Number.MIN_SAFE_INTEGER;

  /** A builder for `instrument` at `interval`; throws `RangeError` on a negative or fractional option. */
  constructor(instrument: Instrument, interval: CandleInterval, options: CandleBuilderOptions = {}) {
    this.symbol = instrument.symbol;
    this.interval = interval;
    this.#lengthUs = CANDLE_INTERVAL_US[interval];
    this.#priceUnit = 10n ** BigInt(instrument.priceScale);
    this.#vwapScale = instrument.priceScale + VWAP_EXTRA_DECIMALS;
    this.#historyLimit = checkCount('historyLimit', options.historyLimit ?? DEFAULT_CANDLE_HISTORY_LIMIT);
    this.#maxFlatBars = checkCount(
      'maxFlatBarsPerAdvance',
      options.maxFlatBarsPerAdvance ?? DEFAULT_MAX_FLAT_BARS_PER_ADVANCE,
    );
  }

  /**
   * Adds a trade: first advances time to the trade's `tsUs` (emitting the bars that closed), then emits the
   * updated forming bar. Returns the emitted candles in order. Throws `RangeError` for another symbol's trade.
   */
  onTrade(e: TradeEvent): Candle[] {
    if (e.symbol !== this.symbol)
      throw new RangeError(`trade of ${e.symbol} fed to the ${this.symbol} builder`);
    const out = this.advanceTo(e.tsUs);
    let bar = this.#bar;
    if (bar === null) {
      bar = flatBar(bucketStartUs(this.#nowUs, this.interval), e.price);
      this.#bar = bar;
    }
    if (bar.tradeCount === 0) {
      bar.open = e.price;
      bar.high = e.price;
      bar.low = e.price;
    } else {
      if (e.price > bar.high) bar.high = e.price;
      if (e.price < bar.low) bar.low = e.price;
    }
    bar.close = e.price;
    const qty = BigInt(e.qty);
    bar.volume += qty;
    bar.notional += BigInt(e.price) * qty;
    bar.tradeCount += 1;
    out.push(this.#snapshot(bar, false));
    return out;
  }

  /**
   * Moves time to `tsUs` and returns the bars that closed, oldest first: the forming bar if `tsUs` is at or
   * past its end, then the flat bars of the gap (at most `maxFlatBarsPerAdvance`). An earlier or equal time
   * does nothing. Throws `RangeError` when `tsUs` is not a safe integer.
   */
  advanceTo(tsUs: number): Candle[] {
    if (!Number.isSafeInteger(tsUs)) throw new RangeError(`tsUs ${tsUs} is not a safe integer`);
    if (tsUs <= this.#nowUs) return [];
    this.#nowUs = tsUs;
    const bar = this.#bar;
    if (bar === null) return [];
    const startUs = bucketStartUs(tsUs, this.interval);
    if (startUs === bar.startUs) return [];
    const out = [this.#close(bar)];
    const firstFlatUs = bar.startUs + this.#lengthUs;
    const flatCount = (startUs - firstFlatUs) / this.#lengthUs;
    const skipped = Math.max(0, flatCount - this.#maxFlatBars);
    for (let s = firstFlatUs + skipped * this.#lengthUs; s < startUs; s += this.#lengthUs) {
      out.push(this.#close(flatBar(s, bar.close)));
    }
    this.#bar = flatBar(startUs, bar.close);
    return out;
  }

  /**
   * The earliest time at which `advanceTo` would emit: the forming bar's end; `Number.MAX_SAFE_INTEGER` before
   * the first trade (no bars yet). Advancing to any earlier time only moves the builder's clock, so an owner of
   * many builders may skip them until then (see `MarketData`).
   */
  nextDueUs(): number {
    return this.#bar === null ? Number.MAX_SAFE_INTEGER : this.#bar.startUs + this.#lengthUs;
  }

  /** The forming bar (`closed: false`, flat when its bucket has no trade yet); null before the first trade. */
  forming(): Candle | null {
    return this.#bar === null ? null : this.#snapshot(this.#bar, false);
  }

  /**
   * The last `limit` bars, oldest first, the forming bar last: at most `historyLimit` closed bars plus the
   * forming one. Throws `RangeError` when `limit` is not a non-negative integer.
   */
  recent(limit: number): Candle[] {
    checkCount('limit', limit);
    if (limit === 0) return [];
    const forming = this.forming();
    const closedWanted = Math.min(forming === null ? limit : limit - 1, this.#historyLimit);
    const closed = closedWanted === 0 ? [] : this.#history.slice(-closedWanted);
    if (forming !== null) closed.push(forming);
    return closed;
  }

  /** The builder's whole state (see {@link CandleBuilderState}). */
  exportState(): CandleBuilderState {
    const row = (b: FormingBar | Candle): CandleRow => [
      b.startUs,
      b.open,
      b.high,
      b.low,
      b.close,
      `${b.volume}`,
      `${b.notional}`,
      b.tradeCount,
    ];
    return {
      nowUs: this.#nowUs,
      history: this.#history.slice(-this.#historyLimit).map(row),
      bar: this.#bar === null ? null : row(this.#bar),
    };
  }

  /** Replaces this builder's state with an exported one (of a builder of the same symbol and interval). */
  restoreState(state: CandleBuilderState): void {
    const bar = (r: CandleRow): FormingBar => ({
      startUs: r[0],
      open: r[1],
      high: r[2],
      low: r[3],
      close: r[4],
      volume: BigInt(r[5]),
      notional: BigInt(r[6]),
      tradeCount: r[7],
    });
    this.#nowUs = state.nowUs;
    this.#history = state.history.map((r) => this.#snapshot(bar(r), true));
    this.#bar = state.bar === null ? null : bar(state.bar);
  }

  #close(bar: FormingBar): Candle {
    const candle = this.#snapshot(bar, true);
    this.#history.push(candle);
    // Trim in batches so a close costs O(1) amortised instead of an O(historyLimit) shift each time.
    if (this.#history.length > 2 * this.#historyLimit) {
      this.#history.splice(0, this.#history.length - this.#historyLimit);
    }
    return candle;
  }

  #snapshot(bar: FormingBar, closed: boolean): Candle {
    return {
      symbol: this.symbol,
      interval: this.interval,
      startUs: bar.startUs,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      notional: bar.notional,
      tradeCount: bar.tradeCount,
      vwap:
        bar.volume === 0n
          ? null
          : divideToDecimal(bar.notional, bar.volume * this.#priceUnit, this.#vwapScale),
      closed,
    };
  }
}
