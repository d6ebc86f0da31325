/** Module state the passes' results go into, so the JIT cannot drop the work being timed. */
let sink = 0;

/** Sum of every timed pass's result; printed at the end so the work stays observable. */
export function timingChecksum(): number {
  return sink;
}

/** Time per item of one job over several passes. */
export interface PassTimes {
  /** median ns per item */
  readonly medianNs: number;
  /** fastest pass, ns per item: the least disturbed by other load on the machine */
  readonly bestNs: number;
}

/** One job to time: `pass` does `items` items and returns any number (kept in a sink). */
export interface TimedJob {
  readonly pass: () => number;
  readonly items: number;
}

/**
 * Times `jobs` round-robin — each rep runs every job once, in order — so that a burst of load from elsewhere
 * on the machine falls on all of them rather than on one. `warmup` untimed rounds first; `gc()` before the
 * timed rounds when node runs with --expose-gc.
 */
export function timeRoundRobin(jobs: readonly TimedJob[], reps: number, warmup = 2): PassTimes[] {
  for (let w = 0; w < warmup; w++) for (const job of jobs) sink += job.pass();
  globalThis.gc?.();
  const runs: number[][] = jobs.map(() => []);
  for (let r = 0; r < reps; r++) {
    jobs.forEach((job, j) => {
      const t0 = process.hrtime.bigint();
      sink += job.pass();
      runs[j]?.push(Number(process.hrtime.bigint() - t0) / job.items);
    });
  }
  return runs.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const medianNs =
      sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    return { medianNs, bestNs: sorted[0] as number };
  });
}
