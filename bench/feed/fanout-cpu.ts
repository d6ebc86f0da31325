/**
 * `node --expose-gc --import tsx bench/feed/fanout-cpu.ts [clients] [rate] [seconds]`: the server's own CPU cost
 * per delivered message, without sockets or a load generator — the gateway, publisher, engine and simulator of
 * `startFeedServer` on a simulated clock, feeding N stub connections (each subscribed to trades + ticker +
 * book:SYM:10 of one symbol, symbols round-robin) whose sockets only count the bytes written. Each step advances
 * the clock by the 5 ms flush window, runs the due commands and one flush. CPU time, not wall time: on a shared
 * machine this stays comparable when the end-to-end `bench:feed` cannot (other processes on the server's core).
 * Use it to compare two versions of feed-server/src/server; it does not measure socket writes (one per
 * connection per flush, the same in both).
 */
import { performance } from 'node:perf_hooks';
import { pack } from 'msgpackr';
import type { RawData, WebSocket } from 'ws';
import {
  FeedPublisher,
  Gateway,
  InProcessBus,
  SimulationDriver,
} from '../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';

const clients = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 5000);
const seconds = Number(process.argv[4] ?? 20);
const STEP_MS = 5;

type Listener = (...args: unknown[]) => void;

/** Just enough of a ws WebSocket for `Gateway.accept`. */
class StubWs {
  readonly protocol = 'tickwire.v1';
  readonly extensions = 'permessage-deflate';
  readonly listeners = new Map<string, Listener>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  ping(): void {}
  close(): void {}
  terminate(): void {}
}

/** Just enough of a net.Socket: writes are counted, never queued. */
class StubSocket {
  readonly writableLength = 0;
  readonly remoteAddress = '127.0.0.1';
  writes = 0;
  bytes = 0;
  on(): this {
    return this;
  }
  write(chunk: Uint8Array): boolean {
    this.writes++;
    this.bytes += chunk.length;
    return true;
  }
}

async function main(): Promise<void> {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.now();
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((error) => {
    throw error;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 1, instruments, rate, publisher, clockMs });
  const gateway = new Gateway(publisher, bus, { flushMs: STEP_MS }, clockMs);
  const sockets: StubSocket[] = [];
  for (let i = 0; i < clients; i++) {
    const ws = new StubWs();
    const socket = new StubSocket();
    sockets.push(socket);
    gateway.accept(ws as unknown as WebSocket, socket as never, { check: () => 'ok' }, '127.0.0.1');
    const symbol = (instruments[i % instruments.length] as (typeof instruments)[number]).symbol;
    const request = pack({
      op: 'subscribe',
      id: 1,
      channels: [`trades:${symbol}`, `ticker:${symbol}`, `book:${symbol}:10`],
    });
    (ws.listeners.get('message') as (data: RawData, isBinary: boolean) => void)(request, true);
  }
  // The gateway flushes on a real timer: let each step's timer fire before the next step.
  const step = async (): Promise<void> => {
    nowMs += STEP_MS;
    driver.pump();
    await new Promise((resolve) => setTimeout(resolve, STEP_MS + 1));
  };
  for (let i = 0; i < 2000 / STEP_MS; i++) await step(); // 2 s of market to warm up
  const gc = globalThis.gc;
  gc?.();
  const messages0 = gateway.stats.messages;
  const frames0 = gateway.stats.frames;
  const built0 = gateway.stats.built;
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const steps = (seconds * 1000) / STEP_MS;
  for (let i = 0; i < steps; i++) await step();
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const messages = gateway.stats.messages - messages0;
  const frames = gateway.stats.frames - frames0;
  const cpuUs = cpu.user + cpu.system;
  const line = (label: string, value: string): void => {
    process.stdout.write(`${label.padEnd(34)}${value}\n`);
  };
  line('clients, commands/s, market seconds', `${clients}, ${rate}, ${seconds}`);
  line('messages delivered', messages.toLocaleString('en-US'));
  line(
    'frames (writes), distinct built',
    `${frames.toLocaleString('en-US')}, ${(gateway.stats.built - built0).toLocaleString('en-US')}`,
  );
  line('messages/frame', (messages / frames).toFixed(1));
  line('CPU s (user + system)', (cpuUs / 1e6).toFixed(2));
  line('busy loop time s', (elu.active / 1000).toFixed(2));
  line('CPU ns per delivered message', ((cpuUs * 1000) / messages).toFixed(0));
  line('delivered msgs/s per core (no writes)', Math.round(messages / (cpuUs / 1e6)).toLocaleString('en-US'));
  await gateway.close();
  driver.stop();
}

await main();
