import { Counter, Gauge, type Registry } from 'prom-client';
import type { FeedMetricName } from './feed-metric-catalog.ts';
import type { RecordingDiskUsage } from './recording-disk.ts';
import { RECORDING_STATES, type RecordingStatus } from './recording-status.ts';

/** The name, help and registry of a metric of `FEED_METRICS`, as prom-client's constructors take them. */
export type MetricMeta = (name: FeedMetricName) => { name: string; help: string; registers: Registry[] };

/**
 * Registers the `tickwire_recording_*` metrics but the disk ones: read from the recorder's status at each scrape
 * (`status()`; undefined = not recording: the state gauge says `off`, the others are 0).
 */
export function registerRecordingMetrics(meta: MetricMeta, status: () => RecordingStatus | undefined): void {
  const state: Gauge<'state'> = new Gauge({
    ...meta('tickwire_recording_state'),
    labelNames: ['state'],
    collect: () => {
      const now = status()?.state ?? 'off';
      for (const s of [...RECORDING_STATES, 'off']) state.set({ state: s }, s === now ? 1 : 0);
    },
  });
  const gauge = scrapedGauge(meta, status);
  gauge('tickwire_recording_appended_seq', (s) => s.appendedSeq);
  gauge('tickwire_recording_durable_seq', (s) => s.durableSeq);
  gauge('tickwire_recording_lag_records', (s) => s.appendedSeq - s.durableSeq);
  gauge('tickwire_recording_lag_seconds', (s) => s.lagSeconds);
  gauge('tickwire_recording_buffered_bytes', (s) => s.bufferedBytes);
  gauge('tickwire_recording_max_buffered_bytes', (s) => s.maxBufferedBytes);
  const counter = scrapedCounter(meta, status);
  counter('tickwire_recording_dropped_records_total', (s) => s.droppedRecords);
  counter('tickwire_recording_write_errors_total', (s) => s.writeErrors);
  counter('tickwire_recording_rolls_total', (s) => s.rolls);
  counter('tickwire_recording_roll_failures_total', (s) => s.rollFailures);
}

/**
 * Registers the recording's disk usage and retention metrics: read from the retention runner at each scrape
 * (`usage()`; undefined = not recording: all 0).
 */
export function registerDiskMetrics(meta: MetricMeta, usage: () => RecordingDiskUsage | undefined): void {
  const gauge = scrapedGauge(meta, usage);
  gauge('tickwire_recording_disk_bytes', (d) => d.dataDirBytes);
  gauge('tickwire_recording_session_bytes', (d) => d.sessionBytes);
  gauge('tickwire_recording_sessions', (d) => d.sessions);
  gauge('tickwire_recording_retention_over_bound', (d) => (d.overBound ? 1 : 0));
  const counter = scrapedCounter(meta, usage);
  counter('tickwire_recording_retention_deleted_bytes_total', (d) => d.deletedBytes);
  counter('tickwire_recording_retention_deleted_sessions_total', (d) => d.deletedSessions);
}

/** Makes gauges set at each scrape from `source()`: `read` of it, or 0 while it is undefined. */
function scrapedGauge<T>(meta: MetricMeta, source: () => T | undefined) {
  return (name: FeedMetricName, read: (s: T) => number): void => {
    const g: Gauge = new Gauge({
      ...meta(name),
      collect: () => {
        const s = source();
        g.set(s === undefined ? 0 : read(s));
      },
    });
  };
}

/**
 * Makes counters that follow a running total read from `source()` at each scrape; while it is undefined, or if
 * the total goes back (a new recorder), the counter stays where it was.
 */
function scrapedCounter<T>(meta: MetricMeta, source: () => T | undefined) {
  return (name: FeedMetricName, read: (s: T) => number): void => {
    let flushed = 0;
    const c: Counter = new Counter({
      ...meta(name),
      collect: () => {
        const s = source();
        const total = s === undefined ? flushed : read(s);
        if (total > flushed) c.inc(total - flushed);
        flushed = Math.max(flushed, total);
      },
    });
  };
}
