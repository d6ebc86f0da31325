/** The candle intervals Tickwire builds, shortest first. */
export const CANDLE_INTERVALS = ['1s', '1m', '5m', '15m', '1h', '1d'] as const;

/** One of `CANDLE_INTERVALS`. */
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

const SECOND_US = 1_000_000;

/** Length of each interval in microseconds. A day is 86 400 s: Unix time has no leap seconds. */
export const CANDLE_INTERVAL_US: Readonly<Record<CandleInterval, number>> = {
  '1s': SECOND_US,
  '1m': 60 * SECOND_US,
  '5m': 5 * 60 * SECOND_US,
  '15m': 15 * 60 * SECOND_US,
  '1h': 60 * 60 * SECOND_US,
  '1d': 24 * 60 * 60 * SECOND_US,
};

/**
 * Start of the bucket holding `tsUs`, aligned to the Unix epoch (so `1d` buckets start at 00:00 UTC): the
 * largest multiple of the interval length that is ≤ `tsUs`. A timestamp exactly on a boundary starts a bucket.
 * Works before 1970 too (floors toward −∞). Throws `RangeError` when `tsUs` is not a safe integer.
 */
export function bucketStartUs(tsUs: number, interval: CandleInterval): number {
  if (!Number.isSafeInteger(tsUs)) throw new RangeError(`tsUs ${tsUs} is not a safe integer`);
  const lengthUs = CANDLE_INTERVAL_US[interval];
  const intoBucketUs = ((tsUs % lengthUs) + lengthUs) % lengthUs;
  return tsUs - intoBucketUs;
}
