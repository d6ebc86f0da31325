import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Side } from '../../src/commands.ts';
import { L2Side, type SideLevel } from '../../src/market-data/l2-side.ts';

describe('L2Side', () => {
  test.each<[string, Side, [number, number][], SideLevel | null, number]>([
    ['empty', 'buy', [], null, 0],
    ['one bid', 'buy', [[100, 5]], { price: 100, qty: 5 }, 1],
    [
      'best bid is the highest',
      'buy',
      [
        [100, 5],
        [101, 1],
        [99, 7],
      ],
      { price: 101, qty: 1 },
      3,
    ],
    [
      'best ask is the lowest',
      'sell',
      [
        [105, 5],
        [104, 1],
        [106, 7],
      ],
      { price: 104, qty: 1 },
      3,
    ],
    [
      'removing the best bid exposes the next',
      'buy',
      [
        [100, 5],
        [101, 1],
        [99, 7],
        [101, 0],
      ],
      { price: 100, qty: 5 },
      2,
    ],
    [
      'removing the best ask exposes the next',
      'sell',
      [
        [105, 5],
        [104, 1],
        [106, 7],
        [104, 0],
      ],
      { price: 105, qty: 5 },
      2,
    ],
    [
      'a quantity change keeps the level',
      'buy',
      [
        [100, 5],
        [100, 9],
      ],
      { price: 100, qty: 9 },
      1,
    ],
    [
      'removing an unknown level does nothing',
      'sell',
      [
        [105, 5],
        [104, 0],
      ],
      { price: 105, qty: 5 },
      1,
    ],
    [
      'removing every level empties the side',
      'sell',
      [
        [105, 5],
        [104, 1],
        [105, 0],
        [104, 0],
      ],
      null,
      0,
    ],
  ])('%s', (_name, side, sets, best, size) => {
    const s = new L2Side(side);
    for (const [price, qty] of sets) s.set(price, qty);
    expect(s.best()).toEqual(best);
    expect(s.size).toBe(size);
  });

  test.each([-1, 1.5])('rejects qty %d', (qty) => {
    expect(() => new L2Side('buy').set(100, qty)).toThrow(RangeError);
  });

  test('the best level always equals a naive scan of a map', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Side>('buy', 'sell'),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 30 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }))),
        ),
        (side, sets) => {
          const s = new L2Side(side);
          const naive = new Map<number, number>();
          for (const [price, qty] of sets) {
            s.set(price, qty);
            if (qty === 0) naive.delete(price);
            else naive.set(price, qty);
            const prices = [...naive.keys()];
            const bestPrice =
              prices.length === 0 ? null : side === 'buy' ? Math.max(...prices) : Math.min(...prices);
            expect(s.best()).toEqual(
              bestPrice === null ? null : { price: bestPrice, qty: naive.get(bestPrice) },
            );
            expect(s.size).toBe(naive.size);
          }
        },
      ),
    );
  });
});
