import type { TradeSide } from 'tickwire/client';
import { assert } from './assert.ts';

/** A trade as the tape keeps it (scaled integers, as the feed sends them). */
export interface TapeTrade {
  readonly tradeId: number;
  /** engine time, µs since the epoch */
  readonly tsUs: number;
  readonly price: number;
  readonly qty: number;
  /** the taker's side: `'buy'` a buyer lifted the ask, `'sell'` a seller hit the bid */
  readonly side: TradeSide;
}

/** Trades the tape shows by default. */
export const DEFAULT_TAPE_SIZE = 40;

/**
 * The latest trades in a fixed ring: pushing at any rate keeps memory constant (the page must keep up with
 * bursts without growing).
 */
export class TradeTape {
  readonly capacity: number;
  private readonly ring: (TapeTrade | undefined)[];
  private next = 0;
  private count = 0;
  /** bumped on every change, so a view can tell whether to redraw */
  version = 0;

  constructor(capacity = DEFAULT_TAPE_SIZE) {
    assert(Number.isSafeInteger(capacity) && capacity > 0, `tape capacity ${capacity}`);
    this.capacity = capacity;
    this.ring = new Array<TapeTrade | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(trade: TapeTrade): void {
    this.ring[this.next] = trade;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.version++;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.version++;
  }

  /** The trades, newest first. */
  latest(): TapeTrade[] {
    const out: TapeTrade[] = [];
    for (let k = 1; k <= this.count; k++) {
      out.push(this.ring[(this.next - k + this.capacity) % this.capacity] as TapeTrade);
    }
    return out;
  }
}
