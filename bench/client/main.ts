/**
 * `node --import tsx bench/client/main.ts [--baseline REV] [--events N] [--rounds R]`: what the SDK spends per
 * event on the client side, and what issue 15's decimal strings and readable sides cost, against the SDK of
 * another commit (default `main`, extracted with `git archive` into bench/results/) in the same run. A
 * `FeedClient` of each is fed pre-encoded frames through an in-process socket (`scripted-socket.ts`: no
 * network, no timers), 100 messages a frame, and a listener reads each event: the integers only, the
 * decimal strings, or — on a baseline that has none — the integers formatted the way its users had to
 * (`formatPrice` / `formatQty` with the scales of `instruments()`); a baseline that has the decimal strings
 * reads them as the current SDK does, so that a refactoring of the SDK is compared like with like. Variants
 * run interleaved, round by round; the first round is warm-up. Prints ns per event (median of the rounds, and
 * the spread); asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BookEvent, FeedClient, TradeEvent } from 'tickwire/client';
import * as current from 'tickwire/client';
import { readBenchArgs } from '../common/read-bench-args.ts';
import { BTC, bookFrames, lastSocket, ScriptedSocket, tradeFrames } from './scripted-socket.ts';

type Sdk = typeof current;

interface Options {
  readonly baseline: string;
  readonly events: number;
  readonly rounds: number;
}

const USAGE = `usage: node --import tsx bench/client/main.ts [--baseline REV] [--events N] [--rounds R]
  --baseline REV   the commit whose SDK is the baseline (default main)
  --events N       events per variant and round (default 200000)
  --rounds R       measured rounds after one warm-up round (default 7)`;

function parse(argv: readonly string[]): Options | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      baseline: { type: 'string', default: 'main' },
      events: { type: 'string', default: '200000' },
      rounds: { type: 'string', default: '7' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return null;
  const events = Number(values.events);
  const rounds = Number(values.rounds);
  if (!(Number.isSafeInteger(events) && events >= 1000)) throw new TypeError('--events: an integer ≥ 1000');
  if (!(Number.isSafeInteger(rounds) && rounds >= 1)) throw new TypeError('--rounds: an integer ≥ 1');
  return { baseline: values.baseline, events, rounds };
}

/** The baseline commit's `feed-server/src/client/index.ts`, extracted once per commit. */
async function baselineSdk(rev: string): Promise<{ sdk: Sdk; sha: string }> {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], { encoding: 'utf8' }).trim();
  const dir = new URL(`../results/client-baseline/${sha}/`, import.meta.url);
  if (!existsSync(new URL('feed-server/src/client/index.ts', dir))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', sha, 'feed-server/src/client', 'feed-server/src/protocol']);
    execFileSync('tar', ['-x', '-C', dir.pathname], { input: tar });
  }
  const sdk = (await import(pathToFileURL(`${dir.pathname}feed-server/src/client/index.ts`).href)) as Sdk;
  return { sdk, sha };
}

/** One way of reading events: which SDK, which channel, what the listener reads. */
interface Variant {
  readonly name: string;
  readonly sdk: Sdk;
  readonly channel: 'trades' | 'book';
  /** a listener's work on one event; returns something to sum, so that the reads are not optimized away */
  readonly read: (e: TradeEvent | BookEvent, client: FeedClient) => number;
  /** the baseline's users had to ask for the scales first */
  readonly needsInstruments?: boolean;
}

let sink = 0;

/** Runs one variant over `frames`; returns ns per event. */
async function run(v: Variant, frames: readonly Uint8Array[], events: number): Promise<number> {
  const client = new v.sdk.FeedClient({
    url: 'ws://bench/v1/ws',
    WebSocket: ScriptedSocket,
    reconnect: false,
  });
  if (v.needsInstruments === true) await client.instruments();
  let seen = 0;
  const type = v.channel === 'trades' ? 'trade' : 'book';
  client.on(type, (e) => {
    seen++;
    sink += v.read(e as TradeEvent | BookEvent, client);
  });
  await client.subscribe(v.channel === 'trades' ? 'trades:BTC-USD' : 'book:BTC-USD:10');
  const socket = lastSocket;
  if (socket === undefined) throw new Error('no socket');
  const before = seen;
  const t0 = process.hrtime.bigint();
  for (const f of frames) socket.deliver(f);
  const ns = Number(process.hrtime.bigint() - t0);
  if (seen - before !== events) throw new Error(`${v.name}: ${seen - before} events, expected ${events}`);
  client.close();
  return ns / events;
}

const trade = (e: TradeEvent | BookEvent) => e as TradeEvent;
const book = (e: TradeEvent | BookEvent) => e as BookEvent;

/**
 * Whether an SDK's events carry the decimal strings themselves (since 4cb1429, which also brought `tradeSide`):
 * then the baseline's variants read what the current ones read, so that each pair compares like with like
 * (an SDK refactoring); before it, its users formatted the integers themselves.
 */
const hasDecimals = (sdk: Sdk): boolean => typeof (sdk as Partial<Sdk>).tradeSide === 'function';

function variants(baseline: Sdk, sha: string): Variant[] {
  const base = `${sha} (before)`;
  const decimals = hasDecimals(baseline);
  return [
    {
      name: `trades  ${base}: integers`,
      sdk: baseline,
      channel: 'trades',
      read: (e) => trade(e).price + trade(e).qty,
    },
    decimals
      ? {
          name: `trades  ${base}: priceDecimal/qtyDecimal`,
          sdk: baseline,
          channel: 'trades',
          // A function literal of its own per variant, as every `read`: a property read site shared by two
          // SDKs' event classes would be polymorphic and slow down both.
          read: (e) => trade(e).priceDecimal.length + trade(e).qtyDecimal.length,
        }
      : {
          name: `trades  ${base}: formatPrice/formatQty by the user`,
          sdk: baseline,
          channel: 'trades',
          needsInstruments: true,
          read: (e, c) => {
            const i = c.instrument('BTC-USD') ?? BTC;
            return (
              baseline.formatPrice(trade(e).price, i).length + baseline.formatQty(trade(e).qty, i).length
            );
          },
        },
    {
      name: 'trades  now: integers',
      sdk: current,
      channel: 'trades',
      read: (e) => trade(e).price + trade(e).qty,
    },
    {
      name: 'trades  now: priceDecimal/qtyDecimal',
      sdk: current,
      channel: 'trades',
      read: (e) => trade(e).priceDecimal.length + trade(e).qtyDecimal.length,
    },
    {
      name: `book:10 ${base}: best levels`,
      sdk: baseline,
      channel: 'book',
      read: (e) => (book(e).book.bids[0]?.[0] ?? 0) + (book(e).book.asks[0]?.[0] ?? 0),
    },
    decimals
      ? {
          name: `book:10 ${base}: bidsDecimal/asksDecimal (all 20 levels)`,
          sdk: baseline,
          channel: 'book',
          read: (e) => book(e).book.bidsDecimal.length + book(e).book.asksDecimal.length,
        }
      : {
          name: `book:10 ${base}: best levels formatted by the user`,
          sdk: baseline,
          channel: 'book',
          needsInstruments: true,
          read: (e, c) => {
            const i = c.instrument('BTC-USD') ?? BTC;
            const b = book(e).book.bids[0];
            const a = book(e).book.asks[0];
            return (
              (b === undefined
                ? 0
                : baseline.formatPrice(b[0], i).length + baseline.formatQty(b[1], i).length) +
              (a === undefined
                ? 0
                : baseline.formatPrice(a[0], i).length + baseline.formatQty(a[1], i).length)
            );
          },
        },
    {
      name: 'book:10 now: best levels',
      sdk: current,
      channel: 'book',
      read: (e) => (book(e).book.bids[0]?.[0] ?? 0) + (book(e).book.asks[0]?.[0] ?? 0),
    },
    {
      name: 'book:10 now: bidsDecimal/asksDecimal (all 20 levels)',
      sdk: current,
      channel: 'book',
      read: (e) => book(e).book.bidsDecimal.length + book(e).book.asksDecimal.length,
    },
  ];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function main(argv: readonly string[]): Promise<number> {
  const opts = readBenchArgs(argv, parse, USAGE);
  if (typeof opts === 'number') return opts;
  const { sdk: baseline, sha } = await baselineSdk(opts.baseline);
  const frames = { trades: tradeFrames(opts.events, 100), book: bookFrames(opts.events, 100) };
  const list = variants(baseline, sha);
  const results = new Map<string, number[]>(list.map((v) => [v.name, []]));
  for (let round = 0; round <= opts.rounds; round++) {
    for (const v of list) {
      const ns = await run(v, frames[v.channel], opts.events);
      if (round > 0) results.get(v.name)?.push(ns);
    }
  }
  process.stdout.write(
    `SDK client-side cost per event: ${opts.events} events × ${opts.rounds} rounds (after 1 warm-up), 100 messages a frame, Node ${process.version}\n`,
  );
  process.stdout.write(`${'variant'.padEnd(66)} ${'ns/event'.padStart(9)}  (min … max)\n`);
  for (const v of list) {
    const xs = results.get(v.name) ?? [];
    process.stdout.write(
      `${v.name.padEnd(66)} ${median(xs).toFixed(0).padStart(9)}  (${Math.min(...xs).toFixed(0)} … ${Math.max(...xs).toFixed(0)})\n`,
    );
  }
  if (sink === 0) process.stdout.write('\n');
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
