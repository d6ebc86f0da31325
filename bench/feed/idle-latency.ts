/**
 * `npm run bench:idle -- [--seconds N] [--rate N] [--flush-ms N] [--json]`: the latency floor of the feed. The real
 * server (`startFeedServer`, as `tickwire serve` runs it, in a child process) at `tickwire serve`'s default rate and
 * one real `ws` client (another child process) on trades + ticker + 10-level book of one symbol; every update's
 * latency is the client's wall clock when it decoded the frame − the update's engine time `tsUs`. Nothing else
 * runs, so the figures are what the design costs, not what load costs (issue 13: "latency set by the work, not by
 * timers"). Figures, not assertions.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { intFlag } from '../common/int-flag.ts';
import { readBenchArgs } from '../common/read-bench-args.ts';
import type { ClientRequest, ClientWindow, ConnectResult, LatencyFigures } from './client-process.ts';
import { BenchChild } from './ipc.ts';
import type { ServerProcessConfig, ServerReady, ServerRequest } from './server-process.ts';

/** What `bench:idle` was asked to do. */
export interface IdleLatencyOptions {
  /** simulator commands per second (default 200, `tickwire serve`'s) */
  readonly rate: number;
  /** the server's `--flush-ms`; -1: the server's default */
  readonly flushMs: number;
  /** measured window, seconds */
  readonly seconds: number;
  /** seconds after subscribing before the window opens */
  readonly warmup: number;
  readonly seed: number;
  readonly json: boolean;
}

/** The result of one run (`--json`). */
export interface IdleLatencyResult {
  readonly options: IdleLatencyOptions;
  readonly node: string;
  readonly loadAverage: number;
  /** updates received in the window */
  readonly updates: number;
  readonly frames: number;
  readonly latency: LatencyFigures;
  readonly targets: readonly {
    readonly name: string;
    readonly target: string;
    readonly measured: string;
    readonly pass: boolean;
  }[];
}

const USAGE = `Usage: npm run bench:idle -- [flags]
  --rate N       simulator commands per second (default 200, as tickwire serve)
  --flush-ms N   the server's --flush-ms (default: the server's default)
  --seconds N    measured window (default 20; quick 5)
  --warmup N     seconds before the window (default 2)
  --seed N       simulator seed (default 1)
  --quick        a 5 s window
  --json         print one JSON object instead of the figures
  --help`;

function parse(args: readonly string[]): IdleLatencyOptions | null {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      rate: { type: 'string' },
      'flush-ms': { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  return {
    rate: intFlag('rate', values.rate, 200, 1),
    flushMs: intFlag('flush-ms', values['flush-ms'], -1, 0),
    seconds: intFlag('seconds', values.seconds, values.quick ? 5 : 20, 1),
    warmup: intFlag('warmup', values.warmup, 2, 0),
    seed: intFlag('seed', values.seed, 1, 0),
    json: values.json,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = readBenchArgs(argv, parse, USAGE);
  if (typeof options === 'number') return options;
  const config: ServerProcessConfig = {
    mode: 'tickwire',
    rate: options.rate,
    seed: options.seed,
    flushMs: options.flushMs < 0 ? null : options.flushMs,
  };
  const server = new BenchChild<ServerReady>('./server-process.ts', config);
  const client = new BenchChild<null>('./client-process.ts', null);
  try {
    const [ready] = await Promise.all([server.ready, client.ready]);
    const first = ready.symbols[0];
    if (first === undefined) throw new Error('the server has no symbols');
    const connect = await client.request<ConnectResult>({
      op: 'connect',
      url: ready.wsUrl,
      mode: 'tickwire',
      clients: 1,
      channels: ['trades:SYM', 'ticker:SYM', 'book:SYM:10'],
      symbols: [first],
      deflate: true,
    } satisfies ClientRequest);
    if (connect.connected !== 1) throw new Error(`the client did not subscribe: ${connect.firstError}`);
    const startAtMs = Date.now() + options.warmup * 1000;
    const endAtMs = startAtMs + options.seconds * 1000;
    await client.request({ op: 'window', startAtMs, endAtMs, profileDir: null } satisfies ClientRequest);
    if (!options.json) process.stderr.write(`· measuring ${options.warmup} + ${options.seconds} s\n`);
    await new Promise((resolve) => setTimeout(resolve, endAtMs - Date.now()));
    const window = await client.request<ClientWindow>({ op: 'result' } satisfies ClientRequest);
    await client.request({ op: 'disconnect' } satisfies ClientRequest);
    await server.request({ op: 'close' } satisfies ServerRequest).catch(() => {});
    const result: IdleLatencyResult = {
      options,
      node: process.version,
      loadAverage: os.loadavg()[0] ?? 0,
      updates: window.updates,
      frames: window.frames,
      latency: window.latency,
      targets: [
        {
          name: 'idle single-client latency median (issue 13)',
          target: '≤ 1 ms',
          measured: `${(window.latency.p50Us / 1000).toFixed(2)} ms`,
          pass: window.latency.p50Us <= 1000,
        },
      ],
    };
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatIdle(result)}\n`);
    return 0;
  } finally {
    server.kill();
    client.kill();
  }
}

/** The figures as text: one client, idle server. */
function formatIdle(r: IdleLatencyResult): string {
  const l = r.latency;
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const flush = r.options.flushMs < 0 ? 'default' : `${r.options.flushMs} ms`;
  return [
    `idle latency: one client, ${r.options.rate} commands/s, --flush-ms ${flush}, ${r.options.seconds} s window, load ${r.loadAverage.toFixed(1)}`,
    `  ${l.count} updates in ${r.frames} frames; engine time → client decode, ms:`,
    `  min ${ms(l.minUs)}  median ${ms(l.p50Us)}  p90 ${ms(l.p90Us)}  p99 ${ms(l.p99Us)}  max ${ms(l.maxUs)}`,
  ].join('\n');
}

process.exitCode = await main(process.argv.slice(2));
