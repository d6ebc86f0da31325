import { pack } from 'msgpackr';
import WebSocket from 'ws';
import {
  type BookLevel,
  bookChecksum,
  decodeFrame,
  decodeFrameJson,
  type ServerMessage,
} from '../../src/protocol/index.ts';

/** Options of {@link RawFeedClient.connect}. */
export interface RawClientOptions {
  readonly protocol?: string | string[];
  readonly perMessageDeflate?: boolean;
  readonly headers?: Record<string, string>;
  /** a CA to trust, for wss:// with a test certificate */
  readonly ca?: string;
}

/**
 * A bare protocol client for integration tests: a real `ws` WebSocket that records every decoded server message,
 * with waiting helpers. It deliberately does not use the SDK, so the tests check the wire itself.
 */
export class RawFeedClient {
  readonly messages: ServerMessage[] = [];
  /** snapshot, update and reset messages by channel id, kept as they arrive so waiting on a channel stays O(1) */
  readonly #byChannel = new Map<number, ServerMessage[]>();
  frames = 0;
  closeCode: number | undefined;
  closeReason = '';
  readonly #waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly ws: WebSocket,
    readonly json: boolean,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.frames++;
      const decoded = isBinary ? decodeFrame(data) : decodeFrameJson(data.toString('utf8'));
      for (const m of decoded) {
        this.messages.push(m);
        if (m[0] === 3 || m[0] === 4 || m[0] === 5) this.#channel(m[1]).push(m);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        for (const w of this.#waiters.splice(0)) w();
        resolve({ code, reason: this.closeReason });
      });
    });
    ws.on('error', () => {});
  }

  /** Opens a connection and waits for it to be open. */
  static async connect(url: string, options: RawClientOptions = {}): Promise<RawFeedClient> {
    const protocol = options.protocol ?? 'tickwire.v1';
    const ws = new WebSocket(url, protocol, {
      perMessageDeflate: options.perMessageDeflate ?? true,
      headers: options.headers,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    const json = (Array.isArray(protocol) ? protocol[0] : protocol) === 'tickwire.v1.json';
    const client = new RawFeedClient(ws, json);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  /** Sends a request map (MessagePack, or JSON text on `tickwire.v1.json`). */
  send(request: Record<string, unknown>): void {
    this.ws.send(this.json ? JSON.stringify(request) : pack(request));
  }

  subscribe(
    id: number,
    channels: string[],
    resume?: { session: string; seqs: Record<string, number> },
  ): void {
    this.send(
      resume === undefined ? { op: 'subscribe', id, channels } : { op: 'subscribe', id, channels, resume },
    );
  }

  /**
   * Resolves once `predicate` holds over the messages received (checked on every frame), or rejects on timeout:
   * 20 s by default, generous on purpose (a test checks what happens, not how fast: issue 11 §3).
   */
  async until(predicate: (messages: readonly ServerMessage[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms (${this.messages.length} messages)`);
      if (this.closeCode !== undefined)
        throw new Error(`closed ${this.closeCode} ${this.closeReason} while waiting`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** The welcome's session. */
  get session(): string {
    const welcome = this.messages.find((m) => m[0] === 0);
    if (welcome === undefined) throw new Error('no welcome yet');
    return (welcome as readonly [0, { session: string }])[1].session;
  }

  /** Channel name → id from every ack so far. */
  get channelIds(): Map<string, number> {
    const ids = new Map<string, number>();
    for (const m of this.messages) if (m[0] === 1) for (const [k, v] of Object.entries(m[2])) ids.set(k, v);
    return ids;
  }

  /** Snapshot, update and reset messages of one channel id, in order (a live view: it grows as frames arrive). */
  ofChannel(id: number): readonly ServerMessage[] {
    return this.#channel(id);
  }

  #channel(id: number): ServerMessage[] {
    let list = this.#byChannel.get(id);
    if (list === undefined) {
      list = [];
      this.#byChannel.set(id, list);
    }
    return list;
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Checks PROTOCOL.md §5 for one channel's messages: a snapshot, then updates with seq + 1 each; after a reset,
 * a snapshot again. Returns the last seq, throws on a gap or a duplicate.
 */
export function checkContiguous(messages: readonly ServerMessage[]): number {
  let seq: number | undefined;
  for (const m of messages) {
    if (m[0] === 5) {
      seq = undefined;
      continue;
    }
    if (m[0] === 3) {
      seq = m[2];
      continue;
    }
    if (m[0] !== 4) continue;
    if (seq === undefined) throw new Error(`update seq ${m[2]} before any snapshot`);
    if (m[2] !== seq + 1) throw new Error(`gap: seq ${m[2]} after ${seq}`);
    seq = m[2];
  }
  if (seq === undefined) throw new Error('no snapshot');
  return seq;
}

/** An L2 book kept from a book channel's snapshot and updates, checking every checksum (§12). */
export class CheckedBook {
  bids = new Map<number, BookLevel>();
  asks = new Map<number, BookLevel>();
  checked = 0;

  apply(m: ServerMessage): void {
    if (m[0] === 5) {
      this.bids.clear();
      this.asks.clear();
      return;
    }
    if (m[0] !== 3 && m[0] !== 4) return;
    const [checksum, bids, asks] = (m[0] === 3 ? m[4] : m.slice(4)) as [number, BookLevel[], BookLevel[]];
    if (m[0] === 3) {
      this.bids.clear();
      this.asks.clear();
    }
    for (const l of bids)
      if (l[1] === 0) this.bids.delete(l[0]);
      else this.bids.set(l[0], l);
    for (const l of asks)
      if (l[1] === 0) this.asks.delete(l[0]);
      else this.asks.set(l[0], l);
    const got = bookChecksum(this.sorted('b'), this.sorted('s'));
    if (got !== checksum) throw new Error(`checksum mismatch at seq ${m[2]}: ${got} != ${checksum}`);
    this.checked++;
  }

  sorted(side: 'b' | 's'): BookLevel[] {
    const levels = [...(side === 'b' ? this.bids : this.asks).values()];
    return levels.sort((a, b) => (side === 'b' ? b[0] - a[0] : a[0] - b[0]));
  }
}
