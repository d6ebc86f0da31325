import { parseArgs } from 'node:util';
import { intFlag, UsageError } from '../common/int-flag.ts';

/** What `npm run bench:engine -- [flags]` was asked to do. */
export interface BenchOptions {
  /** measured commands per run (after the untimed prefill) */
  readonly count: number;
  /** resting orders the workload keeps the book near */
  readonly resting: number;
  readonly seed: number;
  /** timed throughput runs per book (the median is reported) */
  readonly reps: number;
  /** commands of the ours-only memory run; 0 skips it */
  readonly long: number;
  /** commands each book runs untimed first, to warm the JIT */
  readonly warmup: number;
  /** print one JSON object instead of the table */
  readonly json: boolean;
  readonly quick: boolean;
}

/** Defaults, and the smaller ones `--quick` picks (under 20 s in all). Explicit flags win over both. */
const FULL = { count: 2_000_000, reps: 3, long: 10_000_000, warmup: 200_000 } as const;
const QUICK = { count: 200_000, reps: 3, long: 1_000_000, warmup: 100_000 } as const;

/** Usage text for `--help`. */
export const USAGE = `Usage: npm run bench:engine -- [flags]
  --count N     measured commands per run (default ${FULL.count}; quick ${QUICK.count})
  --resting N   resting orders kept in the book (default 1000)
  --seed N      workload seed (default 1)
  --reps N      timed throughput runs per book, median reported (default ${FULL.reps})
  --long N      commands of the ours-only memory run, 0 to skip (default ${FULL.long}; quick ${QUICK.long})
  --warmup N    untimed warm-up commands per book (default ${FULL.warmup}; quick ${QUICK.warmup})
  --quick       small counts, under 20 s in all
  --json        print one JSON object instead of the table
  --help`;

export { UsageError };

/** Parses the command line (strict: unknown flags throw). Returns `null` for `--help`. */
export function parseBenchArgs(args: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      count: { type: 'string' },
      resting: { type: 'string' },
      seed: { type: 'string' },
      reps: { type: 'string' },
      long: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const base = values.quick ? QUICK : FULL;
  return {
    count: intFlag('count', values.count, base.count, 1),
    resting: intFlag('resting', values.resting, 1000, 2),
    seed: intFlag('seed', values.seed, 1, 0),
    reps: intFlag('reps', values.reps, base.reps, 1),
    long: intFlag('long', values.long, base.long, 0),
    warmup: intFlag('warmup', values.warmup, base.warmup, 0),
    json: values.json,
    quick: values.quick,
  };
}
