import { divideToDecimal } from '../decimal-format.ts';
import type { LevelEvent, TradeEvent } from '../events.ts';
import type { Instrument } from '../instrument.ts';
import { L2Side } from './l2-side.ts';

/** Granularity of the ticker's rolling 24 h window: one minute. */
export const TICKER_BUCKET_US = 60_000_000;

/** Buckets in the ticker's window: 1440 one-minute buckets = 24 h. */
export const TICKER_BUCKET_COUNT = 1440;

/**
 * Top of book, last trade and rolling 24 h statistics of one symbol. Prices and quantities are scaled
 * integers of the instrument; `null` means unknown (no such level, no trade yet, or none in the window).
 */
export interface Ticker {
  readonly symbol: string;
  /** time of the latest event or advance the builder saw, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** highest bid price */
  readonly bestBid: number | null;
  /** aggregate quantity at the best bid */
  readonly bestBidQty: number | null;
  /** lowest ask price */
  readonly bestAsk: number | null;
  /** aggregate quantity at the best ask */
  readonly bestAskQty: number | null;
  /** price of the last trade ever (not limited to the window) */
  readonly last: number | null;
  /** quantity of the last trade */
  readonly lastQty: number | null;
  /** price of the first trade in the window (the oldest non-empty minute's open) */
  readonly open24h: number | null;
  /** highest trade price in the window */
  readonly high24h: number | null;
  /** lowest trade price in the window */
  readonly low24h: number | null;
  /** Σ qty in the window, scaled at `qtyScale` */
  readonly volume24h: bigint;
  /** Σ price × qty in the window, exact, scaled at `priceScale + qtyScale` */
  readonly notional24h: bigint;
  /** `last - open24h`, scaled; null when either is unknown */
  readonly change24h: number | null;
  /** trades in the window */
  readonly tradeCount24h: number;
}

/**
 * `change24h / open24h` in percent as an exact decimal string with `decimals` decimals (half-even): an open of
 * 100.00 and a last of 102.50 give "2.50". Null when `open24h` or `last` is unknown.
 */
export function changePct24h(ticker: Ticker, decimals = 2): string | null {
  if (ticker.open24h === null || ticker.last === null) return null;
  const open = BigInt(ticker.open24h);
  return divideToDecimal((BigInt(ticker.last) - open) * 100n, open, decimals);
}

/**
 * Everything a `TickerBuilder` holds, as plain data (bigints as decimal strings), so a recorded session can
 * restore a builder at a keyframe: `exportState` then `restoreState` gives a builder that behaves exactly as
 * the original from then on.
 */
export interface TickerState {
  readonly nowUs: number;
  readonly minute: number | null;
  readonly last: number | null;
  readonly lastQty: number | null;
  /** `[price, qty]`, any order */
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
  /** the window's non-empty minutes: `[minute, open, high, low, volume, notional, count]` */
  readonly buckets: readonly (readonly [number, number, number, number, string, string, number])[];
}

interface MinuteBucket {
  /** minute index since the epoch: floor(tsUs / TICKER_BUCKET_US) */
  readonly minute: number;
  readonly open: number;
  high: number;
  low: number;
  volume: bigint;
  notional: bigint;
  count: number;
}

function minuteOf(tsUs: number): number {
  return Math.floor(tsUs / TICKER_BUCKET_US);
}

function slotOf(minute: number): number {
  return ((minute % TICKER_BUCKET_COUNT) + TICKER_BUCKET_COUNT) % TICKER_BUCKET_COUNT;
}

/**
 * Builds the `Ticker` of one symbol from its `trade` and `level` events and the passing of time. Pure: time
 * comes in only on events and through `advanceTo`.
 *
 * The 24 h window rolls at one-minute granularity (a ring of `TICKER_BUCKET_COUNT` buckets, aligned to the
 * epoch): it holds the current minute and the 1439 before it, so a trade leaves the window when the minute
 * 24 h after its own minute begins (the window spans 23 h 59 m to 24 h of trades). Volume, notional and
 * count are running sums; high/low/open are rescanned (1440 buckets) only after a non-empty minute expired.
 * Time never goes back; a trade stamped before the builder's time counts in the builder's current minute.
 */
export class TickerBuilder {
  /** the instrument's symbol; events of other symbols are refused */
  readonly symbol: string;
  readonly #bids = new L2Side('buy');
  readonly #asks = new L2Side('sell');
  readonly #buckets: (MinuteBucket | undefined)[] = new Array(TICKER_BUCKET_COUNT);
  #nowUs = Number.MIN_SAFE_INTEGER;
  #minute: number | null = null;
  #last: number | null = null;
  #lastQty: number | null = null;
  #volume = 0n;
  #notional = 0n;
  #count = 0;
  /** open/high/low of the window; stale while `#rescan` is set */
  #open: number | null = null;
  #high: number | null = null;
  #low: number | null = null;
  #rescan = false;

  /** A builder for `instrument`, with an empty book and an empty window. */
  constructor(instrument: Instrument) {
    this.symbol = instrument.symbol;
  }

  /** Adds a trade (advancing time to it first) and returns the new ticker. */
  onTrade(e: TradeEvent): Ticker {
    this.#checkSymbol(e.symbol);
    this.#advance(e.tsUs);
    const minute = this.#minute ?? minuteOf(e.tsUs);
    const slot = slotOf(minute);
    let bucket = this.#buckets[slot];
    if (bucket === undefined || bucket.minute !== minute) {
      bucket = { minute, open: e.price, high: e.price, low: e.price, volume: 0n, notional: 0n, count: 0 };
      this.#buckets[slot] = bucket;
    }
    const qty = BigInt(e.qty);
    const notional = BigInt(e.price) * qty;
    bucket.high = Math.max(bucket.high, e.price);
    bucket.low = Math.min(bucket.low, e.price);
    bucket.volume += qty;
    bucket.notional += notional;
    bucket.count += 1;
    this.#volume += qty;
    this.#notional += notional;
    this.#count += 1;
    if (!this.#rescan) {
      this.#open ??= e.price;
      this.#high = this.#high === null ? e.price : Math.max(this.#high, e.price);
      this.#low = this.#low === null ? e.price : Math.min(this.#low, e.price);
    }
    this.#last = e.price;
    this.#lastQty = e.qty;
    return this.ticker();
  }

  /**
   * Applies an L2 change (advancing time to it first). Returns the new ticker when the best bid or ask
   * (price or quantity) or the 24 h statistics changed, else null.
   */
  onLevel(e: LevelEvent): Ticker | null {
    this.#checkSymbol(e.symbol);
    const expired = this.#advance(e.tsUs);
    const side = e.side === 'buy' ? this.#bids : this.#asks;
    const before = side.best();
    side.set(e.price, e.qty);
    const after = side.best();
    const bestChanged = before?.price !== after?.price || before?.qty !== after?.qty;
    return bestChanged || expired ? this.ticker() : null;
  }

  /**
   * Moves time to `tsUs` (an earlier or equal time does nothing). Returns the new ticker when trades left the
   * 24 h window, else null. Throws `RangeError` when `tsUs` is not a safe integer.
   */
  advanceTo(tsUs: number): Ticker | null {
    return this.#advance(tsUs) ? this.ticker() : null;
  }

  /**
   * The earliest time at which `advanceTo` could report trades leaving the window: the next minute's start
   * (`Number.MAX_SAFE_INTEGER` before the builder's first time). Advancing to any earlier time only moves the
   * builder's clock, so an owner of many builders may skip them until then (see `MarketData`).
   */
  nextDueUs(): number {
    return this.#minute === null ? Number.MAX_SAFE_INTEGER : (this.#minute + 1) * TICKER_BUCKET_US;
  }

  /** The current ticker. */
  ticker(): Ticker {
    if (this.#rescan) this.#rescanWindow();
    const bid = this.#bids.best();
    const ask = this.#asks.best();
    return {
      symbol: this.symbol,
      tsUs: this.#minute === null ? 0 : this.#nowUs,
      bestBid: bid?.price ?? null,
      bestBidQty: bid?.qty ?? null,
      bestAsk: ask?.price ?? null,
      bestAskQty: ask?.qty ?? null,
      last: this.#last,
      lastQty: this.#lastQty,
      open24h: this.#open,
      high24h: this.#high,
      low24h: this.#low,
      volume24h: this.#volume,
      notional24h: this.#notional,
      change24h: this.#last === null || this.#open === null ? null : this.#last - this.#open,
      tradeCount24h: this.#count,
    };
  }

  /** The builder's whole state (see {@link TickerState}). */
  exportState(): TickerState {
    const buckets: [number, number, number, number, string, string, number][] = [];
    for (const b of this.#buckets) {
      if (b !== undefined)
        buckets.push([b.minute, b.open, b.high, b.low, `${b.volume}`, `${b.notional}`, b.count]);
    }
    return {
      nowUs: this.#nowUs,
      minute: this.#minute,
      last: this.#last,
      lastQty: this.#lastQty,
      bids: this.#bids.levels(),
      asks: this.#asks.levels(),
      buckets,
    };
  }

  /**
   * Replaces this builder's state with an exported one (of a builder of the same symbol). The window's sums and
   * its open, high and low are recomputed from the buckets, so they cannot disagree with them.
   */
  restoreState(state: TickerState): void {
    this.#nowUs = state.nowUs;
    this.#minute = state.minute;
    this.#last = state.last;
    this.#lastQty = state.lastQty;
    this.#bids.clear();
    this.#asks.clear();
    for (const [price, qty] of state.bids) this.#bids.set(price, qty);
    for (const [price, qty] of state.asks) this.#asks.set(price, qty);
    this.#buckets.fill(undefined);
    this.#volume = 0n;
    this.#notional = 0n;
    this.#count = 0;
    for (const [minute, open, high, low, volume, notional, count] of state.buckets) {
      const bucket: MinuteBucket = {
        minute,
        open,
        high,
        low,
        volume: BigInt(volume),
        notional: BigInt(notional),
        count,
      };
      this.#buckets[slotOf(minute)] = bucket;
      this.#volume += bucket.volume;
      this.#notional += bucket.notional;
      this.#count += count;
    }
    this.#rescan = true;
  }

  #checkSymbol(symbol: string): void {
    if (symbol !== this.symbol) throw new RangeError(`event of ${symbol} fed to the ${this.symbol} ticker`);
  }

  /** Moves time forward; true when a non-empty minute left the window. */
  #advance(tsUs: number): boolean {
    if (!Number.isSafeInteger(tsUs)) throw new RangeError(`tsUs ${tsUs} is not a safe integer`);
    if (tsUs <= this.#nowUs) return false;
    this.#nowUs = tsUs;
    const minute = minuteOf(tsUs);
    const previous = this.#minute;
    this.#minute = minute;
    if (previous === null || minute === previous) return false;
    // The slots of the minutes just entered hold exactly the minutes that just left (ring of
    // TICKER_BUCKET_COUNT): trades only ever go into the current minute, never a future one.
    let expired = false;
    const steps = Math.min(minute - previous, TICKER_BUCKET_COUNT);
    for (let m = minute - steps + 1; m <= minute; m++) {
      const slot = slotOf(m);
      const bucket = this.#buckets[slot];
      if (bucket === undefined) continue;
      this.#buckets[slot] = undefined;
      this.#volume -= bucket.volume;
      this.#notional -= bucket.notional;
      this.#count -= bucket.count;
      expired = true;
    }
    if (expired) this.#rescan = true;
    return expired;
  }

  #rescanWindow(): void {
    let oldest: MinuteBucket | null = null;
    let high: number | null = null;
    let low: number | null = null;
    for (const bucket of this.#buckets) {
      if (bucket === undefined) continue;
      if (oldest === null || bucket.minute < oldest.minute) oldest = bucket;
      high = high === null ? bucket.high : Math.max(high, bucket.high);
      low = low === null ? bucket.low : Math.min(low, bucket.low);
    }
    this.#open = oldest?.open ?? null;
    this.#high = high;
    this.#low = low;
    this.#rescan = false;
  }
}
