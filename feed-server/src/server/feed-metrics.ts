import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RestErrorCode } from '../protocol/index.ts';
import { type ChannelKind, CLOSE_CODES, type RequestErrorCode } from '../protocol/index.ts';
import { BatchedCounter } from './batched-counter.ts';
import { FEED_METRICS, PUBLISH_LATENCY_BUCKETS_S } from './feed-metric-catalog.ts';
import type { RecordingDiskUsage } from './recording-disk.ts';
import { type MetricMeta, registerDiskMetrics, registerRecordingMetrics } from './recording-metrics.ts';
import type { RecordingStatus } from './recording-status.ts';

/** Why messages due to a client were not sent as they were. */
export type DropReason =
  /** a `ticker`/`book` message dropped over the queued-bytes limit, replaced by reset + snapshot (PROTOCOL.md §7) */
  | 'slow_consumer'
  /** a message replaced by a newer state on a conflated channel (`@250ms`, PROTOCOL.md §4) */
  | 'conflated';

/** Why a WebSocket connection was refused at the handshake. */
export type RejectReason =
  /** Origin not allowed */
  | 'origin'
  /** too many connections from the address */
  | 'ip_limit'
  /** no, an expired, or an invalid token */
  | 'auth'
  /** only unknown subprotocols offered (PROTOCOL.md §1) */
  | 'subprotocol';

/** Options of `FeedMetrics`. */
export interface FeedMetricsOptions {
  /**
   * Whether to add prom-client's default `process_*` / `nodejs_*` metrics to the registry (default true). Each
   * registration starts a GC observer and an event-loop-delay monitor that prom-client never stops, so tests
   * creating many instances may turn this off.
   */
  readonly defaultMetrics?: boolean;
}

/** Close codes kept as their own label value; the rest is "other", so a client cannot grow the label set. */
const KNOWN_CLOSE_CODES: ReadonlySet<number> = new Set([
  ...Object.values(CLOSE_CODES).map((c) => c.code),
  1005, // no status code in the client's close frame
  1006, // the connection dropped without a close frame
]);

function checkNonNegative(value: number): void {
  // A NaN or negative count would poison a counter until restart; fail at the call site, not at the scrape.
  if (!(value >= 0)) throw new RangeError(`metric value ${value} is not a non-negative number`);
}

/**
 * The feed server's Prometheus metrics, on a registry of their own (not prom-client's global one), so several
 * servers can live in one process. The methods are what the server calls on its paths: the per-message ones
 * only add to numbers (handed to prom-client when scraped), so call them once per batch with a count.
 *
 * @example
 * const metrics = new FeedMetrics();
 * metrics.connectionOpened();
 * metrics.framesOut(1, 12, 840); // one frame of 12 messages, 840 bytes before compression
 * http.createServer((req, res) => { metricsHandler(metrics)(req, res) || res.writeHead(404).end(); });
 */
export class FeedMetrics {
  /** this instance's registry: its metrics and, unless turned off, prom-client's default metrics */
  readonly registry = new Registry();

  #connections = 0;
  readonly #subscriptions: Record<ChannelKind, number> = {
    instruments: 0,
    replay: 0,
    trades: 0,
    ticker: 0,
    book: 0,
    candles: 0,
  };
  readonly #dropped: Record<DropReason, { total: number; flushed: number }> = {
    slow_consumer: { total: 0, flushed: 0 },
    conflated: { total: 0, flushed: 0 },
  };
  readonly #accepted: Counter;
  readonly #rejected: Counter<'reason'>;
  readonly #closes: Counter<'code'>;
  readonly #slowConsumerDisconnects: Counter;
  readonly #messagesOut: BatchedCounter;
  readonly #framesOut: BatchedCounter;
  readonly #payloadBytes: BatchedCounter;
  readonly #wireBytes: BatchedCounter;
  readonly #engineCommands: BatchedCounter;
  readonly #engineEvents: BatchedCounter;
  readonly #publishLatency: Histogram;
  readonly #requestErrors: Counter<'transport' | 'code'>;
  #recording: () => RecordingStatus | undefined = () => undefined;
  #disk: () => RecordingDiskUsage | undefined = () => undefined;

  /** Registers every metric of `FEED_METRICS` (and the default ones, see `FeedMetricsOptions`). */
  constructor(options: FeedMetricsOptions = {}) {
    const registers = [this.registry];
    const meta: MetricMeta = (name) => ({ name, help: FEED_METRICS[name].help, registers });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    const connections: Gauge = new Gauge({
      ...meta('tickwire_connections'),
      collect: () => connections.set(this.#connections),
    });
    this.#accepted = new Counter(meta('tickwire_connections_accepted_total'));
    this.#rejected = new Counter({ ...meta('tickwire_connections_rejected_total'), labelNames: ['reason'] });
    for (const reason of ['origin', 'ip_limit', 'auth', 'subprotocol'] satisfies RejectReason[]) {
      this.#rejected.inc({ reason }, 0);
    }
    this.#closes = new Counter({ ...meta('tickwire_closes_total'), labelNames: ['code'] });
    this.#slowConsumerDisconnects = new Counter(meta('tickwire_slow_consumer_disconnects_total'));

    const subscriptions: Gauge<'kind'> = new Gauge({
      ...meta('tickwire_subscriptions'),
      labelNames: ['kind'],
      collect: () => {
        for (const [kind, n] of Object.entries(this.#subscriptions)) subscriptions.set({ kind }, n);
      },
    });

    this.#messagesOut = new BatchedCounter(this.registry, 'tickwire_messages_out_total');
    this.#framesOut = new BatchedCounter(this.registry, 'tickwire_frames_out_total');
    this.#payloadBytes = new BatchedCounter(this.registry, 'tickwire_payload_bytes_out_total');
    this.#wireBytes = new BatchedCounter(this.registry, 'tickwire_wire_bytes_out_total');
    const ratio: Gauge = new Gauge({
      ...meta('tickwire_compression_ratio'),
      collect: () => {
        const payload = this.#payloadBytes.total;
        ratio.set(payload > 0 ? this.#wireBytes.total / payload : Number.NaN);
      },
    });

    const dropped: Counter<'reason'> = new Counter({
      ...meta('tickwire_messages_dropped_total'),
      labelNames: ['reason'],
      collect: () => {
        for (const [reason, n] of Object.entries(this.#dropped)) {
          dropped.inc({ reason }, n.total - n.flushed);
          n.flushed = n.total;
        }
      },
    });

    this.#engineCommands = new BatchedCounter(this.registry, 'tickwire_engine_commands_total');
    this.#engineEvents = new BatchedCounter(this.registry, 'tickwire_engine_events_total');
    this.#publishLatency = new Histogram({
      ...meta('tickwire_publish_latency_seconds'),
      buckets: [...PUBLISH_LATENCY_BUCKETS_S],
    });
    this.#requestErrors = new Counter({
      ...meta('tickwire_request_errors_total'),
      labelNames: ['transport', 'code'],
    });
    registerRecordingMetrics(meta, () => this.#recording());
    registerDiskMetrics(meta, () => this.#disk());
  }

  /**
   * Where the recording's disk metrics come from (`tickwire_recording_disk_bytes`, `…_session_bytes`,
   * `…_sessions`, `…_retention_*`): called at each scrape; undefined = not recording (all 0).
   */
  watchRecordingDisk(usage: () => RecordingDiskUsage | undefined): void {
    this.#disk = usage;
  }

  /**
   * Where the `tickwire_recording_*` metrics come from: called at each scrape; undefined = not recording (the
   * state gauge says `off`, the others are 0).
   */
  watchRecording(status: () => RecordingStatus | undefined): void {
    this.#recording = status;
  }

  /** The `Content-Type` of `metrics()`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric of the registry in Prometheus text format, for `GET /metrics`. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** A WebSocket connection was accepted (after the handshake). */
  connectionOpened(): void {
    this.#connections++;
    this.#accepted.inc();
  }

  /** An accepted connection closed with close code `code` (sent or received). */
  connectionClosed(code: number): void {
    this.#connections--;
    this.#closes.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
  }

  /** A connection was refused at the handshake; it never counts as opened. */
  connectionRejected(reason: RejectReason): void {
    this.#rejected.inc({ reason });
  }

  /** A connection was closed with 4008 (slow consumer); also call `connectionClosed(4008)`. */
  slowConsumerDisconnect(): void {
    this.#slowConsumerDisconnects.inc();
  }

  /** `count` subscriptions of channel kind `kind` were added. */
  subscribed(kind: ChannelKind, count = 1): void {
    checkNonNegative(count);
    this.#subscriptions[kind] += count;
  }

  /** `count` subscriptions of channel kind `kind` ended (unsubscribe or close). */
  unsubscribed(kind: ChannelKind, count = 1): void {
    checkNonNegative(count);
    this.#subscriptions[kind] -= count;
  }

  /** `frames` frames holding `messages` messages, `payloadBytes` bytes before compression, were sent. */
  framesOut(frames: number, messages: number, payloadBytes: number): void {
    checkNonNegative(frames);
    checkNonNegative(messages);
    checkNonNegative(payloadBytes);
    this.#framesOut.total += frames;
    this.#messagesOut.total += messages;
    this.#payloadBytes.total += payloadBytes;
  }

  /** `bytes` were written to client sockets (after permessage-deflate; known later than `framesOut`). */
  wireBytesOut(bytes: number): void {
    checkNonNegative(bytes);
    this.#wireBytes.total += bytes;
  }

  /** `count` messages due to clients were dropped or conflated away. */
  messagesDropped(reason: DropReason, count = 1): void {
    checkNonNegative(count);
    this.#dropped[reason].total += count;
  }

  /** `count` commands were submitted to the engine (orders/s = `rate(tickwire_engine_commands_total[1m])`). */
  engineCommands(count: number): void {
    checkNonNegative(count);
    this.#engineCommands.total += count;
  }

  /** The engine emitted `count` events. */
  engineEvents(count: number): void {
    checkNonNegative(count);
    this.#engineEvents.total += count;
  }

  /**
   * One publish took `seconds` from the engine event (as seen by the server's monotonic clock) to the frame
   * written. Observe once per published batch, not per subscriber.
   */
  observePublishLatency(seconds: number): void {
    checkNonNegative(seconds);
    this.#publishLatency.observe(seconds);
  }

  /** A WebSocket request was refused with `error` code `code` (PROTOCOL.md §10). */
  wsRequestError(code: RequestErrorCode): void {
    this.#requestErrors.inc({ transport: 'ws', code });
  }

  /** A REST request was answered with error code `code` (PROTOCOL.md §14); wire to `onErrorResponse`. */
  restError(code: RestErrorCode): void {
    this.#requestErrors.inc({ transport: 'rest', code });
  }
}
