import { parseArgs } from 'node:util';
import { intFlag, UsageError } from '../common/int-flag.ts';

/** What `node --import tsx bench/encoding/main.ts [flags]` was asked to do. */
export interface EncodingBenchOptions {
  readonly seed: number;
  /** simulator commands to record */
  readonly count: number;
  /** messages per kind measured: a contiguous window from the middle of the kind's stream */
  readonly messages: number;
  /** messages per frame */
  readonly batches: readonly number[];
  /** timed passes per codec and direction (best and median reported) */
  readonly reps: number;
  /** frames per cell compressed for the deflate figures (the first ones of the window) */
  readonly deflateFrames: number;
  readonly json: boolean;
  readonly quick: boolean;
}

const FULL = { count: 200_000, messages: 20_000, reps: 7, deflateFrames: 1000 } as const;
const QUICK = { count: 50_000, messages: 4000, reps: 3, deflateFrames: 200 } as const;

/** Usage text for `--help`. */
export const USAGE = `Usage: node --import tsx bench/encoding/main.ts [flags]
  --seed N            simulator seed (default 1)
  --count N           simulator commands (default ${FULL.count}; quick ${QUICK.count})
  --messages N        messages per kind measured (default ${FULL.messages}; quick ${QUICK.messages})
  --batches A,B,…     messages per frame (default 1,10,100)
  --reps N            timed passes per codec, best in the table, median too in the JSON (default ${FULL.reps}; quick ${QUICK.reps})
  --deflate-frames N  frames per cell compressed for the deflate sizes (default ${FULL.deflateFrames}; quick ${QUICK.deflateFrames})
  --quick             small counts, for a smoke run
  --json              print one JSON object instead of the tables
  --help`;

export { UsageError };

/** Parses the command line (strict: unknown flags throw). Returns `null` for `--help`. */
export function parseEncodingArgs(args: readonly string[]): EncodingBenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      count: { type: 'string' },
      messages: { type: 'string' },
      batches: { type: 'string' },
      reps: { type: 'string' },
      'deflate-frames': { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const base = values.quick ? QUICK : FULL;
  const batches = (values.batches ?? '1,10,100').split(',').map((b) => intFlag('batches', b, 1, 1));
  return {
    seed: intFlag('seed', values.seed, 1, 0),
    count: intFlag('count', values.count, base.count, 1000),
    messages: intFlag('messages', values.messages, base.messages, 1),
    batches,
    reps: intFlag('reps', values.reps, base.reps, 1),
    deflateFrames: intFlag('deflate-frames', values['deflate-frames'], base.deflateFrames, 1),
    json: values.json,
    quick: values.quick,
  };
}
