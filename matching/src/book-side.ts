import type { Side } from './commands.ts';
import { PriceLevel } from './price-level.ts';

/**
 * The price levels of one side of a book. `levels` is sorted worst → best so the best level is the last
 * element: taking or removing it is O(1), and new levels near the touch (the common case) insert near the end.
 */
export class BookSide {
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();

  /** `buy` = bids (best is highest), `sell` = asks (best is lowest). */
  constructor(readonly side: Side) {}

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  get(price: number): PriceLevel | undefined {
    return this.byPrice.get(price);
  }

  /** True when `a` is a better price than `b` on this side. */
  isBetter(a: number, b: number): boolean {
    return this.side === 'buy' ? a > b : a < b;
  }

  getOrCreate(price: number): PriceLevel {
    const found = this.byPrice.get(price);
    if (found !== undefined) return found;
    const level = new PriceLevel(price);
    this.byPrice.set(price, level);
    const levels = this.levels;
    // Binary search for the first level better than `price`; insert before it.
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.isBetter((levels[mid] as PriceLevel).price, price)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === levels.length) levels.push(level);
    else levels.splice(lo, 0, level);
    return level;
  }

  /** Removes an empty level. */
  removeLevel(level: PriceLevel): void {
    this.byPrice.delete(level.price);
    const levels = this.levels;
    const last = levels.length - 1;
    if (levels[last] === level) {
      levels.pop();
      return;
    }
    const i = this.indexOf(level.price);
    if (i >= 0) levels.splice(i, 1);
  }

  private indexOf(price: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = (levels[mid] as PriceLevel).price;
      if (p === price) return mid;
      if (this.isBetter(p, price)) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Levels best first, up to `depth`. */
  *bestFirst(depth = Number.POSITIVE_INFINITY): IterableIterator<PriceLevel> {
    const levels = this.levels;
    for (let i = levels.length - 1, n = 0; i >= 0 && n < depth; i--, n++) yield levels[i] as PriceLevel;
  }
}
