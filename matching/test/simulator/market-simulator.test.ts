import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Command } from '../../src/commands.ts';
import { defineInstrument } from '../../src/instrument.ts';
import { MatchingError } from '../../src/matching-error.ts';
import { DEFAULT_START_US, MarketSimulator } from '../../src/simulator/market-simulator.ts';
import { INSTRUMENTS, record, replay } from './helpers.ts';

describe('determinism', () => {
  const a = record(20_000, { seed: 42 });
  const b = record(20_000, { seed: 42 });

  test('the same seed gives the same commands, events and state', () => {
    expect(JSON.stringify(b.commands)).toBe(JSON.stringify(a.commands));
    expect(b.eventsSha256).toBe(a.eventsSha256);
    expect(b.stateHash).toBe(a.stateHash);
    expect(a.events).toBeGreaterThan(20_000);
  });

  test('a different seed gives a different market', () => {
    const c = record(20_000, { seed: 43 });
    expect(c.eventsSha256).not.toBe(a.eventsSha256);
    expect(c.stateHash).not.toBe(a.stateHash);
    // Nearby seeds are decorrelated from the first command on.
    expect(JSON.stringify(c.commands.slice(0, 5))).not.toBe(JSON.stringify(a.commands.slice(0, 5)));
  });

  test('replaying the recorded commands through a fresh engine reproduces the events', () => {
    expect(replay(INSTRUMENTS, a.commands)).toEqual({ eventsSha256: a.eventsSha256, stateHash: a.stateHash });
  });

  test('a seed of 2^32 − 1 works and differs from 0', () => {
    const hi = new MarketSimulator({ seed: 2 ** 32 - 1, instruments: INSTRUMENTS }).next();
    const lo = new MarketSimulator({ seed: 0, instruments: INSTRUMENTS }).next();
    expect(hi).not.toEqual(lo);
  });
});

describe('the command stream', () => {
  const run = record(30_000, { seed: 7 });

  test('time starts at the fixed epoch and never goes back', () => {
    let prev = DEFAULT_START_US;
    for (const c of run.commands) {
      expect(c.tsUs).toBeGreaterThanOrEqual(prev);
      prev = c.tsUs;
    }
    // 30 000 commands at the default 1000/s: about 30 s of virtual time.
    const seconds = (prev - DEFAULT_START_US) / 1e6;
    expect(seconds).toBeGreaterThan(25);
    expect(seconds).toBeLessThan(35);
  });

  test('order ids are unique and increasing', () => {
    const ids = run.commands.filter((c) => c.type === 'new').map((c) => c.orderId);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1] as number);
  });

  test('every command is well formed: only market-state rejects, and under 1%', () => {
    const { total, byCode } = run.sim.rejects;
    console.log(`rejects over ${run.commands.length} commands: ${total}`, Object.fromEntries(byCode));
    for (const code of byCode.keys()) expect(['FOK_NOT_FILLABLE', 'POST_ONLY_WOULD_CROSS']).toContain(code);
    expect(total / run.commands.length).toBeLessThan(0.01);
  });

  test('ordersPerSecond sets the pace of virtual time', () => {
    const sim = new MarketSimulator({ seed: 1, instruments: INSTRUMENTS, ordersPerSecond: 10, startUs: 0 });
    let last: Command | undefined;
    for (let i = 0; i < 1000; i++) last = sim.next();
    expect((last?.tsUs ?? 0) / 1e6).toBeGreaterThan(80);
    expect((last?.tsUs ?? 0) / 1e6).toBeLessThan(120);
  });
});

describe('configuration', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a fractional seed', { seed: 1.5 }, /seed/],
    ['a negative seed', { seed: -1 }, /seed/],
    ['a seed of 2^32', { seed: 2 ** 32 }, /seed/],
    ['no instruments', { instruments: [] }, /instrument/],
    ['a zero rate', { ordersPerSecond: 0 }, /ordersPerSecond/],
    ['a negative start', { startUs: -1 }, /startUs/],
    ['an initial price off the tick', { initialPrices: { AMZN: 22_500.5 } }, /tick/],
    ['an initial price for an unknown symbol', { initialPrices: { XYZ: 100 } }, /XYZ/],
    ['an initial price too close to zero', { initialPrices: { AMZN: 1 } }, /outside/],
  ];
  test.each(bad)('rejects %s', (_, patch, message) => {
    const make = () => new MarketSimulator({ seed: 1, instruments: INSTRUMENTS, ...patch });
    expect(make).toThrow(MatchingError);
    expect(make).toThrow(message);
  });

  test('instruments without a default price start at 100, and initial prices are used', () => {
    const x = defineInstrument({ symbol: 'XYZ', tickSize: '0.05', lotSize: '10' });
    const sim = new MarketSimulator({
      seed: 1,
      instruments: [x, ...INSTRUMENTS],
      initialPrices: { AMZN: 30_000 },
    });
    expect(sim.fairPrice('XYZ')).toBe(10_000);
    expect(sim.fairPrice('AMZN')).toBe(30_000);
    expect(sim.fairPrice('NOPE')).toBeUndefined();
  });
});

describe('realism over 60 000 commands', () => {
  const WARMUP = 1000;
  const depth = { samples: 0, emptyAfterWarmup: 0, maxEmptyRun: 0, fiveLevels: 0 };
  const emptyRun = INSTRUMENTS.map(() => 0);
  const run = record(60_000, { seed: 3 }, (engine, i) => {
    if (i < WARMUP) return;
    INSTRUMENTS.forEach((inst, k) => {
      const l2 = engine.l2(inst.symbol, 5);
      if (l2 === undefined) throw new Error('no book');
      depth.samples++;
      const empty = l2.bids.length === 0 || l2.asks.length === 0;
      emptyRun[k] = empty ? (emptyRun[k] as number) + 1 : 0;
      depth.maxEmptyRun = Math.max(depth.maxEmptyRun, emptyRun[k] as number);
      if (empty) depth.emptyAfterWarmup++;
      if (l2.bids.length >= 5 && l2.asks.length >= 5) depth.fiveLevels++;
    });
  });

  test('the book is never empty for long and has ≥ 5 levels a side almost always', () => {
    console.log('depth', depth);
    expect(depth.maxEmptyRun).toBeLessThan(20);
    expect(depth.emptyAfterWarmup / depth.samples).toBeLessThan(0.001);
    expect(depth.fiveLevels / depth.samples).toBeGreaterThan(0.98);
  });

  test('the mix is like a real venue', () => {
    const s = run.sim.stats;
    const pct = (n: number) => (100 * n) / s.commands;
    const mix = {
      passive: pct(s.passiveLimits),
      cancel: pct(s.cancels),
      marketable: pct(s.marketableLimits),
      market: pct(s.markets),
      stop: pct(s.stops),
      modify: pct(s.modifies),
      massCancel: pct(s.massCancels),
    };
    console.log('mix %', Object.fromEntries(Object.entries(mix).map(([k, v]) => [k, v.toFixed(2)])));
    expect(mix.passive).toBeGreaterThan(47);
    expect(mix.passive).toBeLessThan(60);
    expect(mix.cancel).toBeGreaterThan(25);
    expect(mix.cancel).toBeLessThan(35);
    expect(mix.marketable).toBeGreaterThan(6);
    expect(mix.marketable).toBeLessThan(14);
    for (const k of ['market', 'stop', 'modify'] as const) {
      expect(mix[k]).toBeGreaterThan(0.5);
      expect(mix[k]).toBeLessThan(5);
    }
  });

  test('trades happen on every instrument, and the spread stays tight', () => {
    console.log('trades', run.sim.tradeCount, 'events', run.sim.eventCount);
    expect(run.sim.tradeCount / run.commands.length).toBeGreaterThan(0.1);
    for (const inst of INSTRUMENTS) {
      expect(run.engine.lastPrice(inst.symbol)).toBeDefined();
      const l2 = run.engine.l2(inst.symbol, 1);
      const bid = l2?.bids[0]?.[0] ?? 0;
      const ask = l2?.asks[0]?.[0] ?? 0;
      expect(ask).toBeGreaterThan(bid);
      // within 0.1 % of the price
      expect((ask - bid) * 1000).toBeLessThan(ask);
    }
  });
});

test('the simulator is pure: no clock, no Math.random, no node: imports', () => {
  const dir = new URL('../../src/simulator/', import.meta.url);
  for (const file of readdirSync(dir)) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    expect(text, file).not.toMatch(/Math\.random|Date\.now|new Date|performance\.|process\.|from 'node:/);
  }
});
