import type { LevelEvent, Side, TradeEvent } from '../../../matching/src/index.ts';

/** One row of a LOBSTER message file (prices and sizes already in the instrument's scaled integers). */
export interface LobsterRow {
  readonly line: number;
  readonly tsUs: number;
  /** 1 submit, 2 partial cancel, 3 delete, 4 visible execution, 5 hidden execution, 7 trading halt */
  readonly type: number;
  readonly orderId: number;
  readonly size: number;
  readonly price: number;
  /** 1 buy limit order, -1 sell limit order */
  readonly direction: 1 | -1;
}

/** What a row does that is not an error but worth counting. */
export interface LobsterNotes {
  /** cancels, deletions and executions of orders submitted before the file starts */
  unknownOrders: number;
  /** cancels or executions larger than what the order had left (clamped) */
  oversized: number;
  halts: number;
  /** level-1 corrections from the orderbook file (orders resting before the file started) */
  reconciled: number;
  /** levels dropped as stale: the file's events showed the true top of the book below them */
  pruned: number;
}

interface RestingOrder {
  readonly side: Side;
  readonly price: number;
  remaining: number;
}

interface Level {
  /** quantity of the orders seen submitted */
  known: number;
  count: number;
  /**
   * the orderbook file's correction of `known`: orders resting before the file started (positive), or known
   * orders that shrank unseen while away from the top (negative); 0 without an orderbook file
   */
  hidden: number;
}

/**
 * The L2 book of one symbol rebuilt from LOBSTER events (lobsterdata.com; the sample's README): submissions,
 * partial cancels, deletions and visible executions change the book; visible and hidden executions are trades,
 * the taker being the other side of the executed order (the execution of a sell limit order is a buyer-initiated
 * trade). Events on orders submitted before the file starts change nothing they cannot (the book never goes
 * below zero) unless `reconcile` learnt those orders from the orderbook file. Pure: rows in, engine-like events
 * out, in file order.
 *
 * A LOBSTER file of level N holds only the events within the top N levels: an order that leaves the top before
 * it is deleted is deleted unseen. So every visible event on a side at price p says the true book has fewer than
 * N levels better than p there, and a submission that rests at p says nothing on the other side crosses it; the
 * levels that contradict it are stale and dropped (`notes.pruned`).
 */
export class LobsterBook {
  readonly notes: LobsterNotes = { unknownOrders: 0, oversized: 0, halts: 0, reconciled: 0, pruned: 0 };
  readonly #orders = new Map<number, RestingOrder>();
  readonly #bids = new Map<number, Level>();
  readonly #asks = new Map<number, Level>();
  #tradeId = 0;

  /** @param depth - the file's LEVEL (`…_message_N.csv`): the book levels its events cover */
  constructor(
    readonly symbol: string,
    readonly depth = 1,
  ) {}

  /** Applies one row; returns the level changes and trades it makes, in order. */
  apply(row: LobsterRow): (LevelEvent | TradeEvent)[] {
    const out: (LevelEvent | TradeEvent)[] = [];
    const side: Side = row.direction === 1 ? 'buy' : 'sell';
    switch (row.type) {
      case 1: {
        this.#orders.set(row.orderId, { side, price: row.price, remaining: row.size });
        const level = this.#level(side, row.price);
        level.known += row.size;
        level.count += 1;
        out.push(this.#levelEvent(row, side, row.price));
        break;
      }
      case 2:
      case 3:
      case 4: {
        if (row.type === 4) out.push(this.#trade(row, side));
        const order = this.#orders.get(row.orderId);
        if (order === undefined) {
          this.notes.unknownOrders++;
          const level = this.#levels(side).get(row.price);
          if (level !== undefined && level.hidden > 0) {
            level.hidden = Math.max(0, level.hidden - row.size);
            out.push(this.#levelEvent(row, side, row.price));
          }
          break;
        }
        const removed = row.type === 3 ? order.remaining : Math.min(row.size, order.remaining);
        if (row.type !== 3 && row.size > order.remaining) this.notes.oversized++;
        order.remaining -= removed;
        const level = this.#level(order.side, order.price);
        level.known -= removed;
        if (order.remaining === 0) {
          this.#orders.delete(row.orderId);
          level.count -= 1;
        }
        out.push(this.#levelEvent(row, order.side, order.price));
        break;
      }
      case 5:
        out.push(this.#trade(row, side));
        break;
      case 7:
        this.notes.halts++;
        break;
    }
    if (row.type >= 1 && row.type <= 4) {
      this.#prune(row, side, row.price, out);
      if (row.type === 1) this.#uncross(row, side, row.price, out);
    }
    return out;
  }

  /** Drops the levels of `side` beyond the `depth - 1` allowed better than `price`. */
  #prune(row: LobsterRow, side: Side, price: number, out: (LevelEvent | TradeEvent)[]): void {
    const better = [...this.#levels(side).keys()].filter((p) => (side === 'buy' ? p > price : p < price));
    if (better.length < this.depth) return;
    better.sort((a, b) => (side === 'buy' ? b - a : a - b));
    for (const p of better.slice(0, better.length - (this.depth - 1))) this.#drop(row, side, p, out);
  }

  /** A resting order at `price` on `side`: the other side's levels that would cross it are stale. */
  #uncross(row: LobsterRow, side: Side, price: number, out: (LevelEvent | TradeEvent)[]): void {
    const other: Side = side === 'buy' ? 'sell' : 'buy';
    for (const p of [...this.#levels(other).keys()]) {
      if (side === 'buy' ? p <= price : p >= price) this.#drop(row, other, p, out);
    }
  }

  #drop(row: LobsterRow, side: Side, price: number, out: (LevelEvent | TradeEvent)[]): void {
    for (const [id, order] of this.#orders)
      if (order.side === side && order.price === price) this.#orders.delete(id);
    this.#levels(side).delete(price);
    this.notes.pruned++;
    out.push({ type: 'level', seq: 0, tsUs: row.tsUs, symbol: this.symbol, side, price, qty: 0, count: 0 });
  }

  /**
   * Makes level 1 agree with a row of the orderbook file (the true best ask/bid and their sizes after the row):
   * the difference at the true best price is resting orders the file never showed submitted. Returns the level
   * changes. `null` price: that side is empty.
   */
  reconcile(
    row: LobsterRow,
    ask: readonly [number, number] | null,
    bid: readonly [number, number] | null,
  ): LevelEvent[] {
    const out: LevelEvent[] = [];
    for (const [side, best] of [
      ['sell', ask],
      ['buy', bid],
    ] as const) {
      // Whatever ranks before the true best (or is on an empty side) was deleted unseen.
      for (const p of [...this.#levels(side).keys()]) {
        if (best === null || (side === 'buy' ? p > best[0] : p < best[0])) this.#drop(row, side, p, out);
      }
      if (best === null) continue;
      const [price, size] = best;
      const level = this.#level(side, price);
      const missing = size - level.known;
      if (missing !== level.hidden) {
        level.hidden = missing;
        this.notes.reconciled++;
        out.push(this.#levelEvent(row, side, price));
      }
    }
    return out as LevelEvent[];
  }

  /** The best level of a side: `[price, qty]`, or null when empty. */
  best(side: Side): readonly [number, number] | null {
    let bestPrice: number | null = null;
    let qty = 0;
    for (const [price, level] of this.#levels(side)) {
      const total = Math.max(0, level.known + level.hidden);
      if (total <= 0) continue;
      if (bestPrice === null || (side === 'buy' ? price > bestPrice : price < bestPrice)) {
        bestPrice = price;
        qty = total;
      }
    }
    return bestPrice === null ? null : [bestPrice, qty];
  }

  #levels(side: Side): Map<number, Level> {
    return side === 'buy' ? this.#bids : this.#asks;
  }

  #level(side: Side, price: number): Level {
    const levels = this.#levels(side);
    let level = levels.get(price);
    if (level === undefined) {
      level = { known: 0, count: 0, hidden: 0 };
      levels.set(price, level);
    }
    return level;
  }

  #levelEvent(row: LobsterRow, side: Side, price: number): LevelEvent {
    const levels = this.#levels(side);
    const level = levels.get(price) as Level;
    const qty = Math.max(0, level.known + level.hidden);
    // Orders that rested before the file count as one, unseen.
    const count = Math.max(0, level.count) + (level.hidden > 0 ? 1 : 0);
    if (qty === 0) levels.delete(price);
    return {
      type: 'level',
      seq: 0,
      tsUs: row.tsUs,
      symbol: this.symbol,
      side,
      price,
      qty,
      count: qty === 0 ? 0 : count,
    };
  }

  #trade(row: LobsterRow, executedSide: Side): TradeEvent {
    return {
      type: 'trade',
      seq: 0,
      tsUs: row.tsUs,
      symbol: this.symbol,
      tradeId: ++this.#tradeId,
      price: row.price,
      qty: row.size,
      takerSide: executedSide === 'buy' ? 'sell' : 'buy',
      makerOrderId: row.orderId,
      takerOrderId: 0,
      makerOwnerId: 0,
      takerOwnerId: 0,
    };
  }
}
