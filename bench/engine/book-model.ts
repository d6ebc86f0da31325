/**
 * A light price-time priority model of one book, used only while generating a workload: it knows which
 * orders are still resting (so every generated cancel names a live order) and where the touch is (so
 * passive orders stay passive and marketable ones cross). It implements the subset of the rules the workload
 * uses — GTC/IOC/FOK limits, market orders, cancels, no self-trade prevention — and nothing else.
 */

/** `0` = buy (bids), `1` = sell (asks). */
export type ModelSide = 0 | 1;

/** A resting order as the model sees it. */
export interface ModelOrder {
  readonly id: number;
  readonly side: ModelSide;
  readonly price: number;
  /** open quantity in lots; 0 once the order has left the book */
  qty: number;
  /** position in `BookModel.live`; -1 once the order has left the book */
  liveIndex: number;
}

class ModelLevel {
  /** FIFO, oldest first from `head`; entries that left the book stay until compaction */
  orders: ModelOrder[] = [];
  head = 0;
  qty = 0;
  count = 0;
  dead = 0;

  constructor(readonly price: number) {}

  /**
   * Drops departed entries once they outnumber the live ones, so the arrays of a level that lives for the
   * whole run stay proportional to its queue (the long memory run keeps the generator alive too).
   */
  compact(): void {
    if (this.head > 32 && this.head * 2 > this.orders.length) {
      this.orders = this.orders.slice(this.head);
      this.head = 0;
    }
    if (this.dead > 16 && this.dead > this.count) {
      this.orders = this.orders.filter((o, i) => i >= this.head && o.liveIndex >= 0);
      this.head = 0;
      this.dead = 0;
    }
  }
}

/** The resting orders of one instrument, with O(1) uniform sampling of a live order. */
export class BookModel {
  /** every resting order, unordered (swap-removed) */
  readonly live: ModelOrder[] = [];
  private readonly byPrice: [Map<number, ModelLevel>, Map<number, ModelLevel>] = [new Map(), new Map()];
  /** per side, level prices sorted worst → best (the best is last) */
  private readonly sorted: [number[], number[]] = [[], []];

  /** Best price of a side, or undefined when the side is empty. */
  best(side: ModelSide): number | undefined {
    const prices = this.sorted[side];
    return prices[prices.length - 1];
  }

  /** Number of price levels on a side. */
  levelCount(side: ModelSide): number {
    return this.sorted[side].length;
  }

  /** Appends a resting order at the back of its level's queue. */
  rest(id: number, side: ModelSide, price: number, qty: number): void {
    let level = this.byPrice[side].get(price);
    if (level === undefined) {
      level = new ModelLevel(price);
      this.byPrice[side].set(price, level);
      insertSorted(this.sorted[side], price, side);
    }
    const order: ModelOrder = { id, side, price, qty, liveIndex: this.live.length };
    this.live.push(order);
    level.orders.push(order);
    level.qty += qty;
    level.count++;
  }

  /** Removes a resting order (a cancel). */
  cancel(order: ModelOrder): void {
    const level = this.byPrice[order.side].get(order.price);
    if (level === undefined || order.liveIndex < 0)
      throw new Error(`model: order ${order.id} is not resting`);
    level.qty -= order.qty;
    level.count--;
    level.dead++;
    this.unlive(order);
    if (level.count === 0) this.dropLevel(order.side, level);
    else level.compact();
  }

  /**
   * Fill-or-kill check: can `qty` be filled now by the side opposite `side`, at `limit` or better
   * (`limit` 0 = no limit)?
   */
  canFill(side: ModelSide, limit: number, qty: number): boolean {
    const against = (1 - side) as ModelSide;
    const prices = this.sorted[against];
    let need = qty;
    for (let i = prices.length - 1; i >= 0 && need > 0; i--) {
      const price = prices[i] as number;
      if (limit !== 0 && !crosses(side, limit, price)) return false;
      need -= (this.byPrice[against].get(price) as ModelLevel).qty;
    }
    return need <= 0;
  }

  /**
   * Matches a taker of `qty` against the opposite side, best price first and oldest first within a level,
   * up to `limit` (0 = no limit). Returns the quantity left unfilled.
   */
  take(side: ModelSide, limit: number, qty: number): number {
    const against = (1 - side) as ModelSide;
    const prices = this.sorted[against];
    let left = qty;
    while (left > 0 && prices.length > 0) {
      const price = prices[prices.length - 1] as number;
      if (limit !== 0 && !crosses(side, limit, price)) break;
      const level = this.byPrice[against].get(price) as ModelLevel;
      while (left > 0 && level.count > 0) {
        const maker = level.orders[level.head] as ModelOrder;
        if (maker.liveIndex < 0) {
          level.head++;
          level.dead--;
          continue;
        }
        const fill = Math.min(left, maker.qty);
        maker.qty -= fill;
        level.qty -= fill;
        left -= fill;
        if (maker.qty === 0) {
          level.head++;
          level.count--;
          this.unlive(maker);
        }
      }
      if (level.count === 0) this.dropLevel(against, level);
      else level.compact();
    }
    return left;
  }

  private unlive(order: ModelOrder): void {
    const live = this.live;
    const last = live.pop() as ModelOrder;
    if (last !== order) {
      live[order.liveIndex] = last;
      last.liveIndex = order.liveIndex;
    }
    order.liveIndex = -1;
  }

  private dropLevel(side: ModelSide, level: ModelLevel): void {
    this.byPrice[side].delete(level.price);
    const prices = this.sorted[side];
    const i = prices.lastIndexOf(level.price);
    prices.splice(i, 1);
  }
}

/** True when a `side` order limited at `limit` can trade with a maker at `price`. */
function crosses(side: ModelSide, limit: number, price: number): boolean {
  return side === 0 ? limit >= price : limit <= price;
}

/** Inserts into a worst → best array: ascending for bids, descending for asks. */
function insertSorted(prices: number[], price: number, side: ModelSide): void {
  let lo = 0;
  let hi = prices.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = prices[mid] as number;
    const better = side === 0 ? p > price : p < price;
    if (better) hi = mid;
    else lo = mid + 1;
  }
  prices.splice(lo, 0, price);
}
