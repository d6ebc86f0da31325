import type { BookLevel, BookState } from 'tickwire/client';
import { bigQtyText, type PriceUnits, priceText, type QtyUnits, qtyText } from './number-format.ts';

/** One row of the ladder. */
export interface LadderRow {
  readonly price: string;
  readonly qty: string;
  /** cumulative quantity from the best level to this one */
  readonly total: string;
  /**
   * cumulative quantity as a share of the deeper side's total, 0–1, **for drawing** the depth bar only (a
   * float: never shown as a number)
   */
  readonly depth: number;
}

/** The order book ladder: both sides best first, and the spread. */
export interface Ladder {
  /** best (lowest) ask first; the view draws them upside down, best next to the spread */
  readonly asks: readonly LadderRow[];
  /** best (highest) bid first */
  readonly bids: readonly LadderRow[];
  /** best ask − best bid, exact; null while a side is empty */
  readonly spread: string | null;
}

function side(levels: readonly BookLevel[], n: number, scales: PriceUnits & QtyUnits) {
  const rows: { price: string; qty: string; total: string; cumulative: number }[] = [];
  // Summed as a bigint: each level is below 2^50 (§3), ten of them may not be below 2^53.
  let cumulative = 0n;
  for (let i = 0; i < levels.length && i < n; i++) {
    const [price, qty] = levels[i] as BookLevel;
    cumulative += BigInt(qty);
    rows.push({
      price: priceText(price, scales),
      qty: qtyText(qty, scales),
      total: bigQtyText(cumulative, scales),
      cumulative: Number(cumulative),
    });
  }
  return { rows, cumulative: Number(cumulative) };
}

/**
 * The top `levels` of each side of `book` as formatted rows (`number-format.ts`: grouped, tick and lot decimals)
 * with cumulative depth, and the spread. Quantities add up exactly (as bigints); only the depth bars' lengths are floats.
 */
export function buildLadder(book: BookState, instrument: PriceUnits & QtyUnits, levels: number): Ladder {
  const a = side(book.asks, levels, instrument);
  const b = side(book.bids, levels, instrument);
  const max = Math.max(a.cumulative, b.cumulative, 1);
  const rows = (s: typeof a): LadderRow[] =>
    s.rows.map((r) => ({ price: r.price, qty: r.qty, total: r.total, depth: r.cumulative / max }));
  const bestAsk = book.asks[0];
  const bestBid = book.bids[0];
  return {
    asks: rows(a),
    bids: rows(b),
    spread:
      bestAsk === undefined || bestBid === undefined ? null : priceText(bestAsk[0] - bestBid[0], instrument),
  };
}
