import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  type Command,
  DEFAULT_ORDERS_PER_SECOND,
  DEFAULT_START_US,
  type Instrument,
  MarketSimulator,
  MatchingEngine,
  MatchingError,
} from '../../matching/src/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { resolveInstruments } from './instrument-flags.ts';
import { LineWriter } from './line-writer.ts';
import { NdjsonEventFormat } from './ndjson-event-format.ts';
import { parseCliArgs, parseIntegerFlag } from './parse-cli-args.ts';
import { TextEventFormat } from './text-event-format.ts';

export const SIMULATE_USAGE = `Usage: tickwire simulate [options]

Runs the seeded market simulator through the matching engine and writes the event stream to stdout.
The same seed and options give byte-identical output.

Options:
  -s, --seed <n>            simulator seed, an integer from 0 to 4294967295 (default 1)
  -n, --count <n>           commands to send (default 10000; with --rate, unlimited)
      --symbols <list>      comma-separated symbols to trade (default: every configured one)
      --instruments <file>  instrument config JSON: {"instruments": [...]} or an array of
                            {"symbol", "tickSize", "lotSize", "minSize"?, "initialPrice"?, ...}
                            (default: BTC-USD, ETH-USD, AMZN)
      --json                NDJSON: every event, one per line, prices and sizes as exact decimal strings
                            (default: a line per trade and a book summary every 5 s of market time)
      --rate <n>            pace to wall-clock time at n commands/s until --count or Ctrl-C; the
                            market's own arrival rate becomes n, so its clock keeps up with the wall's
                            (default: 1000 commands/s of virtual time, run as fast as possible)
  -h, --help                show this help

A one-line summary goes to stderr at the end. Exit status: 0 done, 1 failure, 2 usage error.
`;

const OPTIONS = {
  seed: { type: 'string', short: 's' },
  count: { type: 'string', short: 'n' },
  symbols: { type: 'string' },
  instruments: { type: 'string' },
  json: { type: 'boolean' },
  rate: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_COUNT = 10_000;
const MAX_RATE = 1_000_000;
/** In text mode, a book summary per instrument every this much market time. */
const BOOK_SUMMARY_EVERY_US = 5_000_000;

/** The parsed options of `tickwire simulate`. */
export interface SimulateOptions {
  readonly seed: number;
  /** commands to send; `Infinity` = until interrupted */
  readonly count: number;
  readonly instruments: readonly Instrument[];
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly json: boolean;
  /** commands per second of wall-clock time; undefined = as fast as possible */
  readonly rate: number | undefined;
}

/** Parses the arguments after `simulate`; `'help'` when help was asked for. Throws `CliError`. */
export function parseSimulateArgs(argv: readonly string[]): SimulateOptions | 'help' {
  const { values } = parseCliArgs(argv, OPTIONS);
  if (values.help === true) return 'help';
  const seed = values.seed === undefined ? 1 : parseIntegerFlag('--seed', values.seed, 0, 2 ** 32 - 1);
  const rate = values.rate === undefined ? undefined : parseIntegerFlag('--rate', values.rate, 1, MAX_RATE);
  const count =
    values.count !== undefined
      ? parseIntegerFlag('--count', values.count, 0, Number.MAX_SAFE_INTEGER)
      : rate === undefined
        ? DEFAULT_COUNT
        : Number.POSITIVE_INFINITY;
  const { instruments, initialPrices } = resolveInstruments(values.instruments, values.symbols);
  return { seed, count, instruments, initialPrices, json: values.json === true, rate };
}

/** `tickwire simulate`: returns the exit status. */
export async function simulateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseSimulateArgs(argv);
  if (parsed === 'help') {
    io.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  const opts = parsed;
  let sim: MarketSimulator;
  try {
    sim = new MarketSimulator({
      seed: opts.seed,
      instruments: opts.instruments,
      initialPrices: opts.initialPrices,
      ordersPerSecond: opts.rate ?? DEFAULT_ORDERS_PER_SECOND,
    });
  } catch (cause) {
    if (cause instanceof MatchingError) throw new CliError('BAD_CONFIG', cause.message, { cause });
    throw cause;
  }

  const out = new LineWriter(io.stdout);
  const json = opts.json ? new NdjsonEventFormat(opts.instruments) : undefined;
  const text = new TextEventFormat(opts.instruments);
  let trades = 0;
  let events = 0;
  let rejects = 0;
  const engine = new MatchingEngine(opts.instruments, (e) => {
    sim.onEvent(e);
    events++;
    if (e.type === 'trade') {
      trades++;
      if (json === undefined) out.push(text.trade(e));
    } else if (e.type === 'rejected') {
      rejects++;
    }
    if (json !== undefined) out.push(json.format(e));
  });
  const pushBooks = () => {
    for (const inst of opts.instruments) {
      const l2 = engine.l2(inst.symbol);
      if (l2 !== undefined) out.push(text.book(inst.symbol, l2, engine.lastPrice(inst.symbol)));
    }
  };

  const signal = io.signal;
  const interrupted = () => signal?.aborted === true;
  const startedMs = performance.now();
  let nextBookUs = DEFAULT_START_US + BOOK_SUMMARY_EVERY_US;
  let sent = 0;
  while (sent < opts.count && !interrupted() && !out.closed) {
    const cmd: Command = sim.next();
    if (opts.rate !== undefined) {
      const waitMs = (cmd.tsUs - DEFAULT_START_US) / 1000 - (performance.now() - startedMs);
      if (waitMs >= 1) {
        await out.flush();
        await sleep(waitMs, undefined, { signal }).catch(() => {});
        if (interrupted()) break;
      }
    }
    engine.submit(cmd);
    sent++;
    if (json === undefined && cmd.tsUs >= nextBookUs) {
      pushBooks();
      while (nextBookUs <= cmd.tsUs) nextBookUs += BOOK_SUMMARY_EVERY_US;
    }
    if (out.full) {
      await out.flush();
      // Let signals (Ctrl-C) and stream events in: pipe writes can be synchronous and never yield.
      await yieldToEventLoop();
    }
  }
  if (json === undefined && sent > 0) pushBooks();
  await out.close();

  const seconds = (performance.now() - startedMs) / 1000;
  const notes = [interrupted() ? ' (interrupted)' : '', out.closed ? ' (stdout closed)' : ''];
  io.stderr.write(
    `tickwire simulate: ${sent} commands, ${trades} trades, ${events} events, ${rejects} rejects, ` +
      `state ${engine.stateHash()}, ${seconds.toFixed(2)} s (${Math.round(sent / Math.max(seconds, 1e-9))} commands/s)` +
      `${notes.join('')}\n`,
  );
  if (out.error !== undefined) {
    io.stderr.write(`tickwire simulate: writing stdout failed: ${out.error.message}\n`);
    return 1;
  }
  return 0;
}
