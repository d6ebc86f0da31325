import { describe, expect, test } from 'vitest';
import {
  bucketStartUs,
  CANDLE_INTERVAL_US,
  CANDLE_INTERVALS,
  type CandleInterval,
} from '../../src/market-data/candle-interval.ts';

/** 2024-03-09T13:47:25.123456Z */
const T = Date.UTC(2024, 2, 9, 13, 47, 25, 123) * 1000 + 456;
const us = (iso: string): number => Date.parse(iso) * 1000;

describe('CANDLE_INTERVAL_US', () => {
  test.each([
    ['1s', 1e6],
    ['1m', 60e6],
    ['5m', 300e6],
    ['15m', 900e6],
    ['1h', 3600e6],
    ['1d', 86400e6],
  ] as const)('%s is %d µs', (interval, lengthUs) => {
    expect(CANDLE_INTERVAL_US[interval]).toBe(lengthUs);
  });

  test('intervals are listed shortest first and each divides the next', () => {
    for (let i = 1; i < CANDLE_INTERVALS.length; i++) {
      const shorter = CANDLE_INTERVAL_US[CANDLE_INTERVALS[i - 1] as CandleInterval];
      const longer = CANDLE_INTERVAL_US[CANDLE_INTERVALS[i] as CandleInterval];
      expect(longer % shorter).toBe(0);
    }
  });
});

describe('bucketStartUs', () => {
  test.each<[CandleInterval, number, number]>([
    ['1s', T, us('2024-03-09T13:47:25Z')],
    ['1m', T, us('2024-03-09T13:47:00Z')],
    ['5m', T, us('2024-03-09T13:45:00Z')],
    ['15m', T, us('2024-03-09T13:45:00Z')],
    ['1h', T, us('2024-03-09T13:00:00Z')],
    ['1d', T, us('2024-03-09T00:00:00Z')],
    // exactly on a boundary: the boundary starts the bucket
    ['1m', us('2024-03-09T13:47:00Z'), us('2024-03-09T13:47:00Z')],
    ['1d', us('2024-03-10T00:00:00Z'), us('2024-03-10T00:00:00Z')],
    // one µs before a boundary: still the previous bucket
    ['1m', us('2024-03-09T13:47:00Z') - 1, us('2024-03-09T13:46:00Z')],
    ['1d', us('2024-03-10T00:00:00Z') - 1, us('2024-03-09T00:00:00Z')],
    ['1s', 0, 0],
    // before the epoch: floors toward −∞
    ['1s', -1, -1_000_000],
    ['1m', -60_000_000, -60_000_000],
  ])('%s of %d → %d', (interval, tsUs, want) => {
    expect(bucketStartUs(tsUs, interval)).toBe(want);
  });

  test.each([1.5, Number.NaN, 2 ** 53])('rejects %d', (tsUs) => {
    expect(() => bucketStartUs(tsUs, '1s')).toThrow(RangeError);
  });
});
