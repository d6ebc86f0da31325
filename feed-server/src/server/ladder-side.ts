import type { BookLevel } from '../protocol/index.ts';

/** The aggregate of one price level: scaled quantity and number of resting orders. */
export type Aggregate = readonly [qty: number, count: number];

/** One side of the L2 book: levels by price plus their prices kept best first for cheap top-N reads. */
export class LadderSide {
  /** prices best first: descending for bids, ascending for asks */
  readonly prices: number[] = [];
  /** the aggregate of each of `prices`, at the same index */
  readonly aggregates: Aggregate[] = [];
  readonly levels = new Map<number, Aggregate>();

  constructor(private readonly descending: boolean) {}

  /** Whether `a` ranks before `b` on this side. */
  better(a: number, b: number): boolean {
    return this.descending ? a > b : a < b;
  }

  /** Index of the first price that does not rank before `price` (where it is or would be inserted). */
  private lowerBound(price: number): number {
    let lo = 0;
    let hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.better(this.prices[mid] as number, price)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sets a level's aggregate; `qty` 0 removes the level. */
  set(price: number, qty: number, count: number): void {
    if (qty === 0) {
      if (this.levels.delete(price)) {
        const i = this.lowerBound(price);
        this.prices.splice(i, 1);
        this.aggregates.splice(i, 1);
      }
      return;
    }
    const agg: Aggregate = [qty, count];
    const i = this.lowerBound(price);
    if (this.levels.has(price)) this.aggregates[i] = agg;
    else {
      this.prices.splice(i, 0, price);
      this.aggregates.splice(i, 0, agg);
    }
    this.levels.set(price, agg);
  }

  /** Removes every level. */
  clear(): void {
    this.prices.length = 0;
    this.aggregates.length = 0;
    this.levels.clear();
  }

  /** The best `n` levels, best first. */
  top(n: number): BookLevel[] {
    const out: BookLevel[] = [];
    const end = Math.min(n, this.prices.length);
    for (let i = 0; i < end; i++) {
      const [qty, count] = this.aggregates[i] as Aggregate;
      out.push([this.prices[i] as number, qty, count]);
    }
    return out;
  }
}
