import { expect, test } from 'vitest';
import { formatScaled } from '../../src/decimal-format.ts';
import { defineInstrument } from '../../src/instrument.ts';
import { RandomSource } from '../../src/simulator/random-source.ts';
import { SimInstrument } from '../../src/simulator/sim-instrument.ts';
import { INSTRUMENTS } from './helpers.ts';

test.each([
  ['BTC-USD', 6_500_000, 130, '0.03076'],
  ['ETH-USD', 350_000, 7, '0.5714'],
  ['AMZN', 22_500, 1, '8'],
])('%s: quoting unit and median size follow the price', (symbol, ticks, unit, median) => {
  const inst = INSTRUMENTS.find((i) => i.symbol === symbol);
  if (inst === undefined) throw new Error(symbol);
  const sim = new SimInstrument(0, inst, ticks);
  expect(sim.unit).toBe(unit);
  expect(formatScaled(sim.medianQty, inst.qtyScale)).toBe(median);
});

test('sizes are lot multiples within [min, max], heavy-tailed', () => {
  const inst = defineInstrument({
    symbol: 'X',
    tickSize: '0.01',
    lotSize: '5',
    minSize: '10',
    maxSize: '2000',
  });
  const sim = new SimInstrument(0, inst, 10_000);
  const rng = new RandomSource(1);
  const sizes: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const q = sim.qtyFromPct(sim.drawSizePct(rng));
    expect(q % 5).toBe(0);
    expect(q).toBeGreaterThanOrEqual(10);
    expect(q).toBeLessThanOrEqual(2000);
    sizes.push(q);
  }
  sizes.sort((a, b) => a - b);
  const median = sizes[sizes.length / 2] as number;
  const p999 = sizes[Math.floor(sizes.length * 0.999)] as number;
  expect(p999 / median).toBeGreaterThan(10);
});

test('prices clamp into [1 tick, max]', () => {
  const inst = defineInstrument({ symbol: 'X', tickSize: '0.01', lotSize: '1', maxPrice: '1000' });
  const sim = new SimInstrument(0, inst, 10_000);
  expect(sim.clampTicks(-5)).toBe(1);
  expect(sim.clampTicks(200_000)).toBe(100_000);
});

test('an initial price that leaves no room is a config error', () => {
  const inst = defineInstrument({ symbol: 'X', tickSize: '0.01', lotSize: '1', maxPrice: '1' });
  expect(() => new SimInstrument(0, inst, 90)).toThrow(/outside/);
  expect(() => new SimInstrument(0, inst, 10)).toThrow(/outside/);
});
