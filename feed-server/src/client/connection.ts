import {
  CLOSE_CODES,
  decodeFrame,
  decodeFrameJson,
  encodeRequest,
  encodeRequestJson,
  frameError,
  MESSAGE_TYPES,
  type Request,
  type ServerMessage,
  SUBPROTOCOLS,
  type Welcome,
} from '../protocol/index.ts';
import type { ConnectionSettings } from './client-options.ts';
import { type ConnectionEnd, closedError, type EndReason, endError } from './connection-end.ts';
import type { ConnectionState, StatusEvent } from './feed-events.ts';
import type { StatsCounters } from './feed-stats.ts';
import { FirstConnect } from './first-connect.ts';
import type { WebSocketCloseEventLike, WebSocketLike, WebSocketMessageEventLike } from './websocket-like.ts';

/** What a `Connection` reports to: the client. */
export interface ConnectionHost {
  /** a `connecting` or `reconnecting` status */
  status(event: StatusEvent): void;
  /** an error that belongs to no promise: a socket that cannot be made, a protocol violation */
  error(error: unknown): void;
  /** the server's `welcome` arrived (the connection is live): subscribe; `connect()` resolves after this */
  welcomed(welcome: Welcome): void;
  /** any server message but `welcome` */
  message(m: ServerMessage): void;
  /** the messages of one frame were handled */
  frameDone(): void;
  /** the connection is gone: what the server knew of this client is forgotten */
  lost(): void;
  /** whether channels are subscribed on this connection (a silent one is then presumed dead) */
  subscribed(): boolean;
  /**
   * The client is closed for good: settle what waits for the server, then call `failWaiters` and close the
   * rest (subscriptions, streams) with the `closed` status.
   */
  ended(end: ConnectionEnd): void;
}

const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.POLICY_VIOLATION.code,
  CLOSE_CODES.AUTH_REQUIRED.code,
  CLOSE_CODES.TOKEN_EXPIRED.code,
  CLOSE_CODES.TOKEN_INVALID.code,
]);
/**
 * Close code for a connection that closed without a close frame (RFC 6455 §7.1.5): never sent, so not one of
 * the feed's `CLOSE_CODES`; a status reports it for a connection that failed or was found dead.
 */
const ABNORMAL_CLOSURE = 1006;
/** `WebSocket.OPEN`, a `readyState`. */
const OPEN = 1;
/** How often the idle watchdog looks, milliseconds. */
const WATCHDOG_MS = 250;
/** The heartbeat interval assumed when the welcome announces none (§6's default). */
const DEFAULT_HEARTBEAT_MS = 5000;
const WELCOME = MESSAGE_TYPES.welcome;
const UPDATE = MESSAGE_TYPES.update;
const HEARTBEAT = MESSAGE_TYPES.heartbeat;

function ignore(): void {}

/**
 * The client's WebSocket and its life (PROTOCOL.md §1, §6): it opens the socket on first use, decodes frames
 * into server messages, watches for a silent connection (no welcome within `connectTimeoutMs`, or no frame
 * for 3 heartbeats while channels are subscribed), reconnects with backoff after a loss, gives up on a first
 * connection past its deadline or on the signal, and stops for good on a fatal close code.
 */
export class Connection {
  private readonly settings: ConnectionSettings;
  private readonly host: ConnectionHost;
  private readonly stats: StatsCounters;
  private readonly firstConnect: FirstConnect;
  private connState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  private welcomeBody: Welcome | null = null;
  private lastCloseText = '';
  private connectAttempts = 0;
  private liveSinceMs = 0;
  private lastFrameMs = 0;
  private idleTimeoutMs = 0;
  private lastSocketError = '';
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdogTimer: ReturnType<typeof setInterval> | undefined;
  private readonly welcomeWaiters: { resolve: (w: Welcome) => void; reject: (e: Error) => void }[] = [];

  constructor(settings: ConnectionSettings, host: ConnectionHost, stats: StatsCounters) {
    this.settings = settings;
    this.host = host;
    this.stats = stats;
    const timeoutMs = settings.firstConnectTimeoutMs;
    this.firstConnect = new FirstConnect(
      timeoutMs,
      settings.signal,
      () => this.giveUp('timeout', `no connection within ${timeoutMs} ms`),
      () => this.giveUp('aborted', 'aborted by its signal'),
    );
  }

  /** Closes at once when the signal was aborted before the client was made. */
  start(): void {
    if (this.firstConnect.aborted) this.giveUp('aborted', 'aborted by its signal');
  }

  get state(): ConnectionState {
    return this.connState;
  }

  get welcome(): Welcome | null {
    return this.welcomeBody;
  }

  /** Whether a request can be sent now. */
  get open(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  /** Resolves with the welcome, opening the connection if it is not yet. */
  connect(): Promise<Welcome> {
    if (this.welcomeBody !== null) return Promise.resolve(this.welcomeBody);
    if (this.connState === 'closed') return Promise.reject(closedError());
    const p = new Promise<Welcome>((resolve, reject) => {
      this.welcomeWaiters.push({ resolve, reject });
    });
    this.ensureConnected();
    return p;
  }

  /** Opens the connection on first use. */
  ensureConnected(): void {
    if (this.connState === 'idle') this.openSocket();
  }

  /** Sends a request in the connection's format; the caller checked `open`. */
  send(request: Request): void {
    (this.socket as WebSocketLike).send(
      this.settings.json ? encodeRequestJson(request) : encodeRequest(request),
    );
  }

  /** Closes for good (`close()`). */
  close(): void {
    if (this.connState === 'closed') return;
    const socket = this.socket;
    if (socket !== null) {
      this.detach(socket);
      closeQuietly(socket, CLOSE_CODES.NORMAL.code, 'client closed');
    }
    this.terminate(CLOSE_CODES.NORMAL.code, 'client closed', 'closed');
  }

  /** Rejects the `connect()` callers (the host calls it from `ended`). */
  failWaiters(error: Error): void {
    for (const w of this.welcomeWaiters.splice(0)) w.reject(error);
  }

  private openSocket(): void {
    this.firstConnect.attempt();
    this.reconnectTimer = undefined;
    this.connectAttempts++;
    this.connState = 'connecting';
    this.lastSocketError = '';
    this.host.status({ type: 'status', status: 'connecting', attempt: this.connectAttempts });
    if (this.connState !== 'connecting') return; // a listener closed the client
    let socket: WebSocketLike;
    try {
      const { json } = this.settings;
      socket = new this.settings.WebSocket(
        this.settings.url,
        json ? SUBPROTOCOLS.json : SUBPROTOCOLS.msgpack,
      );
    } catch (cause) {
      this.host.error(cause);
      this.disconnected(ABNORMAL_CLOSURE, `cannot open a WebSocket: ${(cause as Error).message}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    socket.onmessage = this.onSocketMessage;
    socket.onclose = this.onSocketClose;
    socket.onerror = this.onSocketError;
    this.socket = socket;
    this.lastFrameMs = Date.now();
    this.idleTimeoutMs = this.settings.connectTimeoutMs;
    this.watchdogTimer ??= setInterval(this.checkIdle, WATCHDOG_MS);
  }

  private readonly onSocketMessage = (event: WebSocketMessageEventLike): void => {
    const socket = this.socket;
    if (socket === null) return;
    const nowMs = Date.now();
    this.lastFrameMs = nowMs;
    const c = this.stats;
    try {
      const messages = this.decode(event.data);
      c.frames++;
      const live = this.welcomeBody?.mode !== 'replay';
      const nowUs = nowMs * 1000;
      for (let i = 0; i < messages.length; i++) {
        if (this.socket !== socket) return; // closed by a listener
        c.messages++;
        const m = messages[i] as ServerMessage;
        const type = m[0];
        if (type === WELCOME) {
          this.onWelcome(m[1]);
          continue;
        }
        if (live && (type === UPDATE || type === HEARTBEAT))
          c.latency(nowUs - (type === UPDATE ? m[3] : m[1]));
        this.host.message(m);
      }
    } catch (error) {
      if (this.socket !== socket) return;
      this.host.error(error);
      this.dropSocket(CLOSE_CODES.UNDECODABLE.code, 'protocol violation');
      return;
    }
    if (this.socket === socket) this.host.frameDone();
  };

  /** A frame's messages; a frame of the other format, or of neither, breaks the protocol (§9: 4000). */
  private decode(data: unknown): ServerMessage[] {
    const json = this.settings.json;
    if (typeof data === 'string') {
      if (!json) throw frameError('BAD_FRAME', `a text frame on ${SUBPROTOCOLS.msgpack}`);
      this.stats.bytes += data.length;
      return decodeFrameJson(data);
    }
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      if (json) throw frameError('BAD_FRAME', `a binary frame on ${SUBPROTOCOLS.json}`);
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.stats.bytes += bytes.byteLength;
      return decodeFrame(bytes);
    }
    throw frameError('BAD_FRAME', 'a frame that is neither text nor binary');
  }

  private onWelcome(welcome: Welcome): void {
    this.welcomeBody = welcome;
    this.firstConnect.connected();
    this.connState = 'live';
    this.liveSinceMs = Date.now();
    this.idleTimeoutMs =
      this.settings.idleTimeoutMs ??
      3 * (welcome.heartbeatMs > 0 ? welcome.heartbeatMs : DEFAULT_HEARTBEAT_MS);
    this.host.welcomed(welcome);
    for (const w of this.welcomeWaiters.splice(0)) w.resolve(welcome);
  }

  private readonly onSocketClose = (event: WebSocketCloseEventLike): void => {
    const socket = this.socket;
    if (socket === null) return;
    this.detach(socket);
    this.disconnected(event.code, event.reason || this.lastSocketError);
  };

  private readonly onSocketError = (event: unknown): void => {
    // A close event follows; keep the error's text (ws gives one, browsers do not) for its reason.
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message === 'string') this.lastSocketError = message;
  };

  private readonly checkIdle = (): void => {
    if (this.socket === null) return;
    const waiting = this.welcomeBody === null || this.host.subscribed();
    if (waiting && Date.now() - this.lastFrameMs > this.idleTimeoutMs) {
      const what = this.welcomeBody === null ? 'no welcome' : 'no data';
      this.dropSocket(ABNORMAL_CLOSURE, `${what} for ${this.idleTimeoutMs} ms`);
    }
  };

  /**
   * Abandons the current socket without waiting for its close handshake, and handles the disconnect. A
   * protocol violation closes with its code (4000, §9); a silent connection is presumed dead, so `ws`
   * terminates it (a close frame would wait for an answer that does not come) and browsers close it.
   */
  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (socket === null) return;
    this.detach(socket);
    if (code !== ABNORMAL_CLOSURE) closeQuietly(socket, code, reason);
    else if (socket.terminate !== undefined) socket.terminate();
    else closeQuietly(socket, CLOSE_CODES.NORMAL.code, reason);
    this.disconnected(code, reason);
  }

  private detach(socket: WebSocketLike): void {
    socket.onmessage = null;
    socket.onclose = null;
    // Keep an error handler: `ws` throws an 'error' event that has no listener.
    socket.onerror = ignore;
    if (this.socket === socket) this.socket = null;
  }

  private disconnected(code: number, reason: string): void {
    this.lastCloseText = `${code}${reason === '' ? '' : ` ${reason}`}`;
    this.socket = null;
    this.welcomeBody = null;
    this.host.lost();
    if (this.connState === 'closed') return;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.terminate(code, reason, 'fatal');
      return;
    }
    const backoff = this.settings.backoff;
    if (backoff === null) {
      this.terminate(code, reason, 'disconnected');
      return;
    }
    if (this.liveSinceMs > 0 && Date.now() - this.liveSinceMs >= backoff.maxDelayMs) backoff.reset();
    this.liveSinceMs = 0;
    const delayMs = backoff.next();
    this.stats.reconnects++;
    this.connState = 'reconnecting';
    this.reconnectTimer = setTimeout(this.reconnectNow, delayMs);
    this.host.status({
      type: 'status',
      status: 'reconnecting',
      attempt: backoff.attempt,
      delayMs,
      closeCode: code,
      closeReason: reason,
    });
  }

  private readonly reconnectNow = (): void => {
    if (this.connState === 'reconnecting') this.openSocket();
  };

  /**
   * The end: status `closed`, every waiter and stream settled. `close()` ends streams cleanly; a fatal close
   * (or a lost connection with reconnecting off) fails them, so a `for await` loop does not end silently.
   */
  private terminate(code: number, reason: string, why: EndReason): void {
    const error = endError(code, reason, why, this.firstConnect.abortReason);
    this.firstConnect.dispose();
    this.connState = 'closed';
    this.welcomeBody = null;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    if (this.watchdogTimer !== undefined) clearInterval(this.watchdogTimer);
    this.reconnectTimer = undefined;
    this.watchdogTimer = undefined;
    this.host.ended({
      error,
      clean: why === 'closed' || why === 'aborted',
      fatal: why === 'fatal',
      closeCode: code,
      closeReason: reason,
    });
  }

  /** The first connection's deadline passed, or the signal aborted: stop trying and close. */
  private giveUp(why: 'timeout' | 'aborted', what: string): void {
    if (this.connState === 'closed') return;
    const socket = this.socket;
    if (socket !== null) {
      this.detach(socket);
      closeQuietly(socket, CLOSE_CODES.NORMAL.code, what);
    }
    const last = this.lastCloseText === '' ? '' : ` (last attempt: ${this.lastCloseText})`;
    this.terminate(ABNORMAL_CLOSURE, `${what}${last}`, why);
  }
}

function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed, or a browser refusing the code: the socket is abandoned either way.
  }
}
