/** Keeps results alive so the JIT cannot drop the work being timed. */
let sink = 0;

/** The sink's value (print or ignore it; reading it keeps the timed work observable). */
export function timingSink(): number {
  return sink;
}

/**
 * Median wall time per item of `pass` (which does `items` items and returns any number), over `reps` timed
 * passes after `warmup` untimed ones. Calls `gc()` before the timed passes when node runs with --expose-gc.
 */
export function nsPerItem(pass: () => number, items: number, reps: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) sink += pass();
  globalThis.gc?.();
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    sink += pass();
    runs.push(Number(process.hrtime.bigint() - t0) / items);
  }
  runs.sort((a, b) => a - b);
  const mid = runs.length >> 1;
  return runs.length % 2 === 1
    ? (runs[mid] as number)
    : ((runs[mid - 1] as number) + (runs[mid] as number)) / 2;
}
