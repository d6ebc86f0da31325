/**
 * `npm run bench:feed -- [--quick] [--json] [--clients N] …`: the feed server under load, end to end. The real
 * server (`startFeedServer`, as `tickwire serve`) runs in a child process; N real WebSocket clients run in another
 * and decode every frame. Phases: server RSS per idle subscribed connection (at a very low rate), the load window,
 * then the same input and clients against a plain `ws` JSON broadcast for comparison. A third process holds one
 * probe client per symbol: a client that keeps up, for the latency a real subscriber sees while the load runs.
 * Figures, not assertions.
 * Progress goes to stderr; the report (or the JSON) to stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { readBenchArgs } from '../common/read-bench-args.ts';
import type { ClientRequest, ClientWindow, ConnectResult } from './client-process.ts';
import { BenchChild } from './ipc.ts';
import { type FeedBenchOptions, parseFeedBenchArgs, USAGE } from './options.ts';
import { summarizeProfile } from './profile-summary.ts';
import {
  checkTargets,
  type FeedBenchResult,
  formatReport,
  type MemoryResult,
  type PhaseResult,
  phaseFigures,
} from './report.ts';
import { REST_PATHS, type RestLoadResult, runRestLoad } from './rest-load.ts';
import type {
  ServerProcessConfig,
  ServerReady,
  ServerRequest,
  ServerSample,
  ServerWindow,
} from './server-process.ts';

/** Commands/s while measuring idle connections: the market moves, the sockets barely. */
const IDLE_RATE = 10;

type Log = (msg: string) => void;

class ServerChild {
  readonly child: BenchChild<ServerReady>;

  constructor(config: ServerProcessConfig) {
    this.child = new BenchChild<ServerReady>('./server-process.ts', config);
  }

  request<T>(r: ServerRequest): Promise<T> {
    return this.child.request<T>(r);
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => {});
    await Promise.race([this.child.exited, sleep(5000)]);
    this.child.kill();
  }
}

class ClientChild {
  readonly child = new BenchChild<null>('./client-process.ts', null);

  request<T>(r: ClientRequest): Promise<T> {
    return this.child.request<T>(r);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = readBenchArgs(argv, parseFeedBenchArgs, USAGE);
  if (typeof options === 'number') return options;
  const t0 = performance.now();
  const log: Log = options.json
    ? () => {}
    : (msg) =>
        process.stderr.write(`· ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${msg}\n`);
  const loadAtStart = os.loadavg()[0] ?? 0;
  const pinned = options.pin && os.cpus().length >= 2 && hasTaskset();
  if (options.profileDir !== null) mkdirSync(options.profileDir, { recursive: true });

  const clients = new ClientChild();
  const probes = new ClientChild();
  const children: BenchChild<unknown>[] = [clients.child, probes.child];
  const stopAll = (): void => {
    for (const c of children) c.kill();
  };
  process.once('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  try {
    await Promise.all([clients.child.ready, probes.child.ready]);
    // The probes share the load generator's CPU: the server's is the one under test.
    if (pinned) for (const c of [clients, probes]) pin(c.child.pid, 1);
    const spawnServer = async (
      config: ServerProcessConfig,
    ): Promise<{ s: ServerChild; ready: ServerReady }> => {
      const s = new ServerChild(config);
      children.push(s.child);
      const ready = await s.child.ready;
      if (pinned) pin(s.child.pid, 0);
      return { s, ready };
    };

    const memory = options.memory ? await measureMemory(options, clients, spawnServer, log) : null;
    const tickwire = await runPhase('tickwire', options, clients, probes, spawnServer, log);
    const baseline = options.baseline
      ? await runPhase('baseline', options, clients, probes, spawnServer, log)
      : null;
    const rest: RestLoadResult = options.rest
      ? await restPhase(options, spawnServer, log)
      : { status: 'skipped', reason: '--rest off' };

    const cpus = os.cpus();
    const result: FeedBenchResult = {
      node: process.version,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cpus: cpus.length,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
      options,
      pinned,
      memory,
      tickwire,
      baseline,
      rest,
      targets: checkTargets(options, tickwire, memory),
    };
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatReport(result)}\n`);
    return 0;
  } finally {
    stopAll();
  }
}

type SpawnServer = (config: ServerProcessConfig) => Promise<{ s: ServerChild; ready: ServerReady }>;

/** Server RSS with no client, then with N idle subscribed clients, each after GC. */
async function measureMemory(
  options: FeedBenchOptions,
  clients: ClientChild,
  spawnServer: SpawnServer,
  log: Log,
): Promise<MemoryResult> {
  log(
    `memory: server at ${IDLE_RATE} commands/s, RSS with 0 then ${options.clients} idle subscribed clients`,
  );
  const { s, ready } = await spawnServer({
    mode: 'tickwire',
    rate: IDLE_RATE,
    seed: options.seed,
    flushMs: options.flushMs,
  });
  await sleep(1000);
  const before = await s.request<ServerSample>({ op: 'gc' });
  const connect = await connectClients('tickwire', options, clients, ready, options.clients);
  await sleep(2000);
  const after = await s.request<ServerSample>({ op: 'gc' });
  await clients.request({ op: 'disconnect' });
  await s.close();
  const n = Math.max(1, connect.connected);
  return {
    clients: options.clients,
    connected: connect.connected,
    rate: IDLE_RATE,
    rss0Bytes: before.rssBytes,
    rssNBytes: after.rssBytes,
    heap0Bytes: before.heapUsedBytes,
    heapNBytes: after.heapUsedBytes,
    rssPerConnectionKiB: (after.rssBytes - before.rssBytes) / n / 1024,
    heapPerConnectionKiB: (after.heapUsedBytes - before.heapUsedBytes) / n / 1024,
  };
}

/** Starts a server, connects the clients, warms up, measures the window, tears down. */
async function runPhase(
  mode: 'tickwire' | 'baseline',
  options: FeedBenchOptions,
  clients: ClientChild,
  probes: ClientChild,
  spawnServer: SpawnServer,
  log: Log,
): Promise<PhaseResult> {
  log(`${mode}: server at ${options.rate} commands/s, connecting ${options.clients} clients`);
  const { s, ready } = await spawnServer({
    mode,
    rate: options.rate,
    seed: options.seed,
    flushMs: options.flushMs,
  });
  await clients.request({ op: 'gc' });
  const connect = await connectClients(mode, options, clients, ready, options.clients);
  await connectClients(mode, options, probes, ready, ready.symbols.length);
  await s.request({ op: 'market-start' });
  log(
    `${mode}: ${connect.connected} subscribed in ${(connect.ms / 1000).toFixed(1)} s; warming up ${options.warmup} s`,
  );
  // The window is wall-clock time, announced before it opens: both processes sample it on their own timers and
  // the clients count what they decode inside it, however late a busy process reads our next request.
  const startAtMs = Date.now() + options.warmup * 1000;
  const endAtMs = startAtMs + options.seconds * 1000;
  const window = { op: 'window', startAtMs, endAtMs, profileDir: options.profileDir } as const;
  // The probes are not profiled: their profile would overwrite nothing useful and cost them latency.
  const probeWindow = { ...window, profileDir: null };
  await Promise.all([s.request(window), clients.request(window), probes.request(probeWindow)]);
  await sleep(startAtMs - Date.now());
  log(`${mode}: measuring ${options.seconds} s`);
  await sleep(endAtMs - Date.now());
  const clientWindow = await clients.request<ClientWindow>({ op: 'result' });
  const probeResult = await probes.request<ClientWindow>({ op: 'result' });
  const serverWindow = await s.request<ServerWindow>({ op: 'window-result' });
  log(`${mode}: window closed, results in`);
  await Promise.all([clients.request({ op: 'disconnect' }), probes.request({ op: 'disconnect' })]);
  await s.close();
  return {
    server: mode,
    connect,
    serverWindow,
    clientWindow,
    probeWindow: probeResult,
    figures: phaseFigures(serverWindow, clientWindow),
    profile: serverWindow.profilePath === null ? null : summarizeProfile(serverWindow.profilePath),
    clientProfile: clientWindow.profilePath === null ? null : summarizeProfile(clientWindow.profilePath),
  };
}

async function connectClients(
  mode: 'tickwire' | 'baseline',
  options: FeedBenchOptions,
  clients: ClientChild,
  ready: ServerReady,
  count: number,
): Promise<ConnectResult> {
  const connect = await clients.request<ConnectResult>({
    op: 'connect',
    url: ready.wsUrl,
    mode,
    clients: count,
    channels: options.channels,
    symbols: ready.symbols,
    deflate: options.deflate,
  });
  if (connect.failed > 0) {
    process.stderr.write(`${mode}: ${connect.failed} clients failed to subscribe: ${connect.firstError}\n`);
  }
  return connect;
}

/** The REST hook (rest-load.ts): runs only once there are paths to load. */
async function restPhase(
  options: FeedBenchOptions,
  spawnServer: SpawnServer,
  log: Log,
): Promise<RestLoadResult> {
  if (REST_PATHS.length === 0) return runRestLoad('', REST_PATHS, 0);
  log(`REST: ${REST_PATHS.length} paths with autocannon`);
  const { s, ready } = await spawnServer({
    mode: 'tickwire',
    rate: options.rate,
    seed: options.seed,
    flushMs: options.flushMs,
  });
  try {
    return await runRestLoad(ready.httpUrl, REST_PATHS, options.quick ? 2 : 10);
  } finally {
    await s.close();
  }
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of `pid` (the main thread, libuv's pool, V8's helpers) to one CPU. */
function pin(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

process.exitCode = await main(process.argv.slice(2));
