import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  MarketSimulator,
  MatchingEngine,
  runSimulation,
} from '../src/index.ts';
import { commandsArb } from './support/command-arbitrary.ts';
import { TEST_INSTRUMENTS } from './support/fixtures.ts';

/**
 * `stateHash()` is SHA-256 computed in pure JS (@noble/hashes) so that matching/ needs no Node built-in. Its
 * values must be the ones node:crypto gave: recorded sessions keep them in their keyframes and re-simulation
 * compares them.
 */
const INSTRUMENTS = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

const nodeSha256 = (engine: MatchingEngine): string =>
  createHash('sha256').update(engine.stateText()).digest('hex');

describe('stateHash', () => {
  // Recorded with node:crypto's createHash('sha256') at 40aeae5, before the switch: they pin the hashed text
  // as well as the hash function.
  test.each([
    { seed: 1, count: 5000, hash: 'fededbe213e5530c8b2b69b72bef388e4cd3d598b6b93dfeef2aa60ced72ce6e' },
    { seed: 7, count: 20_000, hash: 'f061adf1eff1ddcebe134eaaaa68f60f96e6fd3bf6c2a2f20b1e4c5821f79e97' },
  ])('seed $seed, $count simulated commands: the hash node:crypto gave', ({ seed, count, hash }) => {
    expect(runSimulation({ seed, count, instruments: INSTRUMENTS }).stateHash).toBe(hash);
  });

  test('an empty engine: the hash node:crypto gave', () => {
    const engine = new MatchingEngine(INSTRUMENTS, () => {});
    expect(engine.stateHash()).toBe('087eabea136a4e30c47a2203f4715afbc7bb4b428022a77f2ee3b27cb0216646');
    expect(engine.stateHash()).toBe(nodeSha256(engine));
  });

  test('equals node:crypto over the same text after every 500 simulated commands', () => {
    const sim = new MarketSimulator({ seed: 3, instruments: INSTRUMENTS });
    const engine = new MatchingEngine(INSTRUMENTS, (e) => sim.onEvent(e));
    for (let i = 1; i <= 10_000; i++) {
      engine.submit(sim.next());
      if (i % 500 === 0) expect(engine.stateHash()).toBe(nodeSha256(engine));
    }
    expect(engine.openOrders()).toBeGreaterThan(0);
  });

  test('equals node:crypto over the same text after random commands (stops, every STP mode, rejects)', () => {
    fc.assert(
      fc.property(commandsArb(), (cmds) => {
        const engine = new MatchingEngine(TEST_INSTRUMENTS, () => {});
        for (const cmd of cmds) engine.submit(cmd);
        expect(engine.stateHash()).toBe(nodeSha256(engine));
      }),
      { numRuns: RUNS },
    );
  });
});
