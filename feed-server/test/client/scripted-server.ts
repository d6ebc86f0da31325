import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  buildFrame,
  buildJsonFrame,
  decodeRequest,
  encodeMessage,
  encodeMessageJson,
  type InstrumentInfo,
  type Request,
  type ServerMessage,
  type Welcome,
} from '../../src/protocol/index.ts';
import { SAMPLE_BTC } from '../protocol/sample-messages.ts';

const INSTRUMENTS = 'instruments';
/** The channel id `ack` gives `instruments` unless told otherwise. */
export const INSTRUMENTS_ID = 99;

/** What the scripted server lists on `instruments`: BTC-USD at 2 and 5 decimals. */
export const SCRIPTED_INSTRUMENTS: readonly InstrumentInfo[] = [SAMPLE_BTC];

/** 2025-11-22T06:00:00Z in µs. */
export const TS_US = 1_763_791_200_000_000;

export function welcomeBody(session: string, heartbeatMs = 5000): Welcome {
  return {
    protocol: 'tickwire.v1',
    server: 'scripted/0',
    session,
    heartbeatMs,
    mode: 'live',
    limits: {
      clientFrameBytes: 4096,
      channelsPerRequest: 50,
      subscriptionsPerConnection: 100,
      requestsPerSecond: 10,
      requestBurst: 20,
      connectionsPerIp: 100,
      queuedBytesPerConnection: 4 * 1024 * 1024,
    },
  };
}

/**
 * How long a test waits for the client to do something. Generous on purpose (issue 11 §3): a loaded machine is
 * slow now and then, and a test checks what the client does, not how fast; it only costs time when one fails.
 */
const WAIT_MS = 10_000;

/** A queue of values some test awaits one by one. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((v: T) => void)[] = [];

  push(v: T): void {
    const w = this.waiters.shift();
    if (w !== undefined) w(v);
    else this.items.push(v);
  }

  next(timeoutMs = WAIT_MS, what = 'value'): Promise<T> {
    const v = this.items.shift();
    if (v !== undefined) return Promise.resolve(v);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
  }

  get pending(): number {
    return this.items.length;
  }
}

/** One client connection as the scripted server sees it: its requests, and a way to send frames. */
export class ScriptedConnection {
  readonly requests = new Inbox<Request>();
  readonly json: boolean;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    readonly ws: WebSocket,
    /** the request URL path and query, e.g. `/v1/ws?token=abc` */
    readonly path: string,
  ) {
    this.json = ws.protocol === 'tickwire.v1.json';
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.requests.push(decodeRequest(isBinary ? new Uint8Array(data) : data.toString()));
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** Sends the messages as one frame in the connection's format. */
  send(...messages: ServerMessage[]): void {
    if (this.json) this.ws.send(buildJsonFrame(messages.map(encodeMessageJson)));
    else this.ws.send(buildFrame(messages.map(encodeMessage)));
  }

  welcome(session = 's1', heartbeatMs = 5000): void {
    this.send([0, welcomeBody(session, heartbeatMs)]);
  }

  /** The next request, which must be of `op`. */
  async expect<O extends Request['op']>(op: O): Promise<Extract<Request, { op: O }>> {
    const r = await this.requests.next(WAIT_MS, `${op} request`);
    if (r.op !== op) throw new Error(`expected ${op}, got ${JSON.stringify(r)}`);
    return r as Extract<Request, { op: O }>;
  }

  /**
   * Acks a subscribe/unsubscribe for all its channels, with ids from `ids` (default: 1, 2, … in order, not
   * counting `instruments`, which the client subscribes ahead of every data channel and gets id 99).
   */
  ack(
    request: Extract<Request, { op: 'subscribe' | 'unsubscribe' }>,
    ids: Record<string, number> = {},
  ): void {
    const map: Record<string, number> = {};
    request.channels
      .filter((c) => c !== INSTRUMENTS)
      .forEach((c, i) => {
        map[c] = ids[c] ?? i + 1;
      });
    if (!request.channels.includes(INSTRUMENTS)) {
      this.send([1, request.id, map]);
      return;
    }
    const id = ids[INSTRUMENTS] ?? INSTRUMENTS_ID;
    map[INSTRUMENTS] = id;
    // As the server does: a fresh `instruments` subscription gets its snapshot right after the ack (a resumed
    // one, at seq 0 of the same session, gets nothing).
    const resumed = request.op === 'subscribe' && request.resume?.seqs.has(INSTRUMENTS) === true;
    if (request.op === 'unsubscribe' || resumed) this.send([1, request.id, map]);
    else this.send([1, request.id, map], [3, id, 0, 0, SCRIPTED_INSTRUMENTS]);
  }

  /** Drops the TCP connection without a close frame (the client sees 1006). */
  kill(): void {
    this.ws.terminate();
  }
}

/** A real `ws` server on 127.0.0.1:0 that a test scripts message by message. */
export class ScriptedServer {
  readonly connections = new Inbox<ScriptedConnection>();
  /** connections accepted so far */
  count = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (ws, req) => {
      this.count++;
      this.connections.push(new ScriptedConnection(ws, req.url ?? ''));
    });
  }

  static start(): Promise<ScriptedServer> {
    return new Promise((resolve) => {
      const wss = new WebSocketServer({
        host: '127.0.0.1',
        port: 0,
        path: '/v1/ws',
        handleProtocols: (protocols) =>
          protocols.has('tickwire.v1.json')
            ? 'tickwire.v1.json'
            : protocols.has('tickwire.v1') && 'tickwire.v1',
      });
      wss.on('listening', () => {
        const { port } = wss.address() as AddressInfo;
        resolve(new ScriptedServer(wss, `ws://127.0.0.1:${port}/v1/ws`));
      });
    });
  }

  /** The next connection, already welcomed with `session`. */
  async accept(session = 's1'): Promise<ScriptedConnection> {
    const c = await this.connections.next(WAIT_MS, 'connection');
    c.welcome(session);
    return c;
  }

  close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
