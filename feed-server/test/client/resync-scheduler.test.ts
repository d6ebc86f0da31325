import { afterEach, describe, expect, test, vi } from 'vitest';
import { ResyncScheduler } from '../../src/client/resync-scheduler.ts';
import type { Subscription } from '../../src/client/subscription.ts';

afterEach(() => {
  vi.useRealTimers();
});

const sub = (consecutiveResyncs: number) =>
  ({ feed: { consecutiveResyncs }, resyncTimer: undefined }) as unknown as Subscription;

describe('ResyncScheduler', () => {
  test('first resyncs go out together at the flush; a repeated one waits its backoff, at most once', () => {
    vi.useFakeTimers();
    const batches: Subscription[][] = [];
    const s = new ResyncScheduler((subs) => batches.push([...subs]));
    const a = sub(1);
    const b = sub(1);
    const c = sub(3);
    s.add(a);
    s.add(b);
    s.add(c);
    s.flush();
    expect(batches).toEqual([[a, b]]);
    s.add(c);
    s.flush(); // c's timer is already running
    vi.advanceTimersByTime(1000); // ceiling for 3 consecutive resyncs: 500 ms
    expect(batches).toEqual([[a, b], [], [c]]);
  });

  test('a cleared or deleted channel is not resubscribed', () => {
    const batches: Subscription[][] = [];
    const s = new ResyncScheduler((subs) => batches.push([...subs]));
    const a = sub(1);
    s.add(a);
    s.delete(a);
    s.flush();
    s.add(a);
    s.clear();
    s.flush();
    expect(batches).toEqual([]);
  });
});
