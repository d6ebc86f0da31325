import type { EngineEvent, L2Level, L2Snapshot, L3Level, L3Snapshot } from '../../src/index.ts';

/** An event without the engine-wide `seq` and the command's `tsUs`. */
export type Stripped<E> = E extends EngineEvent ? Omit<E, 'seq' | 'tsUs'> : never;

/** Drops `seq` and `tsUs`, which scenario tables do not care about. */
export function strip(e: EngineEvent): Stripped<EngineEvent> {
  const { seq: _seq, tsUs: _tsUs, ...rest } = e;
  return rest as Stripped<EngineEvent>;
}

/** L2 levels computed from L3 levels. */
export function aggregate(levels: readonly L3Level[]): L2Level[] {
  return levels.map((l): L2Level => [l.price, l.orders.reduce((s, o) => s + o.qty, 0), l.orders.length]);
}

/** The L2 snapshot an L3 snapshot implies. */
export function l2FromL3(l3: L3Snapshot): L2Snapshot {
  return { bids: aggregate(l3.bids), asks: aggregate(l3.asks) };
}

/** An L2 book rebuilt only from `level` events. */
export class L2Mirror {
  private readonly sides = new Map<string, { bids: Map<number, L2Level>; asks: Map<number, L2Level> }>();

  apply(e: EngineEvent): void {
    if (e.type !== 'level') return;
    let book = this.sides.get(e.symbol);
    if (book === undefined) {
      book = { bids: new Map(), asks: new Map() };
      this.sides.set(e.symbol, book);
    }
    const side = e.side === 'buy' ? book.bids : book.asks;
    if (e.qty === 0 && e.count === 0) side.delete(e.price);
    else side.set(e.price, [e.price, e.qty, e.count]);
  }

  l2(symbol: string): L2Snapshot {
    const book = this.sides.get(symbol);
    if (book === undefined) return { bids: [], asks: [] };
    return {
      bids: [...book.bids.values()].sort((a, b) => b[0] - a[0]),
      asks: [...book.asks.values()].sort((a, b) => a[0] - b[0]),
    };
  }
}
