import type { BookFields, BookLevel } from '../protocol/index.ts';
import type { DepthBookFrame } from './depth-book.ts';

/**
 * What the subscribers of one conflated book channel (`book:SYM:D@Nms`) hold: the levels of the last update the
 * channel published. Its next update is the net change from that state to the book's current one (PROTOCOL.md §4),
 * and its snapshot is that state, so a snapshot and the updates after it always agree.
 */
export class ConflatedBook {
  #bids: readonly BookLevel[];
  #asks: readonly BookLevel[];
  #checksum: number;
  #tsUs: number;

  /** @param initial - the book at `depth` when the channel starts */
  constructor(initial: DepthBookFrame, tsUs: number) {
    this.#bids = initial.bids;
    this.#asks = initial.asks;
    this.#checksum = initial.checksum;
    this.#tsUs = tsUs;
  }

  /** The state subscribers hold, as snapshot data `[checksum, bids, asks]`, and the time of the last update. */
  held(): { readonly tsUs: number; readonly data: BookFields } {
    return { tsUs: this.#tsUs, data: [this.#checksum, this.#bids, this.#asks] };
  }

  /**
   * The net change to `current` (the book at the channel's depth now), as update fields, and makes `current` the
   * held state; `null` when nothing changed.
   */
  advance(current: DepthBookFrame, tsUs: number): BookFields | null {
    const bids = diffSide(this.#bids, current.bids, true);
    const asks = diffSide(this.#asks, current.asks, false);
    if (bids.length === 0 && asks.length === 0) return null;
    this.#bids = current.bids;
    this.#asks = current.asks;
    this.#checksum = current.checksum;
    this.#tsUs = tsUs;
    return [current.checksum, bids, asks];
  }
}

/** Changed and new levels of `now`, and removed levels of `before` (qty 0, count 0), best first. */
function diffSide(before: readonly BookLevel[], now: readonly BookLevel[], descending: boolean): BookLevel[] {
  const old = new Map<number, BookLevel>();
  for (const level of before) old.set(level[0], level);
  const out: BookLevel[] = [];
  for (const level of now) {
    const was = old.get(level[0]);
    if (was === undefined || was[1] !== level[1] || was[2] !== level[2]) out.push(level);
    old.delete(level[0]);
  }
  for (const price of old.keys()) out.push([price, 0, 0]);
  return out.sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
}
