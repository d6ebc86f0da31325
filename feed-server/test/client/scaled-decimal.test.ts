import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatPrice, formatQty, formatScaled } from '../../src/client/index.ts';

describe('formatScaled', () => {
  test.each<[number, number, string]>([
    [6500125, 2, '65001.25'],
    [1500, 5, '0.01500'],
    [0, 2, '0.00'],
    [5, 0, '5'],
    [-250, 3, '-0.250'],
    [-5, 0, '-5'],
    [7, 4, '0.0007'],
    [Number.MAX_SAFE_INTEGER, 8, '90071992.54740991'],
  ])('(%i, %i) → %s', (value, scale, text) => {
    expect(formatScaled(value, scale)).toBe(text);
  });

  test('exact for every safe integer and scale: the digits are the integer, the point moved', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 20 }), (value, scale) => {
        const text = formatScaled(value, scale);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(value));
        expect(text.includes('.') ? (text.split('.')[1] as string).length : 0).toBe(scale);
      }),
    );
  });

  test.each([
    [0.5, 2],
    [2 ** 53, 2],
    [1, -1],
    [1, 1.5],
    [1, 21],
  ])('(%d, %d) is refused', (value, scale) => {
    expect(() => formatScaled(value, scale)).toThrow(RangeError);
  });

  test('formatPrice / formatQty use the instrument scales', () => {
    const btc = { priceScale: 2, qtyScale: 5 };
    expect(formatPrice(6500125, btc)).toBe('65001.25');
    expect(formatQty(1500, btc)).toBe('0.01500');
  });
});
