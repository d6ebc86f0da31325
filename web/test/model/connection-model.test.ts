import type { FeedStats, StatusEvent } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { ConnectionModel } from '../../src/model/index.ts';

function stats(messages: number, latencyUs: number | null): FeedStats {
  return {
    messages,
    frames: 0,
    bytes: 0,
    reconnects: 0,
    gaps: 0,
    resyncs: 0,
    checksumMismatches: 0,
    latencyUs: { last: latencyUs, avg: latencyUs },
  };
}

const live = (resumed = false): StatusEvent => ({
  type: 'status',
  status: 'live',
  session: 's1',
  mode: 'live',
  resumed,
  previousSession: resumed ? 's1' : null,
});

describe('ConnectionModel', () => {
  test('connecting → live, with the median latency and the message rate', () => {
    const m = new ConnectionModel();
    expect(m.view(0)).toMatchObject({ state: 'connecting', label: 'Connecting…', latency: '—' });
    m.onStatus(live(), 0);
    m.sample(stats(0, 3000), 0);
    m.sample(stats(600, 90_000), 500); // one late frame does not move the median
    m.sample(stats(1200, 3200), 1000);
    expect(m.view(1000)).toMatchObject({
      state: 'live',
      label: 'Live',
      latency: '3.2 ms',
      rate: '1,200 msg/s',
    });
  });

  test('a channel resyncing makes the link "resyncing" until its data flows again', () => {
    const m = new ConnectionModel();
    m.onStatus(live(), 0);
    m.onStatus(
      {
        type: 'status',
        status: 'resyncing',
        channel: 'book:BTC-USD:10',
        reason: 'gap',
        expectedSeq: 5,
        receivedSeq: 7,
        message: 'update seq 7 after 4',
      },
      0,
    );
    expect(m.view(0)).toMatchObject({
      state: 'resyncing',
      label: 'Resyncing',
      detail: 'resyncing book:BTC-USD:10',
    });
    m.onData('trades:BTC-USD');
    expect(m.linkState).toBe('resyncing');
    m.onData('book:BTC-USD:10');
    expect(m.linkState).toBe('live');
  });

  test('a channel reset whose snapshot has no data (a replay seek to before any trade) is live on synced', () => {
    const m = new ConnectionModel();
    m.onStatus(live(), 0);
    m.onStatus(
      {
        type: 'status',
        status: 'resyncing',
        channel: 'trades:BTC-USD',
        reason: 'reset',
        expectedSeq: null,
        receivedSeq: null,
        message: 'server reset: seek',
      },
      0,
    );
    expect(m.linkState).toBe('resyncing');
    m.onStatus(
      { type: 'status', status: 'synced', channel: 'trades:BTC-USD', seq: 3, generation: 2, resumed: false },
      0,
    );
    expect(m.linkState).toBe('live');
  });

  test('reconnecting counts down, forgets latency, and live again after the reconnect', () => {
    const m = new ConnectionModel();
    m.onStatus(live(), 0);
    m.sample(stats(0, 2000), 0);
    m.onStatus(
      { type: 'status', status: 'reconnecting', attempt: 3, delayMs: 4000, closeCode: 1006, closeReason: '' },
      10_000,
    );
    expect(m.view(10_500)).toMatchObject({
      state: 'reconnecting',
      label: 'Reconnecting in 4 s',
      latency: '—',
    });
    expect(m.view(10_500).detail).toContain('1006');
    m.onStatus(live(true), 14_000);
    expect(m.view(14_000)).toMatchObject({ state: 'live', latency: '—' });
  });

  test('a fatal close, and replay mode (no latency: the events are not live)', () => {
    const m = new ConnectionModel();
    m.onStatus(
      { type: 'status', status: 'closed', closeCode: 4001, closeReason: 'token required', fatal: true },
      0,
    );
    expect(m.view(0)).toMatchObject({ state: 'closed', label: 'Disconnected' });
    expect(m.view(0).detail).toContain('4001 token required');
    const r = new ConnectionModel();
    r.onStatus(
      { type: 'status', status: 'live', session: 's', mode: 'replay', resumed: false, previousSession: null },
      0,
    );
    r.sample(stats(0, 5000), 0);
    expect(r.view(0)).toMatchObject({ label: 'Replay', latency: '—' });
  });
});
