import type { Instrument } from '../instrument.ts';
import { MatchingError } from '../matching-error.ts';
import { FAIR_FP, FairPrice } from './fair-price.ts';
import { SIZE_BODY_PCT, SIZE_MAX_PCT, SIZE_TAIL_PCT } from './quantile-tables.ts';
import type { RandomSource } from './random-source.ts';

/**
 * The quoting unit is about 1/QUOTE_UNIT_DIVISOR of the price (0.2 bp), at least one tick: BTC at 65000.00
 * quotes in $1.30 steps, ETH at 3500.00 in $0.07, AMZN at 225.00 in single cents.
 */
const QUOTE_UNIT_DIVISOR = 50_000;
/** The fair price is kept this many quoting units inside the instrument's price range. */
const FAIR_MARGIN_UNITS = 32;
/** Fixed-point fair prices must stay far inside 2^53. */
const MAX_FAIR_TICKS = 2 ** 44;
/** The median order is worth about this much quote currency (USD). */
const MEDIAN_NOTIONAL = 2000n;

/** What the simulator knows and models about one instrument. */
export class SimInstrument {
  readonly symbol: string;
  readonly tick: number;
  /** largest price in ticks */
  readonly maxTicks: number;
  /** quoting unit, in ticks: spacing of market makers' levels and the scale of volatility */
  readonly unit: number;
  /** the median order size, scaled */
  readonly medianQty: number;
  /** largest order size the simulator sends: the instrument maximum rounded down to the lot */
  readonly maxQty: number;
  readonly fair: FairPrice;
  /** last trade price in ticks, 0 before the first trade (mirrors the engine's) */
  lastTradeTicks = 0;
  /** fast and slow exponential moving averages of trade prices, in 1/`FAIR_FP` ticks (0 before a trade) */
  emaFastFp = 0;
  emaSlowFp = 0;
  /** resting orders per side, counted from the engine's events */
  restingBids = 0;
  restingAsks = 0;

  constructor(
    readonly index: number,
    readonly instrument: Instrument,
    initialTicks: number,
  ) {
    this.symbol = instrument.symbol;
    this.tick = instrument.tickSize;
    this.maxTicks = Math.floor(instrument.maxPrice / instrument.tickSize);
    this.unit = Math.max(1, Math.floor(initialTicks / QUOTE_UNIT_DIVISOR));
    const lo = FAIR_MARGIN_UNITS * this.unit;
    const hi = Math.min(this.maxTicks - FAIR_MARGIN_UNITS * this.unit, MAX_FAIR_TICKS);
    if (!(initialTicks >= lo && initialTicks <= hi)) {
      throw new MatchingError(
        'BAD_SIMULATOR_CONFIG',
        `${this.symbol}: initial price of ${initialTicks} ticks is outside the simulated range [${lo}, ${hi}]`,
      );
    }
    this.fair = new FairPrice(initialTicks, this.unit, lo, hi);
    const lot = instrument.lotSize;
    this.maxQty = instrument.maxQty - (instrument.maxQty % lot);
    if (this.maxQty < instrument.minQty) {
      throw new MatchingError(
        'BAD_SIMULATOR_CONFIG',
        `${this.symbol}: no lot-multiple quantity between the minimum and maximum size`,
      );
    }
    const scale = 10n ** BigInt(instrument.priceScale + instrument.qtyScale);
    const initialPrice = BigInt(initialTicks) * BigInt(instrument.tickSize);
    let median = Number((MEDIAN_NOTIONAL * scale) / initialPrice);
    // Keep median · (largest multiplier) within the maximum, so sizes never need clamping from above.
    median = Math.min(median, Math.floor(this.maxQty / SIZE_MAX_PCT) * 100);
    this.medianQty = Math.max(instrument.minQty, median - (median % lot));
  }

  /** A heavy-tailed size multiplier in percent of the median (see quantile-tables.ts). */
  drawSizePct(rng: RandomSource): number {
    const i = rng.below(64);
    return i < 63 ? (SIZE_BODY_PCT[i] as number) : (SIZE_TAIL_PCT[rng.below(16)] as number);
  }

  /** `pct` percent of the median size, snapped down to the lot, at least the minimum, at most the maximum. */
  qtyFromPct(pct: number): number {
    const m = this.medianQty;
    // (m · pct) / 100 without forming m · pct, which could leave the safe-integer range.
    const raw = Math.floor(m / 100) * pct + Math.floor(((m % 100) * pct) / 100);
    const snapped = raw - (raw % this.instrument.lotSize);
    return Math.min(this.maxQty, Math.max(this.instrument.minQty, snapped));
  }

  /** A price in ticks clamped to the instrument's valid range. */
  clampTicks(ticks: number): number {
    return Math.max(1, Math.min(ticks, this.maxTicks));
  }

  /** Records a trade (price scaled) for last-price, momentum and impact. */
  onTrade(price: number, takerBuys: boolean): void {
    const ticks = price / this.tick;
    this.lastTradeTicks = ticks;
    const p = ticks * FAIR_FP;
    if (this.emaSlowFp === 0) {
      this.emaFastFp = p;
      this.emaSlowFp = p;
    } else {
      this.emaFastFp += Math.trunc((p - this.emaFastFp) / 8);
      this.emaSlowFp += Math.trunc((p - this.emaSlowFp) / 64);
    }
    this.fair.impact(takerBuys);
  }
}
