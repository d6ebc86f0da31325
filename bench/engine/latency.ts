import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Percentiles of per-command wall times, in nanoseconds. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly p999Ns: number;
  readonly maxNs: number;
  readonly meanNs: number;
}

/** A histogram for nanosecond samples (HdrHistogram inside node, 3 significant figures). */
export function newLatencyHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 1e12, figures: 3 });
}

/** Reads the percentiles the report prints. */
export function summarize(h: RecordableHistogram): LatencySummary {
  return {
    samples: h.count,
    p50Ns: h.percentile(50),
    p99Ns: h.percentile(99),
    p999Ns: h.percentile(99.9),
    maxNs: h.max,
    meanNs: h.mean,
  };
}

/**
 * What the measurement itself adds to each sample: two back-to-back `process.hrtime.bigint()` calls and the
 * subtraction, recorded exactly as the per-command loops record.
 */
export function measureTimerOverhead(samples: number): LatencySummary {
  const h = newLatencyHistogram();
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    const ns = process.hrtime.bigint() - t0;
    h.record(ns > 0n ? ns : 1n);
  }
  return summarize(h);
}
