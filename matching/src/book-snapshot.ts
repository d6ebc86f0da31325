import type { BookSide } from './book-side.ts';
import type { Side } from './commands.ts';
import type { Order } from './price-level.ts';

/** One resting order as `l3()` shows it. */
export interface L3Order {
  readonly orderId: number;
  readonly ownerId: number;
  readonly qty: number;
}

/** One price level with its queue, oldest first. */
export interface L3Level {
  readonly price: number;
  readonly orders: readonly L3Order[];
}

/** A pending stop order. */
export interface L3Stop {
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  readonly orderType: 'stop_market' | 'stop_limit';
  readonly stopPrice: number;
  /** limit price (stop-limit) or protection price (stop-market), 0 = none */
  readonly price: number;
  readonly qty: number;
  readonly tif: 'GTC' | 'IOC' | 'FOK';
}

/** Every open order of an instrument: levels best first, stops in acceptance order. */
export interface L3Snapshot {
  readonly bids: readonly L3Level[];
  readonly asks: readonly L3Level[];
  readonly stops: readonly L3Stop[];
}

/** `[price, qty, count]` of one level. */
export type L2Level = readonly [price: number, qty: number, count: number];

/** Aggregated levels, best first. */
export interface L2Snapshot {
  readonly bids: readonly L2Level[];
  readonly asks: readonly L2Level[];
}

/** What the snapshots and the state text read of one book. */
export interface BookContents {
  readonly symbol: string;
  readonly bids: BookSide;
  readonly asks: BookSide;
  /** pending stops by id, in acceptance order */
  readonly stops: ReadonlyMap<number, Order>;
  /** 0 before the first trade */
  readonly lastPrice: number;
  /** the last trade id given (0 before the first) */
  readonly tradeId: number;
}

/** Aggregated levels of a book, best first, up to `depth` per side. */
export function l2Snapshot(book: BookContents, depth: number): L2Snapshot {
  const levels = (side: BookSide): L2Level[] =>
    Array.from(side.bestFirst(depth), (l): L2Level => [l.price, l.qty, l.count]);
  return { bids: levels(book.bids), asks: levels(book.asks) };
}

/** Every open order of a book: levels best first with their queues, then the pending stops. */
export function l3Snapshot(book: BookContents): L3Snapshot {
  const levels = (side: BookSide): L3Level[] =>
    Array.from(side.bestFirst(), (l) => {
      const orders: L3Order[] = [];
      for (let o = l.head; o !== null; o = o.next)
        orders.push({ orderId: o.id, ownerId: o.ownerId, qty: o.qty });
      return { price: l.price, orders };
    });
  const stops = Array.from(
    book.stops.values(),
    (s): L3Stop => ({
      orderId: s.id,
      ownerId: s.ownerId,
      side: s.side,
      orderType: s.orderType as L3Stop['orderType'],
      stopPrice: s.stopPrice,
      price: s.price,
      qty: s.qty,
      tif: s.tif,
    }),
  );
  return { bids: levels(book.bids), asks: levels(book.asks), stops };
}

/**
 * A canonical text of the whole state of a book, for the engine's state hash: every field that affects
 * matching, each order in queue order. Recorded sessions hold hashes of it: a change here breaks them all.
 */
export function bookStateText(book: BookContents): string {
  const parts: string[] = [`${book.symbol}|last=${book.lastPrice}|trade=${book.tradeId}`];
  for (const side of [book.bids, book.asks]) {
    parts.push(side.side);
    for (const l of side.bestFirst()) {
      parts.push(`@${l.price}`);
      for (let o = l.head; o !== null; o = o.next) {
        parts.push(`${o.id},${o.ownerId},${o.qty},${o.stp},${o.postOnly ? 1 : 0}`);
      }
    }
  }
  parts.push('stops');
  for (const s of book.stops.values()) {
    parts.push(
      `${s.id},${s.ownerId},${s.side},${s.orderType},${s.stopPrice},${s.price},${s.qty},${s.tif},${s.stp}`,
    );
  }
  return parts.join('\n');
}
