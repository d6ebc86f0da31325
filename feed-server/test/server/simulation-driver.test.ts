import { afterEach, describe, expect, test, vi } from 'vitest';
import { type Command, DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { InProcessBus } from '../../src/server/bus.ts';
import { FeedPublisher } from '../../src/server/feed-publisher.ts';
import { SimulationDriver, wallClockMs } from '../../src/server/simulation-driver.ts';

const START_MS = Date.UTC(2026, 0, 1);

function driverOn(clockMs: () => number): { driver: SimulationDriver; commands: Command[] } {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 9, instruments, rate: 300, publisher, clockMs });
  const commands: Command[] = [];
  driver.onCommand = (cmd) => commands.push(cmd);
  return { driver, commands };
}

describe('SimulationDriver', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('started, it submits each command once its time has come, the same commands as pumping by hand', () => {
    vi.useFakeTimers({ now: START_MS, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setImmediate'] });
    const live = driverOn(() => Date.now());
    live.driver.start();
    vi.advanceTimersByTime(2000);
    live.driver.stop();
    // Every command submitted was due, and every command due by the end was submitted.
    const endUs = Date.now() * 1000;
    expect(live.commands.length).toBeGreaterThan(300);
    for (const c of live.commands) expect(c.tsUs).toBeLessThanOrEqual(endUs);

    let nowMs = START_MS;
    const byHand = driverOn(() => nowMs);
    nowMs = START_MS + 2000;
    byHand.driver.pump();
    expect(live.commands).toEqual(byHand.commands);
  });

  test('stopped, it submits nothing more', () => {
    vi.useFakeTimers({ now: START_MS, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setImmediate'] });
    const { driver, commands } = driverOn(() => Date.now());
    driver.start();
    vi.advanceTimersByTime(500);
    driver.stop();
    const n = commands.length;
    vi.advanceTimersByTime(500);
    expect(commands.length).toBe(n);
  });
});

describe('wallClockMs', () => {
  test('stays within the millisecond Date.now() reads around it', () => {
    const clock = wallClockMs();
    for (let i = 0; i < 10_000; i++) {
      const before = Date.now();
      const now = clock();
      const after = Date.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThan(after + 1);
    }
  });
});
