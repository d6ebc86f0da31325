import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RestErrorCode } from '../protocol/index.ts';
import { type ChannelKind, CLOSE_CODES, type RequestErrorCode } from '../protocol/index.ts';
import type { RecordingDiskUsage } from './recording-disk.ts';
import { RECORDING_STATES, type RecordingStatus } from './recording-status.ts';

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

/** Buckets of `tickwire_publish_latency_seconds`: 10 µs to 100 ms, about three per decade. */
export const PUBLISH_LATENCY_BUCKETS_S: readonly number[] = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
];

/**
 * The feed's own metrics, by name, with their Prometheus type. The README lists exactly these (a test keeps the
 * two in step); `collectDefaultMetrics` adds the `process_*` and `nodejs_*` ones.
 */
export const FEED_METRICS = {
  tickwire_connections: { type: 'gauge', help: 'Open WebSocket connections.' },
  tickwire_connections_accepted_total: { type: 'counter', help: 'WebSocket connections accepted.' },
  tickwire_connections_rejected_total: {
    type: 'counter',
    help: 'WebSocket connections refused at the handshake, by reason.',
  },
  tickwire_closes_total: {
    type: 'counter',
    help: 'Closed WebSocket connections by close code: those of PROTOCOL.md §9, 1005, 1006, else "other".',
  },
  tickwire_slow_consumer_disconnects_total: {
    type: 'counter',
    help: 'Connections closed with 4008 because their queue overflowed with trades or candles pending.',
  },
  tickwire_subscriptions: { type: 'gauge', help: 'Active channel subscriptions, by channel kind.' },
  tickwire_messages_out_total: {
    type: 'counter',
    help: 'Messages sent to clients, counted per connection.',
  },
  tickwire_frames_out_total: { type: 'counter', help: 'WebSocket frames sent to clients.' },
  tickwire_payload_bytes_out_total: {
    type: 'counter',
    help: 'Bytes of the frames sent, before permessage-deflate.',
  },
  tickwire_wire_bytes_out_total: {
    type: 'counter',
    help: 'Bytes written to client sockets for those frames, after permessage-deflate.',
  },
  tickwire_compression_ratio: {
    type: 'gauge',
    help: 'Wire bytes / payload bytes since start (NaN before any); rate() the two counters for a window.',
  },
  tickwire_messages_dropped_total: {
    type: 'counter',
    help: 'Messages due to a client and not sent, by reason.',
  },
  tickwire_engine_commands_total: { type: 'counter', help: 'Commands submitted to the matching engine.' },
  tickwire_engine_events_total: { type: 'counter', help: 'Events the matching engine emitted.' },
  tickwire_publish_latency_seconds: {
    type: 'histogram',
    help: 'Time from an engine event to the frame carrying it being written (monotonic clock).',
  },
  tickwire_request_errors_total: {
    type: 'counter',
    help: 'Refused client requests, by transport (ws, rest) and error code.',
  },
  tickwire_recording_state: {
    type: 'gauge',
    help: 'The session recording: 1 for its state (recording, degraded, failed, closed, off), 0 for the others.',
  },
  tickwire_recording_appended_seq: {
    type: 'gauge',
    help: 'Seq of the last record appended to the session log.',
  },
  tickwire_recording_durable_seq: {
    type: 'gauge',
    help: 'Seq of the last record known durable (see --fsync).',
  },
  tickwire_recording_lag_records: {
    type: 'gauge',
    help: 'Records appended and not yet durable (appended seq - durable seq).',
  },
  tickwire_recording_lag_seconds: {
    type: 'gauge',
    help: 'Feed time of the last appended record minus that of the last durable one.',
  },
  tickwire_recording_buffered_bytes: {
    type: 'gauge',
    help: 'Bytes appended and not yet written: what the recorder holds in memory (bounded).',
  },
  tickwire_recording_max_buffered_bytes: {
    type: 'gauge',
    help: 'The bound on tickwire_recording_buffered_bytes; reaching it degrades the recording.',
  },
  tickwire_recording_dropped_records_total: {
    type: 'counter',
    help: 'Records not written because the recording was degraded or had failed.',
  },
  tickwire_recording_write_errors_total: {
    type: 'counter',
    help: 'Write or sync failures of the session log (the first one stops the recording).',
  },
  tickwire_recording_rolls_total: {
    type: 'counter',
    help: 'Recorded sessions closed at the roll bound (--roll), each continued in a new session directory.',
  },
  tickwire_recording_roll_failures_total: {
    type: 'counter',
    help: 'Rolls that could not create the new session directory: rolling stopped, the recording went on in its session.',
  },
  tickwire_recording_disk_bytes: {
    type: 'gauge',
    help: 'Bytes of the recorded sessions in the data directory, the one being written included.',
  },
  tickwire_recording_session_bytes: { type: 'gauge', help: 'Bytes of the session being written.' },
  tickwire_recording_sessions: {
    type: 'gauge',
    help: 'Recorded sessions in the data directory, the one being written included.',
  },
  tickwire_recording_retention_deleted_bytes_total: {
    type: 'counter',
    help: 'Bytes of the sessions deleted by retention (--retain).',
  },
  tickwire_recording_retention_deleted_sessions_total: {
    type: 'counter',
    help: 'Sessions deleted by retention (--retain), oldest first.',
  },
  tickwire_recording_retention_over_bound: {
    type: 'gauge',
    help: "1 when the data directory exceeds --retain's size with only sessions being written left, else 0.",
  },
} as const satisfies Record<
  string,
  { readonly type: 'counter' | 'gauge' | 'histogram'; readonly help: string }
>;

/** Name of one of the feed's own metrics. */
export type FeedMetricName = keyof typeof FEED_METRICS;

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
 * A counter whose hot-path increments are plain number additions, handed to prom-client at scrape time (its
 * `collect` hook), so the server's per-message paths never pay for label hashing.
 */
class BatchedCounter {
  /** everything added since start */
  total = 0;
  #flushed = 0;

  readonly #counter: Counter;

  constructor(registry: Registry, name: FeedMetricName) {
    this.#counter = new Counter({
      name,
      help: FEED_METRICS[name].help,
      registers: [registry],
      collect: () => this.#flush(),
    });
  }

  #flush(): void {
    if (this.total > this.#flushed) this.#counter.inc(this.total - this.#flushed);
    this.#flushed = this.total;
  }
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
    const meta = (name: FeedMetricName) => ({ name, help: FEED_METRICS[name].help, registers });
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
    this.#registerRecording(meta);
  }

  /** The recording metrics: read from the recorder's status at each scrape. */
  #registerRecording(meta: (name: FeedMetricName) => { name: string; help: string; registers: Registry[] }) {
    const state: Gauge<'state'> = new Gauge({
      ...meta('tickwire_recording_state'),
      labelNames: ['state'],
      collect: () => {
        const now = this.#recording()?.state ?? 'off';
        for (const s of [...RECORDING_STATES, 'off']) state.set({ state: s }, s === now ? 1 : 0);
      },
    });
    const gauge = (name: FeedMetricName, read: (s: RecordingStatus) => number) => {
      const g: Gauge = new Gauge({
        ...meta(name),
        collect: () => {
          const s = this.#recording();
          g.set(s === undefined ? 0 : read(s));
        },
      });
    };
    gauge('tickwire_recording_appended_seq', (s) => s.appendedSeq);
    gauge('tickwire_recording_durable_seq', (s) => s.durableSeq);
    gauge('tickwire_recording_lag_records', (s) => s.appendedSeq - s.durableSeq);
    gauge('tickwire_recording_lag_seconds', (s) => s.lagSeconds);
    gauge('tickwire_recording_buffered_bytes', (s) => s.bufferedBytes);
    gauge('tickwire_recording_max_buffered_bytes', (s) => s.maxBufferedBytes);
    const counter = (name: FeedMetricName, read: (s: RecordingStatus) => number) => {
      let flushed = 0;
      const c: Counter = new Counter({
        ...meta(name),
        collect: () => {
          const total =
            this.#recording() === undefined ? flushed : read(this.#recording() as RecordingStatus);
          if (total > flushed) c.inc(total - flushed);
          flushed = Math.max(flushed, total);
        },
      });
    };
    counter('tickwire_recording_dropped_records_total', (s) => s.droppedRecords);
    counter('tickwire_recording_write_errors_total', (s) => s.writeErrors);
    counter('tickwire_recording_rolls_total', (s) => s.rolls);
    counter('tickwire_recording_roll_failures_total', (s) => s.rollFailures);
    this.#registerDisk(meta);
  }

  /** The recording's disk usage and retention: read from the retention runner at each scrape. */
  #registerDisk(meta: (name: FeedMetricName) => { name: string; help: string; registers: Registry[] }) {
    const gauge = (name: FeedMetricName, read: (d: RecordingDiskUsage) => number) => {
      const g: Gauge = new Gauge({
        ...meta(name),
        collect: () => {
          const d = this.#disk();
          g.set(d === undefined ? 0 : read(d));
        },
      });
    };
    gauge('tickwire_recording_disk_bytes', (d) => d.dataDirBytes);
    gauge('tickwire_recording_session_bytes', (d) => d.sessionBytes);
    gauge('tickwire_recording_sessions', (d) => d.sessions);
    gauge('tickwire_recording_retention_over_bound', (d) => (d.overBound ? 1 : 0));
    const counter = (name: FeedMetricName, read: (d: RecordingDiskUsage) => number) => {
      let flushed = 0;
      const c: Counter = new Counter({
        ...meta(name),
        collect: () => {
          const d = this.#disk();
          const total = d === undefined ? flushed : read(d);
          if (total > flushed) c.inc(total - flushed);
          flushed = Math.max(flushed, total);
        },
      });
    };
    counter('tickwire_recording_retention_deleted_bytes_total', (d) => d.deletedBytes);
    counter('tickwire_recording_retention_deleted_sessions_total', (d) => d.deletedSessions);
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
