/**
 * The server side of `bench:feed`, forked by main.ts: the real feed server (`startFeedServer`, as `tickwire serve`
 * runs it) or the baseline, on 127.0.0.1 and a free port. Reports its port over IPC, then answers the parent's
 * requests for its own CPU time, memory, event-loop figures and counters, and can profile itself.
 */
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type RunningFeedServer, startFeedServer } from '../../feed-server/src/http/index.ts';
import { DEFAULT_LIMITS } from '../../feed-server/src/protocol/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import { type RunningBaseline, startBaselineServer } from './baseline-server.ts';
import { serveRequests } from './ipc.ts';
import type { SymbolScales } from './named-json.ts';
import { STATIC_JSON_PATH } from './rest-load.ts';

/** How main.ts starts this process (argv[2], JSON). */
export interface ServerProcessConfig {
  readonly mode: 'tickwire' | 'baseline';
  readonly rate: number;
  readonly seed: number;
  /** the gateway's `flushMs`; null: its default */
  readonly flushMs: number | null;
}

/** What the process announces once listening. */
export interface ServerReady {
  /** `http://127.0.0.1:PORT` */
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly symbols: readonly SymbolScales[];
}

/** One reading of the process and its server's counters. */
export interface ServerSample {
  /** performance.now() of this process, ms */
  readonly atMs: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** simulator commands submitted */
  readonly commands: number;
  readonly connections: number;
  /** frames written to sockets (baseline: one per message) */
  readonly frames: number;
  /** messages in those frames */
  readonly messages: number;
  /** bytes written to sockets, WebSocket headers included */
  readonly wireBytes: number;
  /** distinct frames built (encoded, compressed once each); baseline: distinct JSON texts are not counted */
  readonly built: number;
  readonly slowConsumerCloses: number;
  readonly conflated: number;
}

/** The server's view of a measured window. */
export interface ServerWindow {
  readonly start: ServerSample;
  readonly end: ServerSample;
  /** event-loop utilization of the main thread over the window, 0–1 */
  readonly elu: number;
  /** event-loop delay percentiles over the window, ms */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** how far the simulation driver ran behind the wall clock: largest sample (every 100 ms), µs */
  readonly driverLagMaxUs: number;
  /** the CPU profile of the window, when asked for */
  readonly profilePath: string | null;
}

/** Requests main.ts sends. */
export type ServerRequest =
  | { readonly op: 'sample' }
  | { readonly op: 'gc' }
  /** the baseline's market starts once its clients are connected; the real server's runs from the start */
  | { readonly op: 'market-start' }
  /** wall clock ms since the epoch */
  | {
      readonly op: 'window';
      readonly startAtMs: number;
      readonly endAtMs: number;
      readonly profileDir: string | null;
    }
  | { readonly op: 'window-result' }
  | { readonly op: 'close' };

/**
 * The REST ceiling: a fixed JSON answer of a ticker's size, serialized once, on the same HTTP server and through
 * the same route chain as the REST API (bench:feed loads it beside the real endpoints).
 */
const STATIC_BODY = JSON.stringify({ symbol: 'BTC-USD', bid: '65001.00', ask: '65001.25', last: '65001.10' });
function staticJsonRoute(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== STATIC_JSON_PATH) return false;
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': STATIC_BODY.length,
  });
  res.end(STATIC_BODY);
  return true;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerProcessConfig;
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let feed: RunningFeedServer | undefined;
  let baseline: RunningBaseline | undefined;
  if (config.mode === 'tickwire') {
    feed = await startFeedServer({
      host: '127.0.0.1',
      port: 0,
      seed: config.seed,
      instruments,
      rate: config.rate,
      // Every bench client connects from 127.0.0.1: lift the per-address cap (PROTOCOL.md §8: 100) above them.
      gateway: {
        ...(config.flushMs === null ? {} : { flushMs: config.flushMs }),
        limits: { ...DEFAULT_LIMITS, connectionsPerIp: 1_000_000 },
      },
      log: (line) => process.stderr.write(`server: ${line}\n`),
      routes: [staticJsonRoute],
    });
  } else {
    baseline = await startBaselineServer({ seed: config.seed, instruments, rate: config.rate });
  }
  const lagUs = (): number => (feed?.driver ?? baseline?.driver)?.lagUs ?? 0;
  const commands = (): number => (feed?.driver ?? baseline?.driver)?.commands ?? 0;

  const sample = (): ServerSample => {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const g = feed?.gateway.stats;
    const b = baseline?.stats;
    return {
      atMs: performance.now(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      commands: commands(),
      connections: feed?.gateway.connections ?? b?.connections ?? 0,
      frames: g?.frames ?? b?.sends ?? 0,
      messages: g?.messages ?? b?.sends ?? 0,
      wireBytes: g?.wireBytes ?? b?.wireBytes ?? 0,
      built: g?.built ?? 0,
      slowConsumerCloses: g?.slowConsumerCloses ?? 0,
      conflated: g?.conflated ?? 0,
    };
  };

  let window: Promise<ServerWindow> | undefined;

  /** Samples at the window's edges, on timers: the figures cover the window whenever the parent asks. */
  const scheduleWindow = (startAtMs: number, endAtMs: number, profileDir: string | null): void => {
    window = new Promise<ServerWindow>((resolve) => {
      let start: ServerSample;
      let elu: ReturnType<typeof performance.eventLoopUtilization>;
      let profiler: Session | null = null;
      let lagMaxUs = 0;
      let lagTimer: NodeJS.Timeout | undefined;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      setTimeout(async () => {
        if (profileDir !== null) {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        start = sample();
        elu = performance.eventLoopUtilization();
        delay.enable();
        lagTimer = setInterval(() => {
          lagMaxUs = Math.max(lagMaxUs, lagUs());
        }, 100);
      }, startAtMs - Date.now());
      setTimeout(async () => {
        const end = sample();
        const utilization = performance.eventLoopUtilization(elu).utilization;
        delay.disable();
        clearInterval(lagTimer);
        let profilePath: string | null = null;
        const p = profiler as Session | null;
        if (p !== null && profileDir !== null) {
          const { profile } = await p.post('Profiler.stop');
          profilePath = join(profileDir, `feed-server-${config.mode}-${process.pid}.cpuprofile`);
          writeFileSync(profilePath, JSON.stringify(profile));
          p.disconnect();
        }
        resolve({
          start,
          end,
          elu: utilization,
          loopDelayMs: {
            p50: delay.percentile(50) / 1e6,
            p99: delay.percentile(99) / 1e6,
            max: delay.max / 1e6,
          },
          driverLagMaxUs: lagMaxUs,
          profilePath,
        });
      }, endAtMs - Date.now());
    });
  };

  const handle = async (request: ServerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'sample':
        return sample();
      case 'gc': {
        const gc = globalThis.gc as () => void;
        gc();
        await new Promise((r) => setTimeout(r, 200));
        gc();
        return sample();
      }
      case 'market-start':
        baseline?.startMarket();
        return null;
      case 'window':
        scheduleWindow(request.startAtMs, request.endAtMs, request.profileDir);
        return null;
      case 'window-result':
        if (window === undefined) throw new Error('window-result without window');
        return window;
      case 'close':
        await (feed ?? (baseline as RunningBaseline)).close();
        setImmediate(() => process.exit(0));
        return null;
    }
  };

  const ready: ServerReady = {
    httpUrl: feed?.url ?? `http://127.0.0.1:${(baseline as RunningBaseline).port}`,
    wsUrl: feed?.wsUrl ?? (baseline as RunningBaseline).wsUrl,
    symbols: instruments.map((i) => ({ symbol: i.symbol, priceScale: i.priceScale, qtyScale: i.qtyScale })),
  };
  serveRequests(ready, handle);
}

await main();
