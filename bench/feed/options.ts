import { parseArgs } from 'node:util';
import { intFlag, UsageError } from '../common/int-flag.ts';

/** What `npm run bench:feed -- [flags]` was asked to do. */
export interface FeedBenchOptions {
  /** WebSocket clients, each subscribed to `channels` of one symbol (symbols round-robin) */
  readonly clients: number;
  /** channel name templates, `SYM` standing for the client's symbol */
  readonly channels: readonly string[];
  /** simulator commands per second (the input rate, the same for every phase) */
  readonly rate: number;
  /** measured window, seconds */
  readonly seconds: number;
  /** seconds of load before the window opens (JIT, buffers, batch sizes settle) */
  readonly warmup: number;
  /** the server's batching window (`--flush-ms` of `tickwire serve`) */
  readonly flushMs: number;
  /** clients offer permessage-deflate */
  readonly deflate: boolean;
  readonly seed: number;
  /** also run the plain `ws` JSON broadcast with the same input and clients */
  readonly baseline: boolean;
  /** load the REST endpoints with autocannon after the feed phases */
  readonly rest: boolean;
  /** measure server RSS per idle subscribed connection (a phase of its own, at a very low rate) */
  readonly memory: boolean;
  /** pin the server to CPU 0 and the clients to CPU 1 with taskset (when there are 2+ CPUs and taskset) */
  readonly pin: boolean;
  /** write the server's CPU profile of the measured window here (and summarize it in the report) */
  readonly profileDir: string | null;
  readonly json: boolean;
  readonly quick: boolean;
}

/** The default subscription of each client: trades + ticker + 10-level book of one symbol. */
export const DEFAULT_CHANNELS = ['trades:SYM', 'ticker:SYM', 'book:SYM:10'] as const;

/**
 * Defaults, and the smaller ones `--quick` picks. Explicit flags win over both. The simulator publishes ~1.3
 * messages per command on trades + ticker + book:10 (three symbols), so 5,000 commands/s is ~2,200 messages/s
 * per client: ~2.2M messages/s to deliver to 1000 clients — the target load.
 */
const FULL = { clients: 1000, seconds: 20, warmup: 5 } as const;
const QUICK = { clients: 200, seconds: 6, warmup: 2 } as const;
const DEFAULT_RATE = 5000;

/** Usage text for `--help`. */
export const USAGE = `Usage: npm run bench:feed -- [flags]
  --clients N        WebSocket clients (default ${FULL.clients}; quick ${QUICK.clients})
  --channels LIST    channels per client, SYM = the client's symbol (default ${DEFAULT_CHANNELS.join(',')})
  --rate N           simulator commands per second (default ${DEFAULT_RATE})
  --seconds N        measured window (default ${FULL.seconds}; quick ${QUICK.seconds})
  --warmup N         seconds of load before the window (default ${FULL.warmup}; quick ${QUICK.warmup})
  --flush-ms N       the server's minimum batching window (default 0, as tickwire serve)
  --deflate on|off   clients offer permessage-deflate (default on)
  --seed N           simulator seed (default 1)
  --baseline on|off  also run a plain ws JSON broadcast, same input and clients (default on)
  --rest on|off      load the REST endpoints (and a static JSON ceiling) with autocannon (default on)
  --memory on|off    measure server RSS per idle subscribed connection (default on)
  --pin on|off       server on CPU 0, clients on CPU 1, via taskset (default on when possible)
  --profile DIR      write the server's CPU profile of the window to DIR and summarize it
  --quick            fewer clients, shorter windows (under 45 s)
  --json             print one JSON object instead of the tables
  --help`;

export { UsageError };

/** Parses the command line (strict: unknown flags throw). Returns `null` for `--help`. */
export function parseFeedBenchArgs(args: readonly string[]): FeedBenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      clients: { type: 'string' },
      channels: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'flush-ms': { type: 'string' },
      deflate: { type: 'string' },
      seed: { type: 'string' },
      baseline: { type: 'string' },
      rest: { type: 'string' },
      memory: { type: 'string' },
      pin: { type: 'string' },
      profile: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const base = values.quick ? QUICK : FULL;
  const channels = (values.channels ?? DEFAULT_CHANNELS.join(',')).split(',').map((c) => c.trim());
  if (channels.some((c) => c === ''))
    throw new UsageError(`--channels has an empty entry: "${values.channels}"`);
  return {
    clients: intFlag('clients', values.clients, base.clients, 1),
    channels,
    rate: intFlag('rate', values.rate, DEFAULT_RATE, 1),
    seconds: intFlag('seconds', values.seconds, base.seconds, 1),
    warmup: intFlag('warmup', values.warmup, base.warmup, 0),
    flushMs: intFlag('flush-ms', values['flush-ms'], 0, 0),
    deflate: onOff('deflate', values.deflate, true),
    seed: intFlag('seed', values.seed, 1, 0),
    baseline: onOff('baseline', values.baseline, true),
    rest: onOff('rest', values.rest, true),
    memory: onOff('memory', values.memory, true),
    pin: onOff('pin', values.pin, true),
    profileDir: values.profile ?? null,
    json: values.json,
    quick: values.quick,
  };
}

function onOff(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new UsageError(`--${name} must be on or off, got "${text}"`);
}
