import { describe, expect, test } from 'vitest';
import { defineInstrument, parseInstrumentConfig } from '../src/instrument.ts';
import { MatchingError } from '../src/matching-error.ts';

describe('defineInstrument', () => {
  test('derives scales from the tick and lot decimals', () => {
    expect(
      defineInstrument({ symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001', minSize: '0.0001' }),
    ).toMatchObject({
      priceScale: 2,
      qtyScale: 5,
      tickSize: 1,
      lotSize: 1,
      minQty: 10,
    });
  });

  test('a tick that is not one unit of the scale', () => {
    const i = defineInstrument({ symbol: 'X', tickSize: '0.05', lotSize: '10', priceScale: 2, qtyScale: 0 });
    expect(i).toMatchObject({ tickSize: 5, lotSize: 10, minQty: 10 });
  });

  test.each([
    [{ symbol: 'bad symbol', tickSize: '0.01', lotSize: '1' }, /symbol/],
    [{ symbol: 'X', tickSize: '0', lotSize: '1' }, /tickSize/],
    [{ symbol: 'X', tickSize: '-0.01', lotSize: '1' }, /tickSize/],
    [{ symbol: 'X', tickSize: 'abc', lotSize: '1' }, /not a decimal/],
    [{ symbol: 'X', tickSize: '0.001', lotSize: '1', priceScale: 2 }, /at most 2 decimals/],
    [{ symbol: 'X', tickSize: '0.01', lotSize: '2', minSize: '3' }, /multiple of lotSize/],
    [{ symbol: 'X', tickSize: '0.01', lotSize: '1', priceScale: 13 }, /priceScale/],
  ])('rejects %j', (spec, message) => {
    expect(() => defineInstrument(spec)).toThrow(message);
    expect(() => defineInstrument(spec)).toThrow(MatchingError);
  });
});

describe('parseInstrumentConfig', () => {
  test('accepts a bare array or {instruments}', () => {
    const spec = { symbol: 'AMZN', tickSize: '0.01', lotSize: '1' };
    expect(parseInstrumentConfig([spec])).toHaveLength(1);
    expect(parseInstrumentConfig({ instruments: [spec] })[0]?.symbol).toBe('AMZN');
  });

  test.each([
    [null, /non-empty/],
    [[], /non-empty/],
    [[42], /object/],
    [[{ symbol: 'A', tickSize: 0.01, lotSize: '1' }], /tickSize must be a string/],
    [
      [
        { symbol: 'A', tickSize: '0.01', lotSize: '1' },
        { symbol: 'A', tickSize: '0.01', lotSize: '1' },
      ],
      /twice/,
    ],
  ])('rejects %j', (json, message) => {
    expect(() => parseInstrumentConfig(json)).toThrow(message);
  });
});
