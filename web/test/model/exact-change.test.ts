import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { exactChange } from '../../src/model/index.ts';

describe('exactChange', () => {
  test.each([
    [6500125, 6500000, 125, '0.00'], // 0.0019% rounds to 0.00
    [6662500, 6500000, 162500, '2.50'],
    [6337500, 6500000, -162500, '-2.50'],
    [1005, 1000, 5, '0.50'],
    [10000125, 10000000, 125, '0.00'], // 0.00125% → 0.00 (half-even at the third decimal does not arise)
    [100125, 100000, 125, '0.12'], // 0.125% → half to even: 0.12
    [100375, 100000, 375, '0.38'], // 0.375% → 0.38
    [99875, 100000, -125, '-0.12'],
    [5, 0, 5, null],
    [900719925476, 1, 900719925475, '90071992547500.00'], // beyond 2^53 hundredths: still exact
  ])('last %i against open %i: change %i, %s%%', (last, open, change, percent) => {
    expect(exactChange(last, open)).toEqual({ change, percent });
  });

  test('agrees with exact rational rounding (half to even) for any safe prices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (open, last) => {
          const { percent } = exactChange(last, open);
          // percent × 100 as an exact fraction n/d; the result r satisfies |n/d − r| ≤ 1/2.
          const n = BigInt(last - open) * 10_000n;
          const d = BigInt(open);
          const r = BigInt((percent as string).replace('.', ''));
          const twice = (n - r * d) * 2n;
          expect(twice <= d && twice >= -d).toBe(true);
        },
      ),
    );
  });
});
