import type { Side } from './commands.ts';
import type { DoneReason, EngineEvent } from './events.ts';
import type { Order, PriceLevel } from './price-level.ts';

/** Where a book sends its events: the engine, which owns the sequence and the command's timestamp. */
export interface EventOut {
  /** timestamp of the command being processed */
  readonly tsUs: number;
  /** the next engine sequence number */
  nextSeq(): number;
  emit(event: EngineEvent): void;
}

/**
 * The events of one book, built and sent to the engine: `OrderBook` decides what happened, this writes it down.
 * Each event's fields are set in one fixed order, the order recorded logs and their hashes have.
 */
export class BookEvents {
  constructor(
    private readonly out: EventOut,
    private readonly symbol: string,
  ) {}

  /** An order (new, and valid for the book) is accepted, with its effective tif. */
  accepted(order: Order): void {
    const out = this.out;
    out.emit({
      type: 'accepted',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      orderId: order.id,
      ownerId: order.ownerId,
      side: order.side,
      orderType: order.orderType,
      price: order.price,
      stopPrice: order.stopPrice,
      qty: order.qty,
      tif: order.tif,
      postOnly: order.postOnly,
    });
  }

  /** `taker` traded `qty` with `maker` at `price` (the maker's level). */
  trade(tradeId: number, price: number, qty: number, taker: Order, maker: Order): void {
    const out = this.out;
    out.emit({
      type: 'trade',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      tradeId,
      price,
      qty,
      takerSide: taker.side,
      makerOrderId: maker.id,
      takerOrderId: taker.id,
      makerOwnerId: maker.ownerId,
      takerOwnerId: taker.ownerId,
    });
  }

  /** An order ended, `remainingQty` of it unfilled. */
  done(order: Order, reason: DoneReason, remainingQty: number): void {
    const out = this.out;
    out.emit({
      type: 'done',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      orderId: order.id,
      ownerId: order.ownerId,
      side: order.side,
      reason,
      remainingQty,
    });
  }

  /** An order's price or open quantity changed (a modify, or a self-trade decrement). */
  modified(order: Order, priorityKept: boolean): void {
    const out = this.out;
    out.emit({
      type: 'modified',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      orderId: order.id,
      side: order.side,
      price: order.price,
      qty: order.qty,
      priorityKept,
    });
  }

  /** A pending stop's condition held; it now works as a market or limit order. */
  triggered(stop: Order): void {
    const out = this.out;
    out.emit({
      type: 'triggered',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      orderId: stop.id,
      side: stop.side,
      stopPrice: stop.stopPrice,
    });
  }

  /** The aggregate of one level after a command; `undefined` when the level is gone (0 / 0). */
  level(side: Side, price: number, level: PriceLevel | undefined): void {
    const out = this.out;
    out.emit({
      type: 'level',
      seq: out.nextSeq(),
      tsUs: out.tsUs,
      symbol: this.symbol,
      side,
      price,
      qty: level === undefined ? 0 : level.qty,
      count: level === undefined ? 0 : level.count,
    });
  }
}
