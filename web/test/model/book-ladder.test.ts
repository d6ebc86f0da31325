import { LocalBook } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { buildLadder } from '../../src/model/index.ts';

/** BTC-USD's units: tick 0.01, lot 0.00001 */
const btc = { priceScale: 2, qtyScale: 5, tickSize: 1, lotSize: 1 };

describe('buildLadder', () => {
  test('top levels best first, cumulative totals, depth relative to the deeper side, exact spread', () => {
    const book = new LocalBook(10);
    book.reset(
      [
        [6500100, 250, 1],
        [6500000, 750, 2],
        [6499900, 1000, 1],
      ],
      [
        [6500125, 1500, 1],
        [6500200, 300, 1],
      ],
    );
    const ladder = buildLadder(book, btc, 2);
    expect(ladder.bids).toEqual([
      { price: '65,001.00', qty: '0.00250', total: '0.00250', depth: 250 / 1800 },
      { price: '65,000.00', qty: '0.00750', total: '0.01000', depth: 1000 / 1800 },
    ]);
    expect(ladder.asks).toEqual([
      { price: '65,001.25', qty: '0.01500', total: '0.01500', depth: 1500 / 1800 },
      { price: '65,002.00', qty: '0.00300', total: '0.01800', depth: 1 },
    ]);
    expect(ladder.spread).toBe('0.25');
  });

  test('an empty side: no spread', () => {
    const book = new LocalBook(10);
    book.reset([[100, 1, 1]], []);
    expect(buildLadder(book, btc, 10)).toMatchObject({ asks: [], spread: null });
  });
});

test('totals beyond 2^53 stay exact', () => {
  const book = new LocalBook(10);
  const big = 2 ** 50 - 1;
  book.reset(
    [],
    Array.from({ length: 10 }, (_, i) => [1000 + i, big, 1] as const),
  );
  const ladder = buildLadder(book, { priceScale: 0, qtyScale: 2, tickSize: 1, lotSize: 1 }, 10);
  const sum = BigInt(big) * 10n;
  const whole = (sum / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ',');
  expect(ladder.asks[9]?.total).toBe(`${whole}.${String(sum % 100n).padStart(2, '0')}`);
});
