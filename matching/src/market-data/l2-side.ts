import type { Side } from '../commands.ts';

/** A price level: scaled price and its scaled aggregate quantity. */
export interface SideLevel {
  readonly price: number;
  readonly qty: number;
}

/**
 * One side of an L2 book, kept from `level` events: every level's quantity plus a sorted price list, so the
 * best level is known in O(1) and the next best is there when the best is removed. Prices are sorted with
 * the best last (bids ascending, asks descending) because activity clusters at the top of the book, where
 * a splice moves the fewest elements.
 */
export class L2Side {
  /** `buy` = bids (best = highest), `sell` = asks (best = lowest) */
  readonly side: Side;
  readonly #qtyByPrice = new Map<number, number>();
  readonly #prices: number[] = [];

  /** An empty side. */
  constructor(side: Side) {
    this.side = side;
  }

  /** Sets a level's aggregate quantity; 0 removes it (removing an unknown level does nothing). */
  set(price: number, qty: number): void {
    if (!Number.isSafeInteger(qty) || qty < 0)
      throw new RangeError(`level qty ${qty} is not a non-negative integer`);
    const known = this.#qtyByPrice.has(price);
    if (qty === 0) {
      if (!known) return;
      this.#qtyByPrice.delete(price);
      this.#prices.splice(this.#indexOf(price), 1);
      return;
    }
    this.#qtyByPrice.set(price, qty);
    if (!known) this.#prices.splice(this.#indexOf(price), 0, price);
  }

  /** The best level, or null when the side is empty. */
  best(): SideLevel | null {
    const price = this.#prices.at(-1);
    if (price === undefined) return null;
    return { price, qty: this.#qtyByPrice.get(price) ?? 0 };
  }

  /** Every level as `[price, qty]`, worst first. */
  levels(): [number, number][] {
    return this.#prices.map((price) => [price, this.#qtyByPrice.get(price) ?? 0]);
  }

  /** Removes every level. */
  clear(): void {
    this.#qtyByPrice.clear();
    this.#prices.length = 0;
  }

  /** Number of levels. */
  get size(): number {
    return this.#prices.length;
  }

  /** First index whose price does not rank below `price` (where it is, or where it would go). */
  #indexOf(price: number): number {
    const rank = this.side === 'buy' ? price : -price;
    let lo = 0;
    let hi = this.#prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.#prices[mid] ?? 0;
      if ((this.side === 'buy' ? p : -p) < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
