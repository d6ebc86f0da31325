import { expect, test } from 'vitest';
import { FAIR_FP, FairPrice } from '../../src/simulator/fair-price.ts';
import { RandomSource } from '../../src/simulator/random-source.ts';

test('the fair price never leaves its bounds, under drift from one-sided trading', () => {
  const rng = new RandomSource(1);
  const fair = new FairPrice(200, 1, 100, 300);
  for (let i = 0; i < 50_000; i++) {
    fair.step(rng);
    for (let k = 0; k < 20; k++) fair.impact(i % 20_000 < 10_000);
    expect(fair.ticks).toBeGreaterThanOrEqual(100);
    expect(fair.ticks).toBeLessThanOrEqual(300);
  }
});

test('regimes switch and scale the volatility; jumps happen', () => {
  const rng = new RandomSource(5);
  const fair = new FairPrice(1_000_000, 100, 10_000, 2_000_000);
  const moves = new Map<string, { n: number; sq: number }>();
  let jumps = 0;
  for (let i = 0; i < 400_000; i++) {
    const regime = fair.regime;
    const before = fair.fairFp;
    if (fair.step(rng)) {
      jumps++;
      continue;
    }
    const d = (fair.fairFp - before) / (FAIR_FP * 100);
    const m = moves.get(regime) ?? { n: 0, sq: 0 };
    m.n++;
    m.sq += d * d;
    moves.set(regime, m);
  }
  const sd = (r: string) => {
    const m = moves.get(r);
    return m === undefined ? Number.NaN : Math.sqrt(m.sq / m.n);
  };
  // The documented step SDs are 0.12, 0.25 and 0.70 units.
  expect(sd('calm')).toBeCloseTo(0.12, 1);
  expect(sd('normal')).toBeCloseTo(0.25, 1);
  expect(sd('volatile')).toBeCloseTo(0.7, 1);
  expect(jumps).toBeGreaterThan(5);
});
