import type { RecordableHistogram } from 'node:perf_hooks';
import { OrderBook } from 'nodejs-order-book';
import { type BookDepth, type BookRunner, countReject, newTally } from './book-runner.ts';

/** `buy` or `sell`: nodejs-order-book's `Side` enum values. */
export type PeerSide = 'buy' | 'sell';

/**
 * Our order id as nodejs-order-book's string id. Prefixed, not `String(id)`: the book keys plain objects by
 * id, and integer-like keys ("123") land in V8's elements store, which made it 20–40% slower on this
 * workload; clients of that library send ids like UUIDs, so the prefix is the fairer (and the conservative)
 * choice for us.
 */
export function peerOrderId(orderId: number): string {
  return `o${orderId}`;
}

/** `ob.limit(...)`: the object is passed as is (`op` is ignored by the book). */
export interface PeerLimitCall {
  readonly op: 'limit';
  /** `peerOrderId(orderId)` */
  readonly id: string;
  readonly side: PeerSide;
  /** lots (the same integer as our `qty`) */
  readonly size: number;
  /** ticks (the same integer as our `price`) */
  readonly price: number;
  readonly timeInForce: 'GTC' | 'IOC' | 'FOK';
}

/** `ob.market(...)`: market orders carry no id in nodejs-order-book. */
export interface PeerMarketCall {
  readonly op: 'market';
  readonly side: PeerSide;
  readonly size: number;
}

/** `ob.cancel(id)`. */
export interface PeerCancelCall {
  readonly op: 'cancel';
  readonly id: string;
}

/** One nodejs-order-book call, equivalent to one of our `Command`s. */
export type PeerCommand = PeerLimitCall | PeerMarketCall | PeerCancelCall;

/** The part of `IProcessOrder` the bench reads. */
interface PeerResult {
  /** `{ code: 1106 }` = FOK not fillable */
  readonly err: { readonly code: number } | null;
  /** the size left unfilled (resting, for a GTC limit; expired, for IOC and market) */
  readonly quantityLeft: number;
}

/**
 * The slice of nodejs-order-book 10.1.1's `OrderBook` the bench calls, with string-literal sides instead of
 * its `Side` enum. Assigning `new OrderBook()` to it below checks it against the package's own types.
 */
interface PeerBook {
  limit(options: {
    id: string;
    side: PeerSide;
    size: number;
    price: number;
    timeInForce?: 'GTC' | 'IOC' | 'FOK';
  }): PeerResult;
  market(options: { side: PeerSide; size: number }): PeerResult;
  /** the removed order, or undefined when no order has this id */
  cancel(orderId: string): object | undefined;
  /** `[asks, bids]`, each `[price, volume]` best first */
  depth(): [Array<[number, number]>, Array<[number, number]>];
}

/** nodejs-order-book's error codes the workload can meet, mapped onto our reject codes. */
const PEER_ERROR_CODES: Readonly<Record<number, string>> = { 1106: 'FOK_NOT_FILLABLE' };

/** A fresh nodejs-order-book (journaling off) driven by pre-generated calls. */
export class PeerRunner implements BookRunner {
  readonly name = 'nodejs-order-book';
  readonly tally = newTally();
  private readonly book: PeerBook = new OrderBook();

  constructor(private readonly commands: readonly PeerCommand[]) {}

  run(from: number, to: number): void {
    const commands = this.commands;
    for (let i = from; i < to; i++) this.apply(commands[i] as PeerCommand);
  }

  runRecorded(from: number, to: number, histogram: RecordableHistogram): void {
    const commands = this.commands;
    for (let i = from; i < to; i++) {
      const c = commands[i] as PeerCommand;
      const t0 = process.hrtime.bigint();
      this.apply(c);
      const ns = process.hrtime.bigint() - t0;
      histogram.record(ns > 0n ? ns : 1n);
    }
  }

  depth(): BookDepth {
    const [asks, bids] = this.book.depth();
    return { bids, asks };
  }

  /** Calls the book and reads its answer, as a client would (the tally doubles as the equivalence check). */
  private apply(c: PeerCommand): void {
    switch (c.op) {
      case 'limit':
        this.settle(c.size, this.book.limit(c));
        break;
      case 'market':
        this.settle(c.size, this.book.market(c));
        break;
      case 'cancel':
        if (this.book.cancel(c.id) === undefined) countReject(this.tally, 'UNKNOWN_ORDER_ID');
        break;
    }
  }

  private settle(size: number, r: PeerResult): void {
    if (r.err === null) this.tally.tradedQty += size - r.quantityLeft;
    else countReject(this.tally, PEER_ERROR_CODES[r.err.code] ?? `peer_${r.err.code}`);
  }
}
