import { expect, test } from 'vitest';
import { StatsCounters } from '../../src/client/feed-stats.ts';

test('resyncs are counted by reason; latency keeps the last and the average', () => {
  const c = new StatsCounters();
  for (const reason of ['gap', 'heartbeat', 'checksum', 'reset', 'session'] as const) {
    c.count({
      type: 'status',
      status: 'resyncing',
      channel: 'x',
      reason,
      expectedSeq: null,
      receivedSeq: null,
      message: '',
    });
  }
  c.count({ type: 'status', status: 'connecting', attempt: 1 });
  expect(c.snapshot().latencyUs).toEqual({ last: null, avg: null });
  c.latency(10);
  c.latency(30);
  expect(c.snapshot()).toMatchObject({
    resyncs: 5,
    gaps: 2,
    checksumMismatches: 1,
    latencyUs: { last: 30, avg: 20 },
  });
});
