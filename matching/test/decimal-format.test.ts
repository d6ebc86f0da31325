import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { divideToDecimal, formatScaled, parseScaled } from '../src/decimal-format.ts';

describe('formatScaled', () => {
  test.each([
    [10125, 2, '101.25'],
    [5, 2, '0.05'],
    [0, 2, '0.00'],
    [-5, 3, '-0.005'],
    [123, 0, '123'],
    [1n, 8, '0.00000001'],
    [2n ** 70n, 2, '11805916207174113034.24'],
  ])('(%s, %i) → %s', (value, scale, text) => {
    expect(formatScaled(value, scale)).toBe(text);
  });
});

describe('parseScaled', () => {
  test.each([
    ['101.25', 2, 10125],
    ['0.1', 2, 10],
    ['7', 3, 7000],
    [' 0.00001 ', 5, 1],
    ['-1.5', 1, -15],
  ])('%s at scale %i → %i', (text, scale, value) => {
    expect(parseScaled(text, scale)).toBe(value);
  });

  test.each([
    ['0.001', 2, /more than 2 decimals/],
    ['abc', 2, /not a decimal/],
    ['1e20', 2, /too large/],
    ['Infinity', 2, /more than 2 decimals|too large/],
  ])('%s at scale %i is refused, never rounded', (text, scale, message) => {
    expect(() => parseScaled(text, scale)).toThrow(message);
  });

  test('round-trips every safe scaled integer exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
        fc.integer({ min: 0, max: 12 }),
        (v, scale) => {
          expect(parseScaled(formatScaled(v, scale), scale)).toBe(v);
        },
      ),
    );
  });
});

describe('divideToDecimal', () => {
  test('is exact where floats are not', () => {
    // 0.1 + 0.2 style trap: (10001*3 + 10002*1) / 4 = 10001.25 exactly
    expect(divideToDecimal(10001n * 3n + 10002n, 4n, 4)).toBe('10001.2500');
    expect(divideToDecimal(1n, 3n, 6)).toBe('0.333333');
    expect(() => divideToDecimal(1n, 0n, 2)).toThrow(RangeError);
  });
});
