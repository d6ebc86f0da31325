import type { Side } from './commands.ts';

/** Up to this many touched levels per command are deduplicated by a scan; beyond it, by a set. */
const SCAN_LIMIT = 16;
/** A unique number per (side, price): prices are below 2^50, so doubling stays exact. */
const key = (side: Side, price: number): number => (side === 'buy' ? price * 2 : price * 2 + 1);

/**
 * The price levels one command touched (orders added, removed or resized), each once, in first-touched order:
 * after the command the book emits one `level` event for each.
 */
export class TouchedLevels {
  // A count rather than `length = 0`: truncating an array is a runtime call, and this runs once per command.
  private readonly sides: Side[] = [];
  private readonly prices: number[] = [];
  private count = 0;
  private readonly seen = new Set<number>();

  touch(side: Side, price: number): void {
    const prices = this.prices;
    const sides = this.sides;
    const n = this.count;
    if (n < SCAN_LIMIT) {
      for (let i = n - 1; i >= 0; i--) if (prices[i] === price && sides[i] === side) return;
    } else {
      // A sweep or mass cancel touching many levels: a set keeps it linear instead of quadratic.
      const seen = this.seen;
      if (seen.size === 0) for (let i = 0; i < n; i++) seen.add(key(sides[i] as Side, prices[i] as number));
      const k = key(side, price);
      if (seen.has(k)) return;
      seen.add(k);
    }
    prices[n] = price;
    sides[n] = side;
    this.count = n + 1;
  }

  /**
   * Forgets the touched levels and returns how many there were; `sideAt(i)` and `priceAt(i)` still read them,
   * for `i` below that number, until the next `touch`.
   */
  take(): number {
    const n = this.count;
    this.count = 0;
    if (n >= SCAN_LIMIT) this.seen.clear();
    return n;
  }

  sideAt(i: number): Side {
    return this.sides[i] as Side;
  }

  priceAt(i: number): number {
    return this.prices[i] as number;
  }
}
