import { type BookDepth, type BookLevel, bookChecksum } from '../protocol/index.ts';
import type { BookState, DecimalBookLevel, Scales } from './market-data.ts';
import { formatScaled } from './scaled-decimal.ts';

/** Index of `price` in `levels` (best first), or of where it would be inserted. */
function lowerBound(levels: readonly BookLevel[], price: number, descending: boolean): number {
  let lo = 0;
  let hi = levels.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = (levels[mid] as BookLevel)[0];
    if (descending ? p > price : p < price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sets one level of a side (best first); qty 0 removes it. Module function: no closure per update. */
function setLevel(levels: BookLevel[], level: BookLevel, descending: boolean): void {
  const price = level[0];
  const at = lowerBound(levels, price, descending);
  const found = at < levels.length && (levels[at] as BookLevel)[0] === price;
  if (level[1] === 0) {
    if (found) levels.splice(at, 1);
  } else if (found) {
    levels[at] = level;
  } else {
    levels.splice(at, 0, level);
  }
}

/** A side's levels as exact decimal strings; throws when the book was made without scales. */
function decimalLevels(levels: readonly BookLevel[], scales: Scales | undefined): DecimalBookLevel[] {
  if (scales === undefined) throw new RangeError('this book was made without scales: no decimal levels');
  const out: DecimalBookLevel[] = new Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as BookLevel;
    out[i] = [formatScaled(l[0], scales.priceScale), formatScaled(l[1], scales.qtyScale), l[2]];
  }
  return out;
}

function byPriceDescending(a: BookLevel, b: BookLevel): number {
  return b[0] - a[0];
}

function byPriceAscending(a: BookLevel, b: BookLevel): number {
  return a[0] - b[0];
}

/**
 * The book as of one moment, as a book event carries it: its level arrays are never changed afterwards (the
 * `LocalBook` copies a side before changing it once a view of it was handed out), so a consumer that reads the
 * event later, or keeps it, reads the book as of that event.
 */
class BookView implements BookState {
  readonly #scales: Scales | undefined;
  #bidsDecimal: readonly DecimalBookLevel[] | undefined;
  #asksDecimal: readonly DecimalBookLevel[] | undefined;

  constructor(
    readonly depth: BookDepth,
    readonly bids: readonly BookLevel[],
    readonly asks: readonly BookLevel[],
    scales: Scales | undefined,
  ) {
    this.#scales = scales;
    Object.freeze(this);
  }

  // Cached: a view never changes, and a reader of a ladder reads each side once per render or more.
  get bidsDecimal(): readonly DecimalBookLevel[] {
    this.#bidsDecimal ??= decimalLevels(this.bids, this.#scales);
    return this.#bidsDecimal;
  }

  get asksDecimal(): readonly DecimalBookLevel[] {
    this.#asksDecimal ??= decimalLevels(this.asks, this.#scales);
    return this.#asksDecimal;
  }

  checksum(): number {
    return bookChecksum(this.bids, this.asks);
  }

  toSnapshot(): { bids: BookLevel[]; asks: BookLevel[] } {
    return { bids: this.bids.slice(), asks: this.asks.slice() };
  }
}

/**
 * The L2 book of one `book` channel, kept from its snapshot and updates (PROTOCOL.md §4, §11): levels best
 * first, an update's level with qty 0 removes it, any other replaces or inserts it. A finite depth keeps
 * at most that many levels per side. Pure data: the client verifies `checksum()` against the server's after
 * every update (§12).
 *
 * `view()` hands out the book as it is now, immutable. It costs no copy: the arrays are shared, and the next
 * change of a shared side copies that side first (copy-on-write; a level tuple is never changed in place, so
 * the copy is of pointers, and only the side an update touches is copied).
 *
 * With the instrument's `scales`, `bidsDecimal` / `asksDecimal` give the levels as exact decimal strings.
 *
 * @example
 * ```ts
 * const book = new LocalBook(10, { priceScale: 2, qtyScale: 5 });
 * book.reset([[6500100, 250, 1]], [[6500125, 1500, 2]]);
 * const before = book.view();
 * book.apply([], [[6500125, 0, 0]]); // the best ask is gone
 * book.checksum(); // compare with the update's checksum
 * before.asks.length; // still 1
 * ```
 */
export class LocalBook implements BookState {
  readonly depth: BookDepth;
  /**
   * the instrument's scales, for the decimal levels (undefined: none, reading them throws); may be set later,
   * when they become known: views made from then on carry them
   */
  scales: Scales | undefined;
  private bidLevels: BookLevel[] = [];
  private askLevels: BookLevel[] = [];
  /** whether a view holds `bidLevels` / `askLevels`: the next change of that side copies it first */
  private bidsShared = false;
  private asksShared = false;

  constructor(depth: BookDepth = 'full', scales?: Scales) {
    this.depth = depth;
    this.scales = scales;
  }

  get bids(): readonly BookLevel[] {
    return this.bidLevels;
  }

  get asks(): readonly BookLevel[] {
    return this.askLevels;
  }

  /** The bids as exact decimal strings, formatted now (a `view()` caches them). */
  get bidsDecimal(): readonly DecimalBookLevel[] {
    return decimalLevels(this.bidLevels, this.scales);
  }

  /** The asks as exact decimal strings, formatted now (a `view()` caches them). */
  get asksDecimal(): readonly DecimalBookLevel[] {
    return decimalLevels(this.askLevels, this.scales);
  }

  /** The book as it is now; later changes of this book do not show in it. */
  view(): BookState {
    this.bidsShared = true;
    this.asksShared = true;
    return new BookView(this.depth, this.bidLevels, this.askLevels, this.scales);
  }

  /** Replaces the whole book with a snapshot's levels (any order; levels with qty 0 are dropped). */
  reset(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.bidLevels = [];
    this.askLevels = [];
    this.bidsShared = false;
    this.asksShared = false;
    for (const l of bids) if (l[1] !== 0) this.bidLevels.push(l);
    for (const l of asks) if (l[1] !== 0) this.askLevels.push(l);
    this.bidLevels.sort(byPriceDescending);
    this.askLevels.sort(byPriceAscending);
    this.trim();
  }

  /** Applies an update's changed levels: qty 0 removes a level, anything else sets it. */
  apply(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    if (bids.length > 0) {
      if (this.bidsShared) {
        this.bidLevels = this.bidLevels.slice();
        this.bidsShared = false;
      }
      for (let i = 0; i < bids.length; i++) setLevel(this.bidLevels, bids[i] as BookLevel, true);
    }
    if (asks.length > 0) {
      if (this.asksShared) {
        this.askLevels = this.askLevels.slice();
        this.asksShared = false;
      }
      for (let i = 0; i < asks.length; i++) setLevel(this.askLevels, asks[i] as BookLevel, false);
    }
    this.trim();
  }

  /** Empties the book (after a `reset` message, until the next snapshot). */
  clear(): void {
    this.reset([], []);
  }

  checksum(): number {
    return bookChecksum(this.bidLevels, this.askLevels);
  }

  toSnapshot(): { bids: BookLevel[]; asks: BookLevel[] } {
    return { bids: this.bidLevels.slice(), asks: this.askLevels.slice() };
  }

  // The server sends levels leaving the window as removals; trimming only bounds memory should one be lost
  // (a lost removal below the top 10 would not show in the checksum). Trimming a shared side happens only
  // right after it was copied by `apply`.
  private trim(): void {
    if (this.depth === 'full') return;
    if (this.bidLevels.length > this.depth) this.bidLevels.length = this.depth;
    if (this.askLevels.length > this.depth) this.askLevels.length = this.depth;
  }
}
