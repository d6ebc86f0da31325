import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import {
  CLOSE_CODES,
  DEFAULT_LIMITS,
  decodeRequest,
  encodeMessage,
  formatChannel,
  type Limits,
  MESSAGE_TYPES,
  ProtocolError,
  parseChannel,
  type ReplayRequest,
  type Request,
  type RequestErrorCode,
  type ServerMessage,
  SUBPROTOCOLS,
  type SubscribeRequest,
} from '../protocol/index.ts';
import type { Bus } from './bus.ts';
import { Fanout, MessageList, mergeByNumber } from './fanout.ts';
import { ConnectionSubscription, FeedConnection, type RequestGuard } from './feed-connection.ts';
import type { FeedMetrics } from './feed-metrics.ts';
import type { ChannelHandle, FeedSink, FeedSource } from './feed-source.ts';
import { type FrameStats, FrameWriter } from './frame-writer.ts';

/** Tuning of the {@link Gateway}; defaults are PROTOCOL.md's. */
export interface GatewayOptions {
  /**
   * Minimum batching window, ms (PROTOCOL.md §2). 0 (the default): what the work of one event-loop turn produced
   * (a driver pump, a batch of client requests) is written as soon as that turn's work is done, in one frame per
   * connection; under load the turns grow, and so do the frames. N > 0: a frame waits up to N ms after its first
   * message, to batch more when messages trickle in (fewer, larger frames for more latency).
   */
  readonly flushMs: number;
  /** application heartbeat interval on idle connections (default 5000 ms, §6) */
  readonly heartbeatMs: number;
  /** WebSocket ping interval; two unanswered pings terminate the peer (default 15000 ms, §6) */
  readonly pingMs: number;
  /** after a 4008 close, the socket is destroyed if the peer has not completed the close within this (ms) */
  readonly slowCloseGraceMs: number;
  readonly limits: Limits;
  /** `welcome.server` */
  readonly serverName: string;
  /** where the gateway's counters go (Prometheus, `/metrics`); none by default */
  readonly metrics: FeedMetrics | undefined;
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  flushMs: 0,
  heartbeatMs: 5000,
  pingMs: 15_000,
  slowCloseGraceMs: 5000,
  limits: DEFAULT_LIMITS,
  serverName: 'tickwire/0.1.0',
  metrics: undefined,
};

/** Counters of the gateway since it started, read by metrics. */
export interface GatewayStats extends FrameStats {
  connectionsOpened: number;
  connectionsClosed: number;
  /** conflatable messages dropped for slow consumers (replaced by reset + snapshot) */
  conflated: number;
  slowConsumerCloses: number;
  resets: number;
  requestErrors: Map<string, number>;
  closes: Map<number, number>;
}

/**
 * The WebSocket side of the feed: sessions, subscriptions, fan-out and batching (PROTOCOL.md §2, §5–§8). It holds
 * no market state — messages arrive encoded on the {@link Bus}, snapshots and resume buffers come from the
 * {@link FeedSource} — so several gateways could serve one producer.
 *
 * Each bus message waits once in its channel's {@link Fanout}, however many subscribe; when the event loop turns
 * after the work that produced them (or `flushMs` after the first, when set) the messages due to each connection
 * go out as one frame. Connections with the same channels and nothing of their own
 * queued get the same frame: merged, built and compressed once, and written as the same Buffer to each.
 */
export class Gateway {
  readonly options: GatewayOptions;
  readonly stats: GatewayStats = {
    frames: 0,
    messages: 0,
    rawBytes: 0,
    wireBytes: 0,
    built: 0,
    connectionsOpened: 0,
    connectionsClosed: 0,
    conflated: 0,
    slowConsumerCloses: 0,
    resets: 0,
    requestErrors: new Map(),
    closes: new Map(),
  };
  readonly #source: FeedSource;
  readonly #bus: Bus;
  readonly #clockMs: () => number;
  readonly #connections = new Set<FeedConnection>();
  readonly #fanouts = new Map<string, Fanout<ConnectionSubscription>>();
  readonly #dirty: FeedConnection[] = [];
  readonly #dirtyFanouts: Fanout<ConnectionSubscription>[] = [];
  readonly #writer = new FrameWriter();
  /** scratch of a flush: the lists a frame is merged from, and the merged frame */
  readonly #lists: MessageList[] = [];
  readonly #after: number[] = [];
  readonly #merged = new MessageList();
  /** `welcome`, encoded once per session (a replay's session changes with every seek) */
  #welcome: { readonly session: string; readonly encoded: Uint8Array } | undefined;
  #dirtyCount = 0;
  #messageNo = 0;
  #nextConnectionId = 1;
  /** a flush is armed: by `setImmediate` (flushMs 0) or by a `flushMs` timer */
  #flushPending = false;
  #flushTimer: NodeJS.Timeout | undefined;
  #flushImmediate: NodeJS.Immediate | undefined;
  readonly #flushNow = (): void => this.#flush();
  /** when the pending flush was scheduled (performance.now() ms): the oldest queued message waits since then */
  #flushScheduledAt = 0;
  readonly #metrics: FeedMetrics | undefined;
  readonly #heartbeatTimer: NodeJS.Timeout;
  readonly #pingTimer: NodeJS.Timeout;
  #closing = false;

  constructor(source: FeedSource, bus: Bus, options: Partial<GatewayOptions> = {}, clockMs = Date.now) {
    this.options = { ...DEFAULT_GATEWAY_OPTIONS, ...options };
    this.#source = source;
    this.#bus = bus;
    this.#clockMs = clockMs;
    this.#metrics = this.options.metrics;
    this.#heartbeatTimer = setInterval(() => this.#heartbeat(), Math.min(1000, this.options.heartbeatMs));
    this.#pingTimer = setInterval(() => this.#ping(), this.options.pingMs);
    this.#heartbeatTimer.unref();
    this.#pingTimer.unref();
    const sink: FeedSink = {
      backlogged: (bytes) => this.#backlogged(bytes),
      flush: () => {
        if (this.#flushPending) this.#flush();
      },
      rewind: (reason, affected) => this.#rewind(reason, affected),
    };
    source.attach?.(sink);
  }

  #welcomeMessage(): Uint8Array {
    const session = this.#source.session;
    if (this.#welcome?.session !== session) {
      const encoded = encodeMessage([
        MESSAGE_TYPES.welcome,
        {
          protocol: SUBPROTOCOLS.msgpack,
          server: this.options.serverName,
          session,
          heartbeatMs: this.options.heartbeatMs,
          mode: this.#source.mode,
          limits: this.options.limits,
        },
      ]);
      this.#welcome = { session, encoded };
    }
    return this.#welcome.encoded;
  }

  /** Open connections. */
  get connections(): number {
    return this.#connections.size;
  }

  /** Connections over the queued-bytes bound, waiting for their socket to drain (PROTOCOL.md §7). */
  get blockedConnections(): number {
    let n = 0;
    for (const c of this.#connections) if (c.blocked && !c.closed) n++;
    return n;
  }

  /** Subscriptions over all connections. */
  get subscriptions(): number {
    let n = 0;
    for (const c of this.#connections) n += c.subscriptions.size;
    return n;
  }

  /**
   * Takes over an accepted WebSocket: sends `welcome`, then serves its requests.
   *
   * @param socket - the connection's raw socket (from `handleUpgrade`), which data frames are written to
   */
  accept(ws: WebSocket, socket: Socket, guard: RequestGuard, remoteAddress: string): void {
    const json = ws.protocol === SUBPROTOCOLS.json;
    const deflate = ws.extensions.includes('permessage-deflate');
    const c = new FeedConnection(
      this.#nextConnectionId++,
      ws,
      socket,
      json,
      deflate,
      guard,
      remoteAddress,
      this.#clockMs(),
    );
    this.#connections.add(c);
    this.stats.connectionsOpened++;
    this.#metrics?.connectionOpened();
    ws.on('message', (data, isBinary) => this.#onMessage(c, data, isBinary));
    ws.on('pong', () => {
      c.unansweredPings = 0;
    });
    ws.on('close', (code) => this.#onClose(c, code));
    ws.on('error', () => {
      // ws closes the connection itself (with 1002/1009 and the like); 'close' follows.
    });
    socket.on('drain', () => this.#onDrain(c));
    this.#control(c, this.#welcomeMessage());
  }

  /** Closes every connection with 1001 and stops the timers; resolves when all have closed. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeatTimer);
    clearInterval(this.#pingTimer);
    this.#flush();
    const closed: Promise<void>[] = [];
    for (const c of this.#connections) {
      closed.push(new Promise((resolve) => c.ws.once('close', () => resolve())));
      c.ws.close(CLOSE_CODES.GOING_AWAY.code, 'server shutting down');
      setTimeout(() => c.ws.terminate(), 2000).unref();
    }
    await Promise.all(closed);
    for (const f of this.#fanouts.values()) f.unsubscribe();
    this.#fanouts.clear();
  }

  // ---- requests ----

  #onMessage(c: FeedConnection, data: RawData, isBinary: boolean): void {
    if (c.closed) return;
    if (isBinary === c.json) {
      this.#closeWith(
        c,
        CLOSE_CODES.UNSUPPORTED_DATA.code,
        c.json ? 'binary frame on tickwire.v1.json' : 'text frame on tickwire.v1',
      );
      return;
    }
    // binaryType is ws's default 'nodebuffer': one Buffer per message.
    const bytes = data as Buffer;
    let request: Request;
    try {
      request = decodeRequest(c.json ? bytes.toString('utf8') : bytes, this.options.limits);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      if (error.closeCode !== null) {
        this.#closeWith(c, error.closeCode, error.message);
        return;
      }
      this.#error(c, error.requestId, error.code as RequestErrorCode, error.message, error.channel);
      return;
    }
    if (request.op === 'ping') {
      this.#control(c, encodeMessage([MESSAGE_TYPES.pong, request.id, this.#clockMs() * 1000]));
      return;
    }
    const verdict = c.guard.check(this.#clockMs());
    if (verdict === 'close') {
      this.#closeWith(c, CLOSE_CODES.RATE_LIMIT_CLOSE.code, 'request rate limit exceeded repeatedly');
      return;
    }
    if (verdict === 'limited') {
      this.#error(c, request.id, 'RATE_LIMITED', 'too many requests; retry later', null);
      return;
    }
    if (request.op === 'subscribe') this.#subscribe(c, request);
    else if (request.op === 'unsubscribe') this.#unsubscribe(c, request.id, request.channels);
    else this.#replay(c, request);
  }

  #subscribe(c: FeedConnection, request: SubscribeRequest): void {
    const acked: Record<string, number> = {};
    const added: ConnectionSubscription[] = [];
    const limit = this.options.limits.subscriptionsPerConnection;
    /** canonical names of the request's channels that exist, refused for the limit or not */
    const named = new Set<string>();
    for (const name of request.channels) {
      let handle: ChannelHandle;
      try {
        handle = this.#source.open(parseChannel(name, { knownSymbols: this.#source.symbols }));
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        this.#error(c, request.id, error.code as RequestErrorCode, error.message, name);
        continue;
      }
      named.add(handle.name);
      if (c.subscriptions.has(handle.name)) {
        acked[handle.name] = handle.id;
        continue;
      }
      if (c.subscriptions.size >= limit) {
        this.#error(
          c,
          request.id,
          'TOO_MANY_SUBSCRIPTIONS',
          `at most ${limit} subscriptions per connection`,
          name,
        );
        continue;
      }
      const sub = new ConnectionSubscription(c, handle, this.#fanout(handle));
      c.subscriptions.set(handle.name, sub);
      this.#metrics?.subscribed(handle.kind);
      acked[handle.name] = handle.id;
      added.push(sub);
    }
    const resume = request.resume;
    const seqs = resume === undefined ? undefined : this.#resumeSeqs(c, request, named);
    if (added.length === 0 && Object.keys(acked).length === 0) return;
    if (added.length > 0) c.resign();
    this.#control(c, encodeMessage([MESSAGE_TYPES.ack, request.id, acked]));
    const sameSession = resume !== undefined && resume.session === this.#source.session;
    for (const sub of added) {
      const after = seqs?.get(sub.channel.name);
      this.#attach(sub, after === undefined ? undefined : sameSession ? after : -1);
    }
  }

  /**
   * PROTOCOL.md §5: `resume.seqs` by canonical channel name. A key is read as a channel name, spelled any way
   * `channels` accepts (`book:X` is `book:X:10`); one that names no channel of the request, or the same channel
   * as an earlier key, is answered with `BAD_RESUME` rather than ignored, so a client never mistakes the snapshot
   * it gets for a resumed stream. A key spelled exactly as a refused channel of the request has that error.
   */
  #resumeSeqs(c: FeedConnection, request: SubscribeRequest, named: ReadonlySet<string>): Map<string, number> {
    const seqs = new Map<string, number>();
    for (const [key, seq] of request.resume?.seqs ?? []) {
      let name: string;
      try {
        name = formatChannel(parseChannel(key, { knownSymbols: this.#source.symbols }));
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        if (!request.channels.includes(key))
          this.#error(c, request.id, 'BAD_RESUME', `resume key: ${error.message}`, key);
        continue;
      }
      if (!named.has(name)) {
        if (!request.channels.includes(key)) {
          const why = `resume key ${JSON.stringify(key.slice(0, 100))} names no channel of this request`;
          this.#error(c, request.id, 'BAD_RESUME', why, key);
        }
        continue;
      }
      if (seqs.has(name)) {
        const why = `resume key ${JSON.stringify(key.slice(0, 100))} names ${name} again`;
        this.#error(c, request.id, 'BAD_RESUME', why, key);
        continue;
      }
      seqs.set(name, seq);
    }
    return seqs;
  }

  /**
   * Starts delivering a channel to a subscription: the missed updates after `resumeAfter` when they are all
   * buffered, else `reset` (when a resume was asked for) and a snapshot. `-1`: a resume of another session.
   */
  #attach(sub: ConnectionSubscription, resumeAfter: number | undefined): void {
    const c = sub.connection;
    const missed =
      resumeAfter === undefined || resumeAfter < 0 ? 'reset' : this.#source.since(sub.channel, resumeAfter);
    if (missed === 'reset') {
      if (resumeAfter !== undefined) {
        this.#enqueue(
          c,
          encodeMessage([MESSAGE_TYPES.reset, sub.channel.id, 'resume not possible: snapshot follows']),
          sub,
        );
        this.stats.resets++;
      }
      this.#enqueue(c, this.#source.snapshot(sub.channel).encoded, sub);
    } else {
      for (const m of missed) this.#enqueue(c, m, sub);
    }
    // The channel's messages pending before this point are in the snapshot or the missed updates.
    sub.fromNo = this.#messageNo;
    sub.slot = sub.fanout.subscribers.length;
    sub.fanout.subscribers.push(sub);
  }

  /** PROTOCOL.md §16: playback control, answered by an empty `ack` or an `error`. */
  #replay(c: FeedConnection, request: ReplayRequest): void {
    const control = this.#source.control?.bind(this.#source);
    if (control === undefined) {
      this.#error(c, request.id, 'NOT_REPLAY', 'this server is live: there is no replay to control', null);
      return;
    }
    const result = control(request);
    if (result.ok) this.#control(c, encodeMessage([MESSAGE_TYPES.ack, request.id, {}]));
    else this.#error(c, request.id, result.code, result.message, null);
  }

  #backlogged(bytes: number): boolean {
    if (this.#flushPending) return true;
    for (const c of this.#connections) if (!c.closed && c.socket.writableLength > bytes) return true;
    return false;
  }

  #rewind(reason: string, affected: (channel: ChannelHandle) => boolean): void {
    for (const f of this.#fanouts.values())
      if (affected(f.channel)) f.lastSeq = this.#source.lastSeq(f.channel);
    for (const c of this.#connections) {
      if (c.closed) continue;
      for (const sub of c.subscriptions.values()) {
        if (sub.stale || !affected(sub.channel)) continue; // a stale one gets reset + snapshot on drain
        this.stats.resets++;
        this.#enqueue(c, encodeMessage([MESSAGE_TYPES.reset, sub.channel.id, reason]), sub);
        this.#enqueue(c, this.#source.snapshot(sub.channel).encoded, sub);
        sub.fromNo = this.#messageNo;
      }
    }
  }

  #unsubscribe(c: FeedConnection, id: number, channels: readonly string[]): void {
    const acked: Record<string, number> = {};
    for (const name of channels) {
      let handle: ChannelHandle;
      try {
        handle = this.#source.open(parseChannel(name, { knownSymbols: this.#source.symbols }));
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        this.#error(c, id, error.code as RequestErrorCode, error.message, name);
        continue;
      }
      const sub = c.subscriptions.get(handle.name);
      if (sub !== undefined) {
        this.#detach(sub);
        c.subscriptions.delete(handle.name);
        this.#metrics?.unsubscribed(handle.kind);
      }
      acked[handle.name] = handle.id;
    }
    c.resign();
    if (Object.keys(acked).length > 0) this.#control(c, encodeMessage([MESSAGE_TYPES.ack, id, acked]));
  }

  #detach(sub: ConnectionSubscription): void {
    if (sub.slot < 0) return;
    const list = sub.fanout.subscribers;
    const last = list.pop() as ConnectionSubscription;
    if (last !== sub) {
      list[sub.slot] = last;
      last.slot = sub.slot;
    }
    sub.slot = -1;
  }

  #fanout(channel: ChannelHandle): Fanout<ConnectionSubscription> {
    let fanout = this.#fanouts.get(channel.name);
    if (fanout === undefined) {
      const f = new Fanout<ConnectionSubscription>(channel, this.#source.lastSeq(channel));
      f.unsubscribe = this.#bus.subscribe(channel.name, (_name, seq, encoded) =>
        this.#deliver(f, seq, encoded),
      );
      this.#fanouts.set(channel.name, f);
      fanout = f;
    }
    return fanout;
  }

  // ---- delivery ----

  #deliver(fanout: Fanout<ConnectionSubscription>, seq: number, encoded: Uint8Array): void {
    fanout.lastSeq = seq;
    if (fanout.subscribers.length === 0) return;
    fanout.pending.push(encoded, ++this.#messageNo);
    if (!fanout.dirty) {
      fanout.dirty = true;
      this.#dirtyFanouts.push(fanout);
      this.#scheduleFlush();
    }
  }

  #control(c: FeedConnection, encoded: Uint8Array): void {
    this.#enqueue(c, encoded, null);
  }

  #enqueue(c: FeedConnection, encoded: Uint8Array, owner: ConnectionSubscription | null): void {
    if (c.closed) return;
    c.enqueue(encoded, ++this.#messageNo, owner);
    if (!c.dirty) this.#markDirty(c);
  }

  #markDirty(c: FeedConnection): void {
    c.dirty = true;
    this.#dirty[this.#dirtyCount++] = c;
    this.#scheduleFlush();
  }

  /**
   * Arms one flush for everything queued until it runs. `setImmediate` runs it in this turn's check phase: after
   * the timer that pumped the market and the socket reads of this turn, so their messages share the frame, and
   * before the loop waits again (https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick).
   */
  #scheduleFlush(): void {
    if (this.#flushPending) return;
    this.#flushPending = true;
    this.#flushScheduledAt = performance.now();
    if (this.options.flushMs > 0) this.#flushTimer = setTimeout(this.#flushNow, this.options.flushMs);
    else this.#flushImmediate = setImmediate(this.#flushNow);
  }

  #flush(): void {
    if (this.#flushPending) {
      this.#flushPending = false;
      clearTimeout(this.#flushTimer);
      clearImmediate(this.#flushImmediate);
      this.#flushTimer = undefined;
      this.#flushImmediate = undefined;
    }
    const fanouts = this.#dirtyFanouts;
    for (const f of fanouts) {
      const subs = f.subscribers;
      for (let i = 0; i < subs.length; i++) {
        const c = (subs[i] as ConnectionSubscription).connection;
        if (!c.dirty && !c.closed) {
          c.dirty = true;
          this.#dirty[this.#dirtyCount++] = c;
        }
      }
    }
    const n = this.#dirtyCount;
    this.#dirtyCount = 0;
    this.#writer.begin();
    const nowMs = this.#clockMs();
    const maxQueued = this.options.limits.queuedBytesPerConnection;
    const stats = this.stats;
    const frames = stats.frames;
    const messages = stats.messages;
    const rawBytes = stats.rawBytes;
    const wireBytes = stats.wireBytes;
    for (let i = 0; i < n; i++) {
      const c = this.#dirty[i] as FeedConnection;
      this.#dirty[i] = PLACEHOLDER;
      c.dirty = false;
      if (c.closed) continue;
      if (c.blocked || c.socket.writableLength >= maxQueued) {
        this.#slowConsumer(c);
        continue;
      }
      this.#write(c);
      c.lastWriteMs = nowMs;
    }
    for (const f of fanouts) {
      f.pending.clear();
      f.dirty = false;
    }
    fanouts.length = 0;
    const metrics = this.#metrics;
    if (metrics !== undefined && stats.frames > frames) {
      metrics.framesOut(stats.frames - frames, stats.messages - messages, stats.rawBytes - rawBytes);
      metrics.wireBytesOut(stats.wireBytes - wireBytes);
      // From the first message queued for this flush to the last frame of it handed to the sockets.
      metrics.observePublishLatency((performance.now() - this.#flushScheduledAt) / 1000);
    }
  }

  /** Writes what is due to one connection as one frame: its own queue merged with its channels' pending updates. */
  #write(c: FeedConnection): void {
    const lists = this.#lists;
    const after = this.#after;
    // Shared: nothing of its own, and every pending update of its channels is due (none subscribed mid-window).
    let shared = c.own.count === 0;
    let k = 0;
    if (!shared) {
      lists[k] = c.own;
      after[k++] = -1;
    }
    for (const sub of c.subscriptions.values()) {
      const pending = sub.fanout.pending;
      if (pending.count === 0) continue;
      if (sub.stale) {
        shared = false;
        continue;
      }
      if ((pending.numbers[0] as number) <= sub.fromNo) shared = false;
      lists[k] = pending;
      after[k++] = sub.fromNo;
    }
    if (shared && this.#writer.writeBuilt(c, c.signature, this.stats)) {
      c.clearQueue();
      return;
    }
    mergeByNumber(lists, after, k, this.#merged);
    this.#writer.write(c, this.#merged, shared ? c.signature : null, this.stats);
    this.#merged.clear();
    c.clearQueue();
  }

  /** PROTOCOL.md §7: over the queued-bytes bound. */
  #slowConsumer(c: FeedConnection): void {
    const { lossy, dropped } = c.dropConflatable();
    this.stats.conflated += dropped;
    if (dropped > 0) this.#metrics?.messagesDropped('slow_consumer', dropped);
    if (lossy) {
      this.stats.slowConsumerCloses++;
      this.#metrics?.slowConsumerDisconnect();
      this.#closeWith(
        c,
        CLOSE_CODES.SLOW_CONSUMER.code,
        `slow consumer: more than ${this.options.limits.queuedBytesPerConnection} bytes queued`,
      );
      const timer = setTimeout(() => c.ws.terminate(), this.options.slowCloseGraceMs);
      timer.unref();
      return;
    }
    c.blocked = true;
  }

  /** The socket has written everything: a blocked connection resyncs its stale channels. */
  #onDrain(c: FeedConnection): void {
    if (!c.blocked || c.closed) return;
    c.blocked = false;
    for (const sub of c.subscriptions.values()) {
      if (!sub.stale) continue;
      sub.stale = false;
      this.stats.resets++;
      this.#enqueue(
        c,
        encodeMessage([MESSAGE_TYPES.reset, sub.channel.id, 'slow consumer: skipped to the latest state']),
        sub,
      );
      this.#enqueue(c, this.#source.snapshot(sub.channel).encoded, sub);
      sub.fromNo = this.#messageNo;
    }
    if (c.own.count > 0 && !c.dirty) this.#markDirty(c);
  }

  // ---- liveness ----

  #heartbeat(): void {
    const nowMs = this.#clockMs();
    for (const c of this.#connections) {
      if (c.closed || c.blocked || c.subscriptions.size === 0) continue;
      if (nowMs - c.lastWriteMs < this.options.heartbeatMs || c.own.count > 0) continue;
      const seqs: [number, number][] = [];
      for (const sub of c.subscriptions.values()) {
        if (sub.stale) continue;
        seqs.push([sub.channel.id, this.#fanouts.get(sub.channel.name)?.lastSeq ?? 0]);
      }
      this.#control(c, encodeMessage([MESSAGE_TYPES.heartbeat, nowMs * 1000, seqs]));
    }
  }

  #ping(): void {
    for (const c of this.#connections) {
      if (c.closed) continue;
      if (c.unansweredPings >= 2) {
        c.ws.terminate();
        continue;
      }
      c.unansweredPings++;
      c.ws.ping();
    }
  }

  // ---- errors and closing ----

  #error(
    c: FeedConnection,
    id: number | null,
    code: RequestErrorCode,
    message: string,
    channel: string | null,
  ): void {
    this.stats.requestErrors.set(code, (this.stats.requestErrors.get(code) ?? 0) + 1);
    this.#metrics?.wsRequestError(code);
    this.#control(c, encodeMessage([MESSAGE_TYPES.error, id, code, message, channel] as ServerMessage));
  }

  #closeWith(c: FeedConnection, code: number, reason: string): void {
    if (c.closed) return;
    // RFC 6455 §5.5: a close reason is at most 123 bytes.
    c.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.#release(c);
  }

  #onClose(c: FeedConnection, code: number): void {
    this.stats.closes.set(code, (this.stats.closes.get(code) ?? 0) + 1);
    this.#metrics?.connectionClosed(code);
    this.#release(c);
    this.#connections.delete(c);
  }

  #release(c: FeedConnection): void {
    if (c.closed) return;
    c.closed = true;
    this.stats.connectionsClosed++;
    for (const sub of c.subscriptions.values()) {
      this.#detach(sub);
      this.#metrics?.unsubscribed(sub.channel.kind);
    }
    c.subscriptions.clear();
    c.clearQueue();
  }

  /** Whether the gateway is shutting down. */
  get closing(): boolean {
    return this.#closing;
  }
}

const PLACEHOLDER = undefined as unknown as FeedConnection;
