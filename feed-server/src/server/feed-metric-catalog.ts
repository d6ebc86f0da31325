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
