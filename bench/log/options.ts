import { parseArgs } from 'node:util';
import { intFlag } from '../common/int-flag.ts';

/** What `npm run bench:log -- [flags]` was asked to do. */
export interface LogBenchOptions {
  /** records of the big log (written under fsync 'batch'; then scanned, seeked and reopened) */
  readonly records: number;
  /** records appended under fsync 'none' */
  readonly noneRecords: number;
  /** records appended under fsync 'always' (one fdatasync each) */
  readonly alwaysRecords: number;
  /** random seeks timed */
  readonly seeks: number;
  /** messages of the recorded session that is replayed and seeked (0: skip the session runs) */
  readonly sessionMessages: number;
  /** feed seconds of the default-rate session weighed for bytes per command (0: skip) */
  readonly bytesSeconds: number;
  /** where the temporary logs go (a fresh directory inside it, deleted at the end) */
  readonly tmpDir: string | undefined;
  readonly seed: number;
  readonly json: boolean;
  readonly quick: boolean;
}

const FULL = {
  records: 10_000_000,
  noneRecords: 2_000_000,
  alwaysRecords: 2000,
  session: 10_000_000,
  bytesSeconds: 600,
} as const;
const QUICK = {
  records: 1_000_000,
  noneRecords: 500_000,
  alwaysRecords: 300,
  session: 1_000_000,
  bytesSeconds: 60,
} as const;

/** Usage text for `--help`. */
export const USAGE = `Usage: npm run bench:log -- [flags]
  --records N   records of the big log, appended under fsync batch, then read, seeked and reopened
                (default ${FULL.records}; quick ${QUICK.records}); needs ~105 bytes of disk per record
  --none N      records appended under fsync none (default ${FULL.noneRecords}; quick ${QUICK.noneRecords})
  --always N    records appended under fsync always (default ${FULL.alwaysRecords}; quick ${QUICK.alwaysRecords})
  --seeks N     random seeks timed (default 1000; 200 on the session)
  --session N   messages of the simulated session recorded, replayed to a client and seeked (default
                ${FULL.session}; quick ${QUICK.session}; 0 skips it); also imports the AMZN LOBSTER day
  --bytes-seconds N  feed seconds of a session at the default 200 commands/s weighed for bytes per command,
                by record kind, and compressed (default ${FULL.bytesSeconds}; quick ${QUICK.bytesSeconds}; 0 skips it)
  --tmp DIR     parent directory of the temporary logs (default the OS temp directory)
  --seed N      payload and seek seed (default 1)
  --quick       smaller logs, well under a minute
  --json        print one JSON object instead of the table
  --help`;

/** Parses the command line (strict: unknown flags throw). Returns `null` for `--help`. */
export function parseLogBenchArgs(args: readonly string[]): LogBenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      records: { type: 'string' },
      none: { type: 'string' },
      always: { type: 'string' },
      seeks: { type: 'string' },
      session: { type: 'string' },
      'bytes-seconds': { type: 'string' },
      tmp: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const base = values.quick ? QUICK : FULL;
  return {
    records: intFlag('records', values.records, base.records, 1000),
    noneRecords: intFlag('none', values.none, base.noneRecords, 1),
    alwaysRecords: intFlag('always', values.always, base.alwaysRecords, 1),
    seeks: intFlag('seeks', values.seeks, 1000, 1),
    sessionMessages: intFlag('session', values.session, base.session, 0),
    bytesSeconds: intFlag('bytes-seconds', values['bytes-seconds'], base.bytesSeconds, 0),
    tmpDir: values.tmp,
    seed: intFlag('seed', values.seed, 1, 0),
    json: values.json,
    quick: values.quick,
  };
}
