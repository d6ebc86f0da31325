import type { LevelEvent, Side } from '../../../matching/src/index.ts';
import {
  BOOK_DEPTHS,
  type BookDepth,
  type BookLevel,
  CHECKSUM_DEPTH,
  crc32Ascii,
} from '../protocol/index.ts';
import { type Aggregate, LadderSide } from './ladder-side.ts';

/**
 * Levels of one book side, or of both, best first, with the §12 checksum of the top 10 levels per side.
 * As a snapshot: every level of the depth. As an update: only the changed levels, `qty` 0 and `count` 0 for a
 * level the subscriber must remove.
 */
export interface DepthBookFrame {
  /** bid levels `[price, qty, count]` (scaled integers), best (highest) first */
  readonly bids: readonly BookLevel[];
  /** ask levels `[price, qty, count]` (scaled integers), best (lowest) first */
  readonly asks: readonly BookLevel[];
  /** §12 CRC-32 of the top 10 asks and bids of the whole book after the change */
  readonly checksum: number;
}

/** What subscribers of a finite depth hold on one side, as of the last `diff`: its levels, best first. */
interface WindowSent {
  readonly prices: Float64Array;
  readonly qtys: Float64Array;
  readonly counts: Float64Array;
  /** levels held */
  n: number;
  /** whether an applied event may have changed the window since the last `diff` */
  dirty: boolean;
}

/** For depth `full`: each price touched since the last `diff`, with its aggregate at that `diff` (undefined = absent). */
type TouchedSince = Map<number, Aggregate | undefined>;

type FiniteDepth = Exclude<BookDepth, 'full'>;
const FINITE_DEPTHS = BOOK_DEPTHS.filter((d): d is FiniteDepth => d !== 'full');

const sameAggregate = (a: Aggregate | undefined, b: Aggregate | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);

/**
 * The L2 book of one symbol, fed by the engine's `level` events, and the `book:SYMBOL:DEPTH` channel data (§4,
 * §11) for depths 10, 50 and `full`: snapshots, and per-depth updates as a subscriber of that depth sees them.
 * Pure: no sockets, no clock.
 *
 * Each depth keeps what its subscribers were last sent, so `diff(10)`, `diff(50)` and `diff('full')` are
 * independent: each returns the change since its own previous call. Contract: after `apply`, call `diff` for
 * every depth before taking a `snapshot` of it (the server does both per engine command), so a snapshot is
 * exactly what the depth's subscribers hold; a snapshot taken with changes still pending can hold a level that
 * appeared and vanished again before the next `diff`, which that diff never mentions.
 *
 * @example
 * const view = new DepthBook('BTC-USD');
 * view.apply(levelEventsOfOneCommand);
 * const update = view.diff(10); // null when nothing in the top 10 changed
 */
export class DepthBook {
  private readonly bids = new LadderSide(true);
  private readonly asks = new LadderSide(false);
  private readonly windows = new Map<FiniteDepth, { readonly bids: WindowSent; readonly asks: WindowSent }>(
    FINITE_DEPTHS.map((d) => [d, { bids: emptyWindow(d), asks: emptyWindow(d) }]),
  );
  private readonly touchedBids: TouchedSince = new Map();
  private readonly touchedAsks: TouchedSince = new Map();
  /** the §12 checksum of the current book; undefined once `apply` changed it (computed once per change, not per depth) */
  private cachedChecksum: number | undefined = undefined;

  /** @param symbol the instrument this view holds; events of other symbols are a wiring bug and throw */
  constructor(readonly symbol: string) {}

  /** Applies one engine command's `level` events (in engine order) to the book. */
  apply(events: readonly LevelEvent[]): void {
    if (events.length > 0) this.cachedChecksum = undefined;
    for (const e of events) {
      if (e.symbol !== this.symbol) {
        throw new Error(`DepthBook(${this.symbol}) got a level event of ${e.symbol}`);
      }
      const side = this.side(e.side);
      const touched = e.side === 'buy' ? this.touchedBids : this.touchedAsks;
      if (!touched.has(e.price)) touched.set(e.price, side.levels.get(e.price));
      for (const depth of FINITE_DEPTHS) {
        const w = this.window(depth, e.side);
        // A level ranked after a full window's worst level cannot change what the window shows.
        if (w.n < depth || !side.better(w.prices[w.n - 1] as number, e.price)) w.dirty = true;
      }
      side.set(e.price, e.qty, e.count);
    }
  }

  /**
   * The top `depth` levels of the current book per side, best first, with the checksum. Take it after
   * `diff(depth)` (see the class comment) so later updates of that depth apply to it.
   */
  snapshot(depth: BookDepth): DepthBookFrame {
    const n = depth === 'full' ? Number.POSITIVE_INFINITY : depth;
    return { bids: this.bids.top(n), asks: this.asks.top(n), checksum: this.checksum() };
  }

  /**
   * The levels a subscriber of `depth` sees changed since the previous `diff(depth)` (or since the empty
   * book): new aggregates inside the window, levels that left it (qty 0, count 0), levels that entered it.
   * Best first per side; `null` when nothing visible at this depth changed.
   */
  diff(depth: BookDepth): DepthBookFrame | null {
    const bids = depth === 'full' ? this.diffTouched('buy') : this.diffWindow(depth, 'buy');
    const asks = depth === 'full' ? this.diffTouched('sell') : this.diffWindow(depth, 'sell');
    if (bids.length === 0 && asks.length === 0) return null;
    return { bids, asks, checksum: this.checksum() };
  }

  /** `bookChecksum` of the top levels, read off the ladders without building level arrays (once per change). */
  private checksum(): number {
    this.cachedChecksum ??= crc32Ascii(`${sideText(this.asks)}|${sideText(this.bids)}`);
    return this.cachedChecksum;
  }

  private side(side: Side): LadderSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  private window(depth: FiniteDepth, side: Side): WindowSent {
    const w = this.windows.get(depth) as { readonly bids: WindowSent; readonly asks: WindowSent };
    return side === 'buy' ? w.bids : w.asks;
  }

  /** Merges what the window held with the side's top `depth` levels now, both best first: the output is too. */
  private diffWindow(depth: FiniteDepth, sideName: Side): BookLevel[] {
    const w = this.window(depth, sideName);
    if (!w.dirty) return [];
    w.dirty = false;
    const side = this.side(sideName);
    const prices = side.prices;
    const now = Math.min(depth, prices.length);
    const out: BookLevel[] = [];
    let i = 0;
    let j = 0;
    while (i < w.n || j < now) {
      const held = i < w.n ? (w.prices[i] as number) : Number.NaN;
      const price = j < now ? (prices[j] as number) : Number.NaN;
      if (j >= now || (i < w.n && side.better(held, price))) {
        out.push([held, 0, 0]);
        i++;
        continue;
      }
      const [qty, count] = side.aggregates[j] as Aggregate;
      if (i >= w.n || side.better(price, held)) out.push([price, qty, count]);
      else {
        if (w.qtys[i] !== qty || w.counts[i] !== count) out.push([price, qty, count]);
        i++;
      }
      j++;
    }
    for (let k = 0; k < now; k++) {
      const price = prices[k] as number;
      const [qty, count] = side.aggregates[k] as Aggregate;
      w.prices[k] = price;
      w.qtys[k] = qty;
      w.counts[k] = count;
    }
    w.n = now;
    return out;
  }

  private diffTouched(sideName: Side): BookLevel[] {
    const touched = sideName === 'buy' ? this.touchedBids : this.touchedAsks;
    const side = this.side(sideName);
    const out: BookLevel[] = [];
    for (const [price, before] of touched) {
      const after = side.levels.get(price);
      if (!sameAggregate(before, after)) out.push(after === undefined ? [price, 0, 0] : [price, ...after]);
    }
    touched.clear();
    return sortBestFirst(out, side);
  }
}

/** §12: a side's top levels as `PRICE:QTY,…`, best first (what `bookChecksumText` writes). */
function sideText(side: LadderSide): string {
  let text = '';
  const n = Math.min(side.prices.length, CHECKSUM_DEPTH);
  for (let i = 0; i < n; i++) {
    const qty = (side.aggregates[i] as Aggregate)[0];
    text += i === 0 ? `${side.prices[i]}:${qty}` : `,${side.prices[i]}:${qty}`;
  }
  return text;
}

function emptyWindow(depth: number): WindowSent {
  return {
    prices: new Float64Array(depth),
    qtys: new Float64Array(depth),
    counts: new Float64Array(depth),
    n: 0,
    dirty: false,
  };
}

function sortBestFirst(levels: BookLevel[], side: LadderSide): BookLevel[] {
  return levels.sort((a, b) => (side.better(a[0], b[0]) ? -1 : side.better(b[0], a[0]) ? 1 : 0));
}
