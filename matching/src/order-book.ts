import { assert } from './assert.ts';
import { BookEvents, type EventOut } from './book-events.ts';
import { BookSide } from './book-side.ts';
import {
  type BookContents,
  bookStateText,
  type L2Snapshot,
  type L3Snapshot,
  l2Snapshot,
  l3Snapshot,
} from './book-snapshot.ts';
import type { ModifyCommand, NewOrderCommand, Side, StpMode } from './commands.ts';
import type { DoneReason } from './events.ts';
import type { Instrument } from './instrument.ts';
import type { OrderPool } from './order-pool.ts';
import type { Order, PriceLevel } from './price-level.ts';
import type { RejectCode } from './reject-codes.ts';
import { TouchedLevels } from './touched-levels.ts';

/**
 * The price-time priority limit order book of one instrument. It trusts its caller (`MatchingEngine`) to
 * have checked every field of a command against the instrument; it makes the checks that need the book.
 * See matching/README.md for the rules this implements.
 */
export class OrderBook {
  readonly bids = new BookSide('buy');
  readonly asks = new BookSide('sell');
  /** last trade price; 0 before the first trade */
  lastPrice = 0;
  private tradeId = 0;
  private readonly resting = new Map<number, Order>();
  /** pending stops by id; a Map iterates in insertion (= acceptance) order and deletes in O(1) */
  private readonly stops = new Map<number, Order>();
  private tradedSinceStopCheck = false;
  /** levels touched by the current command, flushed as `level` events */
  private readonly touched = new TouchedLevels();
  private readonly events: BookEvents;

  constructor(
    readonly instrument: Instrument,
    out: EventOut,
    private readonly pool: OrderPool,
  ) {
    this.events = new BookEvents(out, instrument.symbol);
  }

  /** Handles a new order whose fields are valid. Returns a reject code, or null once accepted. */
  submitNew(cmd: NewOrderCommand): RejectCode | null {
    if (this.resting.has(cmd.orderId) || this.stops.has(cmd.orderId)) return 'DUPLICATE_ORDER_ID';
    const { side, orderType } = cmd;
    const tif = orderType === 'market' || orderType === 'stop_market' ? 'IOC' : (cmd.tif ?? 'GTC');
    const price = cmd.price ?? 0;
    const stp = cmd.stp ?? 'cancel_newest';
    const against = side === 'buy' ? this.asks : this.bids;
    const best = against.best();
    if (orderType === 'stop_market' || orderType === 'stop_limit') {
      const stop = cmd.stopPrice ?? 0;
      const last = this.lastPrice;
      if (last !== 0 && (side === 'buy' ? last >= stop : last <= stop)) return 'STOP_WOULD_TRIGGER';
    } else if (orderType === 'market') {
      if (best === undefined) return 'NO_LIQUIDITY';
    } else {
      if (cmd.postOnly === true && best !== undefined && this.crosses(side, price, best.price)) {
        return 'POST_ONLY_WOULD_CROSS';
      }
      if (tif === 'FOK' && !this.canFill(side, price, cmd.qty, cmd.ownerId, stp)) return 'FOK_NOT_FILLABLE';
      if (tif === 'GTC' && this.levelWouldOverflow(side, price, cmd.qty)) return 'OUT_OF_RANGE';
    }

    const order = this.pool.acquire();
    order.id = cmd.orderId;
    order.ownerId = cmd.ownerId;
    order.side = side;
    order.orderType = orderType;
    order.price = price;
    order.stopPrice = cmd.stopPrice ?? 0;
    order.qty = cmd.qty;
    order.tif = tif;
    order.postOnly = cmd.postOnly === true;
    order.stp = stp;
    this.events.accepted(order);
    if (orderType === 'stop_market' || orderType === 'stop_limit') {
      this.stops.set(order.id, order);
    } else {
      this.execute(order);
    }
    this.triggerStops();
    return null;
  }

  /** Cancels an open order (resting or pending stop). */
  cancel(orderId: number, reason: 'cancelled' | 'mass_cancelled' = 'cancelled'): RejectCode | null {
    const order = this.resting.get(orderId);
    if (order !== undefined) {
      this.unrest(order);
      this.finish(order, reason, order.qty);
      return null;
    }
    const stop = this.stops.get(orderId);
    if (stop === undefined) return 'UNKNOWN_ORDER_ID';
    this.stops.delete(orderId);
    this.finish(stop, reason, stop.qty);
    return null;
  }

  /** Cancels every open order of one owner: bids best first, then asks, then stops in acceptance order. */
  massCancel(ownerId: number): void {
    const ids: number[] = [];
    for (const side of [this.bids, this.asks]) {
      for (const level of side.bestFirst()) {
        for (let o = level.head; o !== null; o = o.next) if (o.ownerId === ownerId) ids.push(o.id);
      }
    }
    for (const s of this.stops.values()) if (s.ownerId === ownerId) ids.push(s.id);
    for (const id of ids) this.cancel(id, 'mass_cancelled');
  }

  /** Modifies a resting limit order whose new fields are valid. Returns a reject code, or null once done. */
  modify(cmd: ModifyCommand): RejectCode | null {
    const order = this.resting.get(cmd.orderId);
    if (order === undefined) return this.stops.has(cmd.orderId) ? 'NOT_MODIFIABLE' : 'UNKNOWN_ORDER_ID';
    const price = cmd.price ?? order.price;
    const qty = cmd.qty ?? order.qty;
    const level = order.level;
    assert(level !== null, 'a resting order has a level');
    if (price === order.price && qty <= order.qty) {
      if (qty !== order.qty) {
        level.qty -= order.qty - qty;
        order.qty = qty;
        this.touched.touch(order.side, price);
      }
      this.events.modified(order, true);
      return null;
    }
    const best = (order.side === 'buy' ? this.asks : this.bids).best();
    const crossing = best !== undefined && this.crosses(order.side, price, best.price);
    if (crossing && order.postOnly) return 'POST_ONLY_WOULD_CROSS';
    if (this.levelWouldOverflow(order.side, price, price === order.price ? qty - order.qty : qty)) {
      return 'OUT_OF_RANGE';
    }
    this.unrest(order);
    order.price = price;
    order.qty = qty;
    this.events.modified(order, false);
    this.execute(order);
    this.triggerStops();
    return null;
  }

  /** Emits one `level` event per level the command touched, then forgets them. */
  flushLevels(): void {
    const touched = this.touched;
    const n = touched.take();
    for (let i = 0; i < n; i++) {
      const side = touched.sideAt(i);
      const price = touched.priceAt(i);
      this.events.level(side, price, (side === 'buy' ? this.bids : this.asks).get(price));
    }
  }

  hasOpenOrder(orderId: number): boolean {
    return this.resting.has(orderId) || this.stops.has(orderId);
  }

  /** Number of open orders (resting and pending stops). */
  get openOrders(): number {
    return this.resting.size + this.stops.size;
  }

  l2(depth = Number.POSITIVE_INFINITY): L2Snapshot {
    return l2Snapshot(this.contents(), depth);
  }

  l3(): L3Snapshot {
    return l3Snapshot(this.contents());
  }

  /** A canonical text of the whole state, for the engine's state hash. */
  stateText(): string {
    return bookStateText(this.contents());
  }

  private contents(): BookContents {
    const { bids, asks, stops, lastPrice, tradeId } = this;
    return { symbol: this.instrument.symbol, bids, asks, stops, lastPrice, tradeId };
  }

  private crosses(side: Side, price: number, against: number): boolean {
    return side === 'buy' ? price >= against : price <= against;
  }

  /**
   * Fill-or-kill check: can `qty` be filled now at `limit` or better, walking makers in priority order? Own
   * orders are skipped under `cancel_oldest` (they would be cancelled); under the other preventing modes
   * reaching one first makes the order not fillable.
   */
  private canFill(side: Side, limit: number, qty: number, ownerId: number, stp: StpMode): boolean {
    let need = qty;
    for (const level of (side === 'buy' ? this.asks : this.bids).bestFirst()) {
      if (limit !== 0 && !this.crosses(side, limit, level.price)) return false;
      if (stp === 'none') {
        need -= level.qty;
        if (need <= 0) return true;
        continue;
      }
      for (let o = level.head; o !== null; o = o.next) {
        if (o.ownerId === ownerId) {
          if (stp === 'cancel_oldest') continue;
          return false;
        }
        need -= o.qty;
        if (need <= 0) return true;
      }
    }
    return false;
  }

  /**
   * Runs an accepted (or modified, or triggered) order as a taker, then rests or ends its remainder. `order`
   * is in no level and in no map when this is called.
   */
  private execute(order: Order): void {
    const isMarket = order.orderType === 'market' || order.orderType === 'stop_market';
    if (order.tif === 'FOK' && !this.canFill(order.side, order.price, order.qty, order.ownerId, order.stp)) {
      // Only a triggered stop-limit reaches here unfillable: a new FOK was rejected before acceptance.
      this.finish(order, 'expired', order.qty);
      return;
    }
    if (!this.match(order)) return;
    if (order.qty === 0) this.finish(order, 'filled', 0);
    else if (isMarket || order.tif !== 'GTC') this.finish(order, 'expired', order.qty);
    // Only a triggered stop-limit can get here with a level that cannot take it (new orders and modifies were
    // refused before acceptance): it expires rather than make the level's total inexact.
    else if (this.levelWouldOverflow(order.side, order.price, order.qty))
      this.finish(order, 'expired', order.qty);
    else this.rest(order);
  }

  /**
   * Matches a taker against the opposite side. Returns false when self-trade prevention ended the taker
   * (its `done` already emitted), true otherwise with `order.qty` left open.
   */
  private match(taker: Order): boolean {
    const side = taker.side;
    const against = side === 'buy' ? this.asks : this.bids;
    const limit = taker.price;
    const events = this.events;
    const stp = taker.stp;
    while (taker.qty > 0) {
      const level = against.best();
      if (level === undefined) break;
      if (limit !== 0 && (side === 'buy' ? limit < level.price : limit > level.price)) break;
      let maker = level.head;
      while (maker !== null && taker.qty > 0) {
        const next = maker.next;
        if (maker.ownerId === taker.ownerId && stp !== 'none') {
          if (!this.preventSelfTrade(taker, maker, level)) {
            if (level.count === 0) against.removeLevel(level);
            return false;
          }
          maker = next;
          continue;
        }
        const fill = Math.min(maker.qty, taker.qty);
        maker.qty -= fill;
        level.qty -= fill;
        taker.qty -= fill;
        this.touched.touch(against.side, level.price);
        this.lastPrice = level.price;
        this.tradedSinceStopCheck = true;
        events.trade(++this.tradeId, level.price, fill, taker, maker);
        if (maker.qty === 0) {
          this.unrestKeepLevel(maker, level);
          this.finish(maker, 'filled', 0);
        }
        maker = next;
      }
      if (level.count === 0) against.removeLevel(level);
    }
    return true;
  }

  /**
   * Applies the taker's STP mode to a self-match with `maker`. Returns false when the taker has ended.
   * The caller removes `level` if it became empty.
   */
  private preventSelfTrade(taker: Order, maker: Order, level: PriceLevel): boolean {
    switch (taker.stp) {
      case 'cancel_oldest':
        this.unrestKeepLevel(maker, level);
        this.finish(maker, 'stp', maker.qty);
        return true;
      case 'cancel_both':
        this.unrestKeepLevel(maker, level);
        this.finish(maker, 'stp', maker.qty);
        this.finish(taker, 'stp', taker.qty);
        return false;
      case 'decrement_cancel': {
        const d = Math.min(maker.qty, taker.qty);
        if (maker.qty === d) {
          this.unrestKeepLevel(maker, level);
          this.finish(maker, 'stp', d);
        } else {
          maker.qty -= d;
          level.qty -= d;
          this.touched.touch(maker.side, level.price);
          this.events.modified(maker, true);
        }
        if (taker.qty === d) {
          this.finish(taker, 'stp', d);
          return false;
        }
        taker.qty -= d;
        this.events.modified(taker, true);
        return true;
      }
      default:
        this.finish(taker, 'stp', taker.qty);
        return false;
    }
  }

  /**
   * Triggers pending stops, oldest accepted first, re-checking after each one's trades (which move the last
   * price). Each trigger rescans from the oldest stop: O(stops) per trigger, fine for the stops a book holds.
   */
  private triggerStops(): void {
    const stops = this.stops;
    while (this.tradedSinceStopCheck && stops.size > 0) {
      this.tradedSinceStopCheck = false;
      for (;;) {
        const last = this.lastPrice;
        let stop: Order | undefined;
        for (const s of stops.values()) {
          if (s.side === 'buy' ? last >= s.stopPrice : last <= s.stopPrice) {
            stop = s;
            break;
          }
        }
        if (stop === undefined) break;
        stops.delete(stop.id);
        this.events.triggered(stop);
        if (
          stop.orderType === 'stop_market' &&
          (stop.side === 'buy' ? this.asks : this.bids).best() === undefined
        ) {
          this.finish(stop, 'expired', stop.qty);
        } else {
          this.execute(stop);
        }
      }
    }
    this.tradedSinceStopCheck = false;
  }

  /**
   * True when resting `qty` more at `price` would take the level's aggregate past 2^53, where a JS number stops
   * being exact. Each quantity is below 2^50, but a level can hold any number of orders.
   */
  private levelWouldOverflow(side: Side, price: number, qty: number): boolean {
    const level = (side === 'buy' ? this.bids : this.asks).get(price);
    return level !== undefined && level.qty + qty > Number.MAX_SAFE_INTEGER;
  }

  private rest(order: Order): void {
    (order.side === 'buy' ? this.bids : this.asks).getOrCreate(order.price).append(order);
    this.resting.set(order.id, order);
    this.touched.touch(order.side, order.price);
  }

  /** Takes a resting order out of its level and the id map; removes the level if it empties. */
  private unrest(order: Order): void {
    const level = order.level;
    assert(level !== null, 'a resting order has a level');
    this.unrestKeepLevel(order, level);
    if (level.count === 0) (order.side === 'buy' ? this.bids : this.asks).removeLevel(level);
  }

  /** Like `unrest`, but leaves an emptied level for the matching loop to remove. */
  private unrestKeepLevel(order: Order, level: PriceLevel): void {
    level.remove(order);
    this.resting.delete(order.id);
    this.touched.touch(order.side, level.price);
  }

  /** Emits `done` and returns the order to the pool. */
  private finish(order: Order, reason: DoneReason, remainingQty: number): void {
    this.events.done(order, reason, remainingQty);
    this.pool.release(order);
  }
}
