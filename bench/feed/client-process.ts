/**
 * The load generator of `bench:feed`, forked by main.ts: N real `ws` WebSocket clients in this one process, each
 * subscribed to the same channel templates of one symbol (symbols round-robin). Every frame is decoded as a real
 * client would — `decodeFrame` of the protocol module (or `JSON.parse` against the baseline) — every update's
 * end-to-end latency (wall clock now − its engine time `tsUs`) goes into one histogram, and every channel's seqs
 * are checked for gaps.
 *
 * The window is wall-clock time, given in advance: a frame counts when it is decoded inside it. So the figures do
 * not depend on when this busy process gets to read a control message; after the window, frames are no longer
 * decoded, so a backlog drains fast and the answer comes back.
 *
 * One client per symbol is also a *meter*: it re-encodes what it receives as named-field JSON (and as
 * `tickwire.v1.json`) and counts those bytes. Every client of a symbol receives the very same messages, so the
 * meters measure the JSON size of the whole stream without making the load generator do it 1000 times over.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { pack } from 'msgpackr';
import WebSocket from 'ws';
import { decodeFrame, type ServerMessage } from '../../feed-server/src/protocol/index.ts';
import { serveRequests } from './ipc.ts';
import { type ChannelMeta, channelMeta, namedJson, type SymbolScales, wsHeaderBytes } from './named-json.ts';

/** Requests main.ts sends. */
export type ClientRequest =
  | {
      readonly op: 'connect';
      readonly url: string;
      readonly mode: 'tickwire' | 'baseline';
      readonly clients: number;
      /** channel name templates, `SYM` = the client's symbol */
      readonly channels: readonly string[];
      readonly symbols: readonly SymbolScales[];
      readonly deflate: boolean;
    }
  | {
      readonly op: 'window';
      /** wall clock, ms since the epoch */
      readonly startAtMs: number;
      readonly endAtMs: number;
      readonly profileDir: string | null;
    }
  | { readonly op: 'result' }
  | { readonly op: 'disconnect' }
  | { readonly op: 'gc' };

/** Answer to `connect`. */
export interface ConnectResult {
  readonly connected: number;
  readonly failed: number;
  /** how many negotiated permessage-deflate */
  readonly deflated: number;
  readonly firstError: string | null;
  readonly ms: number;
}

/** Latency percentiles over the window, µs. */
export interface LatencyFigures {
  readonly count: number;
  readonly minUs: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
}

/** What the meter client of one symbol saw in the window. */
export interface MeterFigures {
  readonly messages: number;
  readonly frames: number;
  /** bytes of the received payloads (after inflate) */
  readonly payloadBytes: number;
  /** the same messages as named-field JSON, one message per WebSocket frame: text + frame header */
  readonly namedJsonBytes: number;
  /** the same frames as `tickwire.v1.json` without compression: text + frame header */
  readonly v1JsonBytes: number;
}

/** Per symbol: its clients' totals and its meter's. */
export interface SymbolFigures {
  readonly symbol: string;
  readonly clients: number;
  readonly messages: number;
  readonly wireBytes: number;
  readonly meter: MeterFigures | null;
}

/** Answer to `result`: the window as the clients saw it. */
export interface ClientWindow {
  readonly windowMs: number;
  readonly clientsOpen: number;
  readonly messages: number;
  readonly updates: number;
  readonly frames: number;
  /** payload bytes after inflate */
  readonly payloadBytes: number;
  /** bytes read from the sockets: WebSocket frames as they crossed the wire */
  readonly wireBytes: number;
  readonly latency: LatencyFigures;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** event-loop utilization of this process over the window, 0–1 */
  readonly elu: number;
  readonly bySymbol: readonly SymbolFigures[];
  /** since connecting: updates whose seq did not follow the previous one of their channel */
  readonly gaps: number;
  /** since connecting: `reset` messages (slow-consumer resyncs) */
  readonly resets: number;
  /** since connecting: `error` messages */
  readonly errors: number;
  /** since connecting: close codes of connections the server closed */
  readonly closes: Readonly<Record<string, number>>;
  /** since connecting: errors of open connections, by code */
  readonly socketErrors: Readonly<Record<string, number>>;
  /** the CPU profile of this process over the window, when asked for */
  readonly profilePath: string | null;
}

const histogram = createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });
/** The measured window, wall clock µs; before `window` arrives nothing is inside it. */
let windowStartUs = Number.POSITIVE_INFINITY;
let windowEndUs = Number.POSITIVE_INFINITY;
const closes = new Map<number, number>();
/** Errors of open connections, by code (ECONNRESET, WS_ERR_…) or message. */
const socketErrors = new Map<string, number>();
let disconnecting = false;

/** Wall clock in µs with sub-ms resolution: `Date.now()` only ticks in ms. */
function calibrateClockUs(): () => number {
  // Date.now() = floor(wall ms), so max(Date.now() − performance.now()) over ~2 ms converges on the offset.
  let offsetMs = Number.NEGATIVE_INFINITY;
  const until = performance.now() + 3;
  while (performance.now() < until) offsetMs = Math.max(offsetMs, Date.now() - performance.now());
  return () => (offsetMs + performance.now()) * 1000;
}
const nowUs = calibrateClockUs();

/** Channel id → meta, shared by every client (ids are session-wide, §11). */
const metas: (ChannelMeta | undefined)[] = [];

class LoadClient {
  readonly ws: WebSocket;
  /** tickwire: last seq by channel id (-1: awaiting a snapshot after a reset) */
  readonly #lastSeq: number[] = [];
  /** baseline: last seq by channel name */
  readonly #lastSeqByName = new Map<string, number>();
  acked = false;
  #onAck: (() => void) | null = null;
  messages = 0;
  updates = 0;
  frames = 0;
  payloadBytes = 0;
  /** socket bytes read when the first frame of the window was decoded; -1 before */
  wireAtStart = -1;
  /** socket bytes read when the first frame after the window arrived; -1 before */
  wireAtEnd = -1;
  gaps = 0;
  resets = 0;
  errors = 0;
  namedJsonBytes = 0;
  v1JsonBytes = 0;
  open = false;

  constructor(
    url: string,
    readonly mode: 'tickwire' | 'baseline',
    readonly symbolIndex: number,
    readonly meter: boolean,
    readonly scales: ReadonlyMap<string, SymbolScales>,
    deflate: boolean,
  ) {
    this.ws =
      mode === 'tickwire'
        ? new WebSocket(url, 'tickwire.v1', { perMessageDeflate: deflate })
        : new WebSocket(url, { perMessageDeflate: deflate });
    this.ws.on('message', (data: Buffer) => this.#onFrame(data));
    this.ws.on('close', (code) => {
      this.open = false;
      if (!disconnecting) closes.set(code, (closes.get(code) ?? 0) + 1);
    });
  }

  /** Resolves once the connection is open. */
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('open', () => {
        this.open = true;
        this.ws.on('error', (error: NodeJS.ErrnoException) => {
          const key = error.code ?? error.message;
          socketErrors.set(key, (socketErrors.get(key) ?? 0) + 1);
        });
        resolve();
      });
    });
  }

  /** Subscribes; resolves once the subscription is acknowledged. */
  subscribe(channels: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      this.#onAck = resolve;
      this.ws.send(
        this.mode === 'tickwire'
          ? pack({ op: 'subscribe', id: 1, channels })
          : JSON.stringify({ op: 'subscribe', channels }),
      );
    });
  }

  /** Bytes read from the socket so far. */
  get bytesRead(): number {
    return (this.ws as unknown as { _socket: Socket | null })._socket?.bytesRead ?? 0;
  }

  /**
   * Socket bytes over the window: from the first frame decoded in it to the first after it (each reading
   * includes the rest of the chunk that frame came in, so the two offsets nearly cancel).
   */
  get windowWireBytes(): number {
    if (this.wireAtStart < 0) return 0;
    return (this.wireAtEnd < 0 ? this.bytesRead : this.wireAtEnd) - this.wireAtStart;
  }

  #onFrame(data: Buffer): void {
    const now = nowUs();
    if (now >= windowEndUs) {
      // After the window: no more decoding, so a backlog drains fast.
      if (this.wireAtEnd < 0) this.wireAtEnd = this.bytesRead;
      return;
    }
    const measuring = now >= windowStartUs;
    if (measuring && this.wireAtStart < 0) this.wireAtStart = this.bytesRead;
    if (this.mode === 'tickwire') this.#onTickwireFrame(data, now, measuring);
    else this.#onBaselineFrame(data, now, measuring);
  }

  #onTickwireFrame(data: Buffer, now: number, measuring: boolean): void {
    const messages = decodeFrame(data);
    let updates = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as ServerMessage;
      switch (m[0]) {
        case 4: {
          const id = m[1];
          const last = this.#lastSeq[id];
          if (last === undefined || last < 0 || m[2] !== last + 1) this.gaps++;
          this.#lastSeq[id] = m[2];
          if (measuring) {
            const latency = now - m[3];
            histogram.record(latency < 1 ? 1 : Math.round(latency));
          }
          updates++;
          break;
        }
        case 3:
          this.#lastSeq[m[1]] = m[2];
          break;
        case 5:
          this.#lastSeq[m[1]] = -1;
          this.resets++;
          break;
        case 1:
          for (const [name, id] of Object.entries(m[2])) metas[id] ??= channelMeta(name, this.scales);
          this.acked = true;
          this.#onAck?.();
          this.#onAck = null;
          break;
        case 2:
          this.errors++;
          break;
      }
    }
    if (!measuring) return;
    this.frames++;
    this.messages += messages.length;
    this.updates += updates;
    this.payloadBytes += data.length;
    if (this.meter) this.#meter(messages);
  }

  #meter(messages: readonly ServerMessage[]): void {
    let named = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as ServerMessage;
      const text = namedJson(m, m[0] === 4 ? metas[m[1]] : undefined);
      named += text.length + wsHeaderBytes(text.length);
    }
    this.namedJsonBytes += named;
    const v1 = JSON.stringify(messages).length;
    this.v1JsonBytes += v1 + wsHeaderBytes(v1);
  }

  #onBaselineFrame(data: Buffer, now: number, measuring: boolean): void {
    const m = JSON.parse(data.toString()) as { type: string; channel?: string; seq?: number; ts?: number };
    if (m.seq !== undefined && m.channel !== undefined && m.ts !== undefined) {
      const last = this.#lastSeqByName.get(m.channel);
      // No snapshots in the baseline: a channel's first message sets its seq.
      if (last !== undefined && m.seq !== last + 1) this.gaps++;
      this.#lastSeqByName.set(m.channel, m.seq);
      if (measuring) {
        const latency = now - m.ts;
        histogram.record(latency < 1 ? 1 : Math.round(latency));
        this.updates++;
      }
    } else if (m.type === 'subscribed') {
      this.acked = true;
      this.#onAck?.();
      this.#onAck = null;
    } else if (m.type === 'error') this.errors++;
    if (!measuring) return;
    this.frames++;
    this.messages++;
    this.payloadBytes += data.length;
  }

  resetCounters(): void {
    this.messages = 0;
    this.updates = 0;
    this.frames = 0;
    this.payloadBytes = 0;
    this.namedJsonBytes = 0;
    this.v1JsonBytes = 0;
    this.wireAtStart = -1;
    this.wireAtEnd = -1;
  }
}

/** Clients not acknowledged by then count as failed. */
const CONNECT_TIMEOUT_MS = 60_000;
let clients: LoadClient[] = [];
let symbols: readonly SymbolScales[] = [];
/** This process's CPU, event loop and profiler over the window, read by timers at its edges. */
interface ProcessWindow {
  startAtMs: number;
  endAtMs: number;
  cpu: NodeJS.CpuUsage | null;
  cpuDelta: NodeJS.CpuUsage | null;
  elu: ReturnType<typeof performance.eventLoopUtilization> | null;
  eluDelta: number;
  /** when the timers actually ran (a busy loop runs them late), performance.now() */
  sampledFromMs: number;
  sampledToMs: number;
  profiler: Session | null;
  profilePath: string | null;
  ended: Promise<void>;
}
let processWindow: ProcessWindow | undefined;
async function connect(request: Extract<ClientRequest, { op: 'connect' }>): Promise<ConnectResult> {
  const t0 = performance.now();
  disconnecting = false;
  windowStartUs = Number.POSITIVE_INFINITY;
  windowEndUs = Number.POSITIVE_INFINITY;
  processWindow = undefined;
  closes.clear();
  socketErrors.clear();
  metas.length = 0;
  symbols = request.symbols;
  const scales = new Map(symbols.map((s) => [s.symbol, s]));
  clients = [];
  let failed = 0;
  let firstError: string | null = null;
  // Every handshake first, then every subscription at once: data flowing to the first clients while the
  // others still connect would load both processes and starve the handshakes.
  const CONCURRENT = 100;
  let next = 0;
  const opened: LoadClient[] = [];
  const worker = async (): Promise<void> => {
    while (next < request.clients) {
      const i = next++;
      const c = new LoadClient(
        request.url,
        request.mode,
        i % symbols.length,
        i < symbols.length,
        scales,
        request.deflate,
      );
      clients.push(c);
      try {
        await c.opened();
        opened.push(c);
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, worker));
  const acked = Promise.all(
    opened.map((c) =>
      c.subscribe(
        request.channels.map((t) => t.replaceAll('SYM', (symbols[c.symbolIndex] as SymbolScales).symbol)),
      ),
    ),
  );
  const timedOut = await Promise.race([
    acked.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), CONNECT_TIMEOUT_MS).unref()),
  ]);
  if (timedOut) {
    const pending = opened.filter((c) => !c.acked).length;
    failed += pending;
    firstError ??= `${pending} clients not acknowledged ${CONNECT_TIMEOUT_MS / 1000} s after subscribing`;
  }
  return {
    connected: clients.filter((c) => c.acked).length,
    failed,
    deflated: clients.filter((c) => c.ws.extensions.includes('permessage-deflate')).length,
    firstError,
    ms: performance.now() - t0,
  };
}

function scheduleWindow(request: Extract<ClientRequest, { op: 'window' }>): null {
  for (const c of clients) c.resetCounters();
  histogram.reset();
  windowStartUs = request.startAtMs * 1000;
  windowEndUs = request.endAtMs * 1000;
  let markEnded = (): void => {};
  const w: ProcessWindow = {
    startAtMs: request.startAtMs,
    endAtMs: request.endAtMs,
    cpu: null,
    cpuDelta: null,
    elu: null,
    eluDelta: 0,
    sampledFromMs: 0,
    sampledToMs: 0,
    profiler: null,
    profilePath: null,
    ended: new Promise((resolve) => {
      markEnded = resolve;
    }),
  };
  processWindow = w;
  setTimeout(async () => {
    if (request.profileDir !== null) {
      w.profiler = new Session();
      w.profiler.connect();
      await w.profiler.post('Profiler.enable');
      await w.profiler.post('Profiler.start');
    }
    w.sampledFromMs = performance.now();
    w.cpu = process.cpuUsage();
    w.elu = performance.eventLoopUtilization();
  }, request.startAtMs - Date.now());
  setTimeout(async () => {
    w.sampledToMs = performance.now();
    w.cpuDelta = process.cpuUsage(w.cpu ?? undefined);
    w.eluDelta = w.elu === null ? 1 : performance.eventLoopUtilization(w.elu).utilization;
    if (w.profiler !== null && request.profileDir !== null) {
      const { profile } = await w.profiler.post('Profiler.stop');
      w.profilePath = join(request.profileDir, `feed-clients-${process.pid}.cpuprofile`);
      writeFileSync(w.profilePath, JSON.stringify(profile));
      w.profiler.disconnect();
    }
    markEnded();
  }, request.endAtMs - Date.now());
  return null;
}

async function result(): Promise<ClientWindow> {
  const w = processWindow;
  if (w === undefined) throw new Error('result without window');
  await w.ended;
  const cpu = w.cpuDelta ?? { user: 0, system: 0 };
  const cpuScale = (w.endAtMs - w.startAtMs) / Math.max(1, w.sampledToMs - w.sampledFromMs);
  const bySymbol = symbols.map((s, index) => {
    const mine = clients.filter((c) => c.symbolIndex === index);
    const meter = mine.find((c) => c.meter && c.open);
    return {
      symbol: s.symbol,
      clients: mine.length,
      messages: sum(mine, (c) => c.messages),
      wireBytes: sum(mine, (c) => c.windowWireBytes),
      meter:
        meter === undefined
          ? null
          : {
              messages: meter.messages,
              frames: meter.frames,
              payloadBytes: meter.payloadBytes,
              namedJsonBytes: meter.namedJsonBytes,
              v1JsonBytes: meter.v1JsonBytes,
            },
    };
  });
  return {
    windowMs: w.endAtMs - w.startAtMs,
    clientsOpen: clients.filter((c) => c.open).length,
    messages: sum(clients, (c) => c.messages),
    updates: sum(clients, (c) => c.updates),
    frames: sum(clients, (c) => c.frames),
    payloadBytes: sum(clients, (c) => c.payloadBytes),
    wireBytes: sum(clients, (c) => c.windowWireBytes),
    latency: {
      count: histogram.count,
      minUs: histogram.count === 0 ? 0 : histogram.min,
      p50Us: histogram.percentile(50),
      p90Us: histogram.percentile(90),
      p99Us: histogram.percentile(99),
      p999Us: histogram.percentile(99.9),
      maxUs: histogram.max,
      meanUs: histogram.mean,
    },
    // CPU time scaled from the interval the timers really covered to the window's length.
    cpuUserUs: cpu.user * cpuScale,
    cpuSystemUs: cpu.system * cpuScale,
    elu: w.eluDelta,
    bySymbol,
    gaps: sum(clients, (c) => c.gaps),
    resets: sum(clients, (c) => c.resets),
    errors: sum(clients, (c) => c.errors),
    closes: Object.fromEntries([...closes].map(([code, n]) => [String(code), n])),
    socketErrors: Object.fromEntries(socketErrors),
    profilePath: w.profilePath,
  };
}

async function disconnect(): Promise<null> {
  disconnecting = true;
  const closed = clients.map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.ws.readyState === WebSocket.CLOSED) resolve();
        else c.ws.once('close', () => resolve());
      }),
  );
  for (const c of clients) c.ws.terminate();
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 3000))]);
  clients = [];
  return null;
}

function sum(list: readonly LoadClient[], f: (c: LoadClient) => number): number {
  let n = 0;
  for (const c of list) n += f(c);
  return n;
}

serveRequests(null, (request: ClientRequest) => {
  switch (request.op) {
    case 'connect':
      return connect(request);
    case 'window':
      return scheduleWindow(request);
    case 'result':
      return result();
    case 'disconnect':
      return disconnect();
    case 'gc':
      (globalThis.gc as () => void)();
      return null;
  }
});
