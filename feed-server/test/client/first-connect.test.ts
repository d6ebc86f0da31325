import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_FIRST_CONNECT_TIMEOUT_MS, FirstConnect } from '../../src/client/first-connect.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('FirstConnect', () => {
  test('the deadline runs from the first attempt; a connection disarms it; 30 s by default', () => {
    vi.useFakeTimers();
    expect(DEFAULT_FIRST_CONNECT_TIMEOUT_MS).toBe(30_000);
    const timeouts: number[] = [];
    const guard = new FirstConnect(
      DEFAULT_FIRST_CONNECT_TIMEOUT_MS,
      undefined,
      () => timeouts.push(Date.now()),
      () => {},
    );
    const t0 = Date.now();
    vi.advanceTimersByTime(60_000); // no attempt yet: no deadline
    guard.attempt();
    vi.advanceTimersByTime(29_999);
    guard.attempt(); // a retry does not move the deadline
    expect(timeouts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(timeouts).toEqual([t0 + 90_000]);
    const connected = new FirstConnect(
      100,
      undefined,
      () => timeouts.push(-1),
      () => {},
    );
    connected.attempt();
    connected.connected();
    vi.advanceTimersByTime(1000);
    expect(timeouts).toHaveLength(1);
  });

  test('null: no deadline; the signal is heeded, also when aborted before', () => {
    vi.useFakeTimers();
    let aborts = 0;
    const controller = new AbortController();
    const guard = new FirstConnect(
      null,
      controller.signal,
      () => {
        throw new Error('no deadline was set');
      },
      () => aborts++,
    );
    guard.attempt();
    vi.advanceTimersByTime(10 * 60_000);
    controller.abort(new Error('user left'));
    expect(aborts).toBe(1);
    expect(guard.abortReason).toMatchObject({ message: 'user left' });
    expect(
      new FirstConnect(
        null,
        controller.signal,
        () => {},
        () => {},
      ).aborted,
    ).toBe(true);
    guard.dispose();
  });
});
