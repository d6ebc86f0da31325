import { expect, test } from 'vitest';
import type { EngineEvent } from '../../src/events.ts';
import { runSimulation } from '../../src/simulator/run-simulation.ts';
import { INSTRUMENTS, record } from './helpers.ts';

test('runSimulation reports what happened and matches a hand-wired run', () => {
  const events: EngineEvent[] = [];
  let commands = 0;
  const summary = runSimulation({
    seed: 5,
    count: 3000,
    instruments: INSTRUMENTS,
    onEvent: (e) => events.push(e),
    onCommand: () => commands++,
  });
  expect(commands).toBe(3000);
  expect(summary.commands).toBe(3000);
  expect(summary.events).toBe(events.length);
  expect(summary.seq).toBe(events.length);
  expect(summary.trades).toBe(events.filter((e) => e.type === 'trade').length);
  expect(summary.rejects).toBe(events.filter((e) => e.type === 'rejected').length);
  const s = summary.stats;
  expect(
    s.passiveLimits + s.marketableLimits + s.markets + s.stops + s.cancels + s.modifies + s.massCancels,
  ).toBe(3000);
  expect(summary.stateHash).toBe(record(3000, { seed: 5 }).stateHash);
});
