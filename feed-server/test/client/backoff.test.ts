import { describe, expect, test } from 'vitest';
import { Backoff } from '../../src/client/index.ts';

describe('Backoff', () => {
  test('full jitter: uniform in [0, min(max, min × 2^n))', () => {
    const top = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect(Array.from({ length: 7 }, () => top.next())).toEqual([99, 199, 399, 799, 999, 999, 999]);
    const bottom = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    expect(Array.from({ length: 3 }, () => bottom.next())).toEqual([0, 0, 0]);
    const half = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    expect(Array.from({ length: 5 }, () => half.next())).toEqual([50, 100, 200, 400, 500]);
  });

  test('counts attempts and starts over on reset', () => {
    const b = new Backoff({ minDelayMs: 10, maxDelayMs: 80, random: () => 0.5 });
    b.next();
    b.next();
    expect(b.attempt).toBe(2);
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(5);
  });

  test('a thousand attempts stay at the cap (no overflow to Infinity/NaN)', () => {
    const b = new Backoff({ random: () => 0.5 });
    let last = 0;
    for (let i = 0; i < 1000; i++) last = b.next();
    expect(last).toBe(5_000);
  });

  test('defaults 250 ms to 10 s: the first retry within a quarter second', () => {
    expect(new Backoff()).toMatchObject({ minDelayMs: 250, maxDelayMs: 10_000 });
    const top = new Backoff({ random: () => 0.999999 });
    expect(Array.from({ length: 8 }, () => top.next())).toEqual([
      249, 499, 999, 1999, 3999, 7999, 9999, 9999,
    ]);
  });

  test.each([
    [{ minDelayMs: 0 }, /minDelayMs/],
    [{ minDelayMs: Number.NaN }, /minDelayMs/],
    [{ minDelayMs: 100, maxDelayMs: 50 }, /maxDelayMs/],
  ])('%j is refused', (options, message) => {
    expect(() => new Backoff(options)).toThrow(message);
  });
});
