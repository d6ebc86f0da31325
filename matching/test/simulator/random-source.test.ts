import { expect, test } from 'vitest';
import { IRWIN_HALL_SD, RandomSource } from '../../src/simulator/random-source.ts';

test('the same seed draws the same numbers', () => {
  const a = new RandomSource(9);
  const b = new RandomSource(9);
  for (let i = 0; i < 100; i++) expect(a.below(1000)).toBe(b.below(1000));
});

test('helpers stay in their ranges', () => {
  const r = new RandomSource(1);
  for (let i = 0; i < 10_000; i++) {
    const x = r.between(-3, 5);
    expect(x).toBeGreaterThanOrEqual(-3);
    expect(x).toBeLessThanOrEqual(5);
    expect(r.u1024()).toBeLessThan(1024);
    expect(r.u65536()).toBeLessThan(65536);
  }
});

test('irwinHall is centred with the documented spread', () => {
  const r = new RandomSource(2);
  const n = 100_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const x = r.irwinHall();
    expect(Math.abs(x)).toBeLessThanOrEqual(510);
    sum += x;
    sq += x * x;
  }
  const mean = sum / n;
  const sd = Math.sqrt(sq / n - mean * mean);
  expect(Math.abs(mean)).toBeLessThan(2);
  expect(Math.abs(sd - IRWIN_HALL_SD)).toBeLessThan(2);
});

test('chance(p) happens about p/1024 of the time', () => {
  const r = new RandomSource(3);
  let hits = 0;
  for (let i = 0; i < 102_400; i++) if (r.chance(256)) hits++;
  expect(hits / 102_400).toBeCloseTo(0.25, 2);
});
