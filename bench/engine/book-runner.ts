import type { RecordableHistogram } from 'node:perf_hooks';

/** Which book a figure belongs to. */
export type EngineName = 'tickwire' | 'nodejs-order-book';

/**
 * What each book's run produced, in terms both books can report, to check that they saw equivalent
 * workloads: the quantity traded, and refusals by our reject-code names.
 */
export interface RunTally {
  /** lots traded (the sum of trade quantities) */
  tradedQty: number;
  /** commands refused, by reject code (nodejs-order-book's errors mapped onto ours) */
  readonly rejects: Record<string, number>;
}

/** A fresh, empty tally. */
export function newTally(): RunTally {
  return { tradedQty: 0, rejects: {} };
}

/** Counts one refusal. */
export function countReject(tally: RunTally, code: string): void {
  tally.rejects[code] = (tally.rejects[code] ?? 0) + 1;
}

/** Aggregated `[price, qty]` levels, best first. */
export interface BookDepth {
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

/**
 * One fresh book bound to a pre-generated command array. The loops live in each implementation so that
 * their call sites stay monomorphic.
 */
export interface BookRunner {
  readonly name: EngineName;
  readonly tally: RunTally;
  /** Applies commands `[from, to)` as fast as it can. */
  run(from: number, to: number): void;
  /** Applies commands `[from, to)`, recording each one's wall time in ns (`process.hrtime.bigint`). */
  runRecorded(from: number, to: number, histogram: RecordableHistogram): void;
  /** The book's aggregated levels now. */
  depth(): BookDepth;
}

/** Differences between two runs of the same workload; empty when they agree on trades, refusals and depth. */
export function compareRuns(a: BookRunner, b: BookRunner): string[] {
  const diffs: string[] = [];
  if (a.tally.tradedQty !== b.tally.tradedQty) {
    diffs.push(`traded qty: ${a.name} ${a.tally.tradedQty}, ${b.name} ${b.tally.tradedQty}`);
  }
  const codes = new Set([...Object.keys(a.tally.rejects), ...Object.keys(b.tally.rejects)]);
  for (const code of [...codes].sort()) {
    const x = a.tally.rejects[code] ?? 0;
    const y = b.tally.rejects[code] ?? 0;
    if (x !== y) diffs.push(`${code} rejects: ${a.name} ${x}, ${b.name} ${y}`);
  }
  const da = a.depth();
  const db = b.depth();
  for (const side of ['bids', 'asks'] as const) {
    const la = da[side];
    const lb = db[side];
    if (la.length !== lb.length) diffs.push(`${side}: ${a.name} ${la.length} levels, ${b.name} ${lb.length}`);
    const n = Math.min(la.length, lb.length);
    for (let i = 0; i < n; i++) {
      const [pa, qa] = la[i] as readonly [number, number];
      const [pb, qb] = lb[i] as readonly [number, number];
      if (pa !== pb || qa !== qb) {
        diffs.push(`${side}[${i}]: ${a.name} ${qa}@${pa}, ${b.name} ${qb}@${pb}`);
        break;
      }
    }
  }
  return diffs;
}
