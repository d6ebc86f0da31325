import fc from 'fast-check';
import { formatScaled } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import {
  axisPriceText,
  bigQtyText,
  groupThousands,
  priceDecimals,
  priceText,
  qtyText,
  stepDecimals,
  trimZeros,
  volumeAxisText,
} from '../../src/model/index.ts';

/** The default instruments (matching's DEFAULT_INSTRUMENT_SPECS) and the imported LOBSTER day's AMZN. */
const BTC = { priceScale: 2, qtyScale: 5, tickSize: 1, lotSize: 1 };
const ETH = { priceScale: 2, qtyScale: 4, tickSize: 1, lotSize: 1 };
const AMZN_LIVE = { priceScale: 2, qtyScale: 0, tickSize: 1, lotSize: 1 };
/** `import lobster` defaults: LOBSTER's resolution, 0.0001 (hidden executions trade at half a cent) */
const AMZN_LOBSTER = { priceScale: 4, qtyScale: 0, tickSize: 1, lotSize: 1 };
/** an instrument configured at LOBSTER's price scale with the exchange's 0.01 tick */
const AMZN_SCALE4_TICK_CENT = { priceScale: 4, qtyScale: 0, tickSize: 100, lotSize: 1 };

describe('thousands separators', () => {
  test.each([
    ['0', '0'],
    ['999', '999'],
    ['1000', '1,000'],
    ['64985.70', '64,985.70'],
    ['-1234567.50', '-1,234,567.50'],
    ['123456', '123,456'],
    ['-100.25', '-100.25'],
    ['1234.56789', '1,234.56789'],
  ])('%s → %s', (plain, grouped) => {
    expect(groupThousands(plain)).toBe(grouped);
  });

  test('only the separators are added: removing them gives back the exact decimal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
        fc.integer({ min: 0, max: 8 }),
        (v, scale) => {
          const plain = formatScaled(v, scale);
          const grouped = groupThousands(plain);
          expect(grouped.replaceAll(',', '')).toBe(plain);
          expect(grouped).toMatch(/^-?\d{1,3}(,\d{3})*(\.\d+)?$/);
        },
      ),
    );
  });
});

describe('tick decimals per instrument', () => {
  test.each([
    ['BTC-USD', BTC, 2],
    ['ETH-USD', ETH, 2],
    ['AMZN (simulator)', AMZN_LIVE, 2],
    ['AMZN (LOBSTER import, tick 0.0001)', AMZN_LOBSTER, 4],
    ['AMZN (scale 4, tick 0.01)', AMZN_SCALE4_TICK_CENT, 2],
    ['a 0.05 tick at scale 2', { priceScale: 2, tickSize: 5 }, 2],
    ['a whole-number tick at scale 2', { priceScale: 2, tickSize: 100 }, 0],
    ['a tick of 10 at scale 0', { priceScale: 0, tickSize: 10 }, 0],
  ])('%s: %i decimals', (_name, instrument, decimals) => {
    expect(priceDecimals(instrument)).toBe(decimals);
  });

  test('prices: grouped, with the tick decimals', () => {
    expect(priceText(6_498_570, BTC)).toBe('64,985.70');
    expect(priceText(22_469, AMZN_LIVE)).toBe('224.69');
    expect(priceText(2_240_800, AMZN_LOBSTER)).toBe('224.0800');
    expect(priceText(2_240_800, AMZN_SCALE4_TICK_CENT)).toBe('224.08');
    expect(priceText(-2_600, AMZN_SCALE4_TICK_CENT)).toBe('-0.26');
    expect(priceText(0, AMZN_SCALE4_TICK_CENT)).toBe('0.00');
  });

  test('a price off the tick keeps its digits: nothing is rounded away', () => {
    // a hidden execution at half a cent
    expect(priceText(2_240_050, AMZN_SCALE4_TICK_CENT)).toBe('224.005');
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (v) => {
        const shown = priceText(v, AMZN_SCALE4_TICK_CENT).replaceAll(',', '');
        // the shown decimal, scaled back, is the integer
        const [int = '', frac = ''] = shown.replace('-', '').split('.');
        const back = BigInt(int + frac.padEnd(4, '0')) * (shown.startsWith('-') ? -1n : 1n);
        expect(back).toBe(BigInt(v));
      }),
    );
  });

  test('quantities: grouped, with the lot decimals', () => {
    expect(qtyText(123_456_789, BTC)).toBe('1,234.56789');
    expect(qtyText(122_078, AMZN_LIVE)).toBe('122,078');
    expect(qtyText(1_500_000, { qtyScale: 6, lotSize: 1000 })).toBe('1.500');
    expect(bigQtyText(12_345_678_901_234_567_890n, { qtyScale: 2, lotSize: 1 })).toBe(
      '123,456,789,012,345,678.90',
    );
  });

  test('axis and crosshair labels: the plotted height rounded to the nearest tick', () => {
    expect(axisPriceText(224.69, AMZN_LIVE)).toBe('224.69');
    expect(axisPriceText(224.0749, AMZN_SCALE4_TICK_CENT)).toBe('224.07');
    expect(axisPriceText(64_985.7, BTC)).toBe('64,985.70');
    expect(axisPriceText(0.05 * 3, { priceScale: 2, tickSize: 5 })).toBe('0.15');
  });
});

describe('integer volume', () => {
  test('whole shares: no decimals, grouped', () => {
    expect(volumeAxisText(12_000, 0)).toBe('12,000');
    expect(volumeAxisText(0, 0)).toBe('0');
  });

  test('fractional sizes: no padding zeros; whole values read as integers', () => {
    expect(volumeAxisText(1, 5)).toBe('1');
    expect(volumeAxisText(0.5, 5)).toBe('0.5');
    expect(volumeAxisText(0.17256, 5)).toBe('0.17256');
    expect(volumeAxisText(2500, 5)).toBe('2,500');
  });

  test('trimZeros drops only trailing fraction zeros', () => {
    expect(trimZeros('1.00000', 0)).toBe('1');
    expect(trimZeros('224.0800', 2)).toBe('224.08');
    expect(trimZeros('224.0050', 2)).toBe('224.005');
    expect(trimZeros('100', 2)).toBe('100');
    expect(trimZeros('0.00', 2)).toBe('0.00');
  });

  test('stepDecimals: the decimals a step needs', () => {
    expect(stepDecimals(1, 5)).toBe(5);
    expect(stepDecimals(1000, 6)).toBe(3);
    expect(stepDecimals(100_000, 2)).toBe(0);
    expect(stepDecimals(0, 3)).toBe(3);
  });
});
