import { readFileSync } from 'node:fs';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { FEED_METRICS } from '../../src/server/feed-metric-catalog.ts';
import { FeedMetrics } from '../../src/server/feed-metrics.ts';

/** The samples of a scrape: `name{labels}` → value. */
async function samples(metrics: FeedMetrics): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await metrics.metrics()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

// Default metrics start a GC observer and an event-loop monitor per instance that prom-client never stops.
const quiet = () => new FeedMetrics({ defaultMetrics: false });

test('every metric of FEED_METRICS is exposed with its type and help', async () => {
  const text = await quiet().metrics();
  for (const [name, { type, help }] of Object.entries(FEED_METRICS)) {
    expect(text).toContain(`# TYPE ${name} ${type}\n`);
    expect(text).toContain(`# HELP ${name} ${help}\n`);
  }
});

test('the Prometheus text content type', () => {
  expect(quiet().contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
});

describe('values', () => {
  test('connections, closes by code, rejects by reason', async () => {
    const m = quiet();
    m.connectionOpened();
    m.connectionOpened();
    m.connectionOpened();
    m.connectionClosed(4008);
    m.slowConsumerDisconnect();
    m.connectionClosed(1006);
    m.connectionRejected('ip_limit');
    m.connectionRejected('origin');
    m.connectionRejected('origin');
    const s = await samples(m);
    expect(s.get('tickwire_connections')).toBe(1);
    expect(s.get('tickwire_connections_accepted_total')).toBe(3);
    expect(s.get('tickwire_closes_total{code="4008"}')).toBe(1);
    expect(s.get('tickwire_closes_total{code="1006"}')).toBe(1);
    expect(s.get('tickwire_slow_consumer_disconnects_total')).toBe(1);
    expect(s.get('tickwire_connections_rejected_total{reason="origin"}')).toBe(2);
    expect(s.get('tickwire_connections_rejected_total{reason="ip_limit"}')).toBe(1);
    expect(s.get('tickwire_connections_rejected_total{reason="auth"}')).toBe(0);
  });

  test('a close code outside the catalog counts as "other", so clients cannot grow the label set', async () => {
    const m = quiet();
    for (const code of [3000, 4999, 4100, 1000]) m.connectionClosed(code);
    const s = await samples(m);
    expect(s.get('tickwire_closes_total{code="other"}')).toBe(3);
    expect(s.get('tickwire_closes_total{code="1000"}')).toBe(1);
  });

  test('subscriptions by channel kind', async () => {
    const m = quiet();
    m.subscribed('book', 3);
    m.subscribed('trades');
    m.unsubscribed('book');
    const s = await samples(m);
    expect(s.get('tickwire_subscriptions{kind="book"}')).toBe(2);
    expect(s.get('tickwire_subscriptions{kind="trades"}')).toBe(1);
    expect(s.get('tickwire_subscriptions{kind="candles"}')).toBe(0);
  });

  test('batched counters hand over what was added since the last scrape, and stay cumulative', async () => {
    const m = quiet();
    m.framesOut(2, 12, 1000);
    m.wireBytesOut(250);
    m.messagesDropped('conflated', 5);
    m.engineCommands(100);
    m.engineEvents(420);
    let s = await samples(m);
    expect(s.get('tickwire_frames_out_total')).toBe(2);
    expect(s.get('tickwire_messages_out_total')).toBe(12);
    expect(s.get('tickwire_payload_bytes_out_total')).toBe(1000);
    expect(s.get('tickwire_wire_bytes_out_total')).toBe(250);
    expect(s.get('tickwire_compression_ratio')).toBe(0.25);
    expect(s.get('tickwire_messages_dropped_total{reason="conflated"}')).toBe(5);
    expect(s.get('tickwire_messages_dropped_total{reason="slow_consumer"}')).toBe(0);
    expect(s.get('tickwire_engine_commands_total')).toBe(100);
    expect(s.get('tickwire_engine_events_total')).toBe(420);

    s = await samples(m); // nothing new: unchanged, not doubled
    expect(s.get('tickwire_frames_out_total')).toBe(2);

    m.framesOut(1, 3, 1000);
    m.wireBytesOut(750);
    m.messagesDropped('slow_consumer');
    m.messagesDropped('conflated', 1);
    m.engineCommands(1);
    s = await samples(m);
    expect(s.get('tickwire_frames_out_total')).toBe(3);
    expect(s.get('tickwire_messages_out_total')).toBe(15);
    expect(s.get('tickwire_compression_ratio')).toBe(0.5);
    expect(s.get('tickwire_messages_dropped_total{reason="conflated"}')).toBe(6);
    expect(s.get('tickwire_messages_dropped_total{reason="slow_consumer"}')).toBe(1);
    expect(s.get('tickwire_engine_commands_total')).toBe(101);
  });

  test('the compression ratio is NaN before any bytes', async () => {
    expect((await samples(quiet())).get('tickwire_compression_ratio')).toBeNaN();
  });

  test('publish latency lands in buckets from 10 µs to 100 ms', async () => {
    const m = quiet();
    for (const s of [0.000005, 0.00003, 0.002, 0.5]) m.observePublishLatency(s);
    const s = await samples(m);
    expect(s.get('tickwire_publish_latency_seconds_bucket{le="0.00001"}')).toBe(1);
    expect(s.get('tickwire_publish_latency_seconds_bucket{le="0.00005"}')).toBe(2);
    expect(s.get('tickwire_publish_latency_seconds_bucket{le="0.0025"}')).toBe(3);
    expect(s.get('tickwire_publish_latency_seconds_bucket{le="0.1"}')).toBe(3);
    expect(s.get('tickwire_publish_latency_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(s.get('tickwire_publish_latency_seconds_count')).toBe(4);
  });

  test('request errors by transport and code', async () => {
    const m = quiet();
    m.wsRequestError('UNKNOWN_SYMBOL');
    m.restError('UNKNOWN_SYMBOL');
    m.restError('UNKNOWN_SYMBOL');
    m.restError('BAD_LIMIT');
    const s = await samples(m);
    expect(s.get('tickwire_request_errors_total{transport="ws",code="UNKNOWN_SYMBOL"}')).toBe(1);
    expect(s.get('tickwire_request_errors_total{transport="rest",code="UNKNOWN_SYMBOL"}')).toBe(2);
    expect(s.get('tickwire_request_errors_total{transport="rest",code="BAD_LIMIT"}')).toBe(1);
  });

  test('the recording disk metrics read the usage at each scrape; counters only go up; 0 when not recording', async () => {
    const m = quiet();
    let s = await samples(m);
    expect(s.get('tickwire_recording_disk_bytes')).toBe(0);
    expect(s.get('tickwire_recording_sessions')).toBe(0);
    let usage = {
      dataDirBytes: 5000,
      sessionBytes: 1200,
      sessions: 3,
      deletedBytes: 700,
      deletedSessions: 1,
      overBound: false,
    };
    m.watchRecordingDisk(() => usage);
    s = await samples(m);
    expect(s.get('tickwire_recording_disk_bytes')).toBe(5000);
    expect(s.get('tickwire_recording_session_bytes')).toBe(1200);
    expect(s.get('tickwire_recording_sessions')).toBe(3);
    expect(s.get('tickwire_recording_retention_deleted_bytes_total')).toBe(700);
    expect(s.get('tickwire_recording_retention_deleted_sessions_total')).toBe(1);
    expect(s.get('tickwire_recording_retention_over_bound')).toBe(0);
    usage = {
      ...usage,
      dataDirBytes: 900,
      sessions: 1,
      deletedBytes: 4800,
      deletedSessions: 2,
      overBound: true,
    };
    s = await samples(m);
    expect(s.get('tickwire_recording_disk_bytes')).toBe(900);
    expect(s.get('tickwire_recording_retention_deleted_bytes_total')).toBe(4800);
    expect(s.get('tickwire_recording_retention_deleted_sessions_total')).toBe(2);
    expect(s.get('tickwire_recording_retention_over_bound')).toBe(1);
    m.watchRecordingDisk(() => undefined);
    s = await samples(m);
    expect(s.get('tickwire_recording_disk_bytes')).toBe(0);
    expect(s.get('tickwire_recording_retention_deleted_bytes_total')).toBe(4800);
  });

  test.each([
    -1,
    Number.NaN,
  ])('a count or latency of %s throws at the call, not at the scrape', async (bad) => {
    const m = quiet();
    expect(() => m.framesOut(1, bad, 0)).toThrow(RangeError);
    expect(() => m.wireBytesOut(bad)).toThrow(RangeError);
    expect(() => m.messagesDropped('conflated', bad)).toThrow(RangeError);
    expect(() => m.engineCommands(bad)).toThrow(RangeError);
    expect(() => m.engineEvents(bad)).toThrow(RangeError);
    expect(() => m.subscribed('book', bad)).toThrow(RangeError);
    expect(() => m.observePublishLatency(bad)).toThrow(RangeError);
    await expect(m.metrics()).resolves.toContain('tickwire_engine_events_total 0');
  });
});

describe('registries', () => {
  test('two instances in one process do not clash and count apart', async () => {
    const a = new FeedMetrics();
    const b = new FeedMetrics();
    a.connectionOpened();
    a.engineCommands(7);
    b.engineCommands(2);
    const [sa, sb] = [await samples(a), await samples(b)];
    expect([sa.get('tickwire_connections'), sb.get('tickwire_connections')]).toEqual([1, 0]);
    expect([sa.get('tickwire_engine_commands_total'), sb.get('tickwire_engine_commands_total')]).toEqual([
      7, 2,
    ]);
    expect(a.registry).not.toBe(b.registry);
  });

  test('default process and Node metrics are on the instance registry, never on the global one', async () => {
    const text = await new FeedMetrics().metrics();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(await quiet().metrics()).not.toContain('process_cpu_user_seconds_total');
    expect(globalRegistry.getSingleMetric('tickwire_connections')).toBeUndefined();
    expect(globalRegistry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });
});

test('the README lists exactly the metrics of FEED_METRICS, with their types', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const documented: Record<string, string> = {};
  for (const m of readme.matchAll(/^\| `(tickwire_[a-z_]+)` +\| (counter|gauge|histogram) +\|/gm)) {
    if (m[1] !== undefined && m[2] !== undefined) documented[m[1]] = m[2];
  }
  expect(documented).toEqual(
    Object.fromEntries(Object.entries(FEED_METRICS).map(([n, { type }]) => [n, type])),
  );
});
