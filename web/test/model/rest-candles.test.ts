import { describe, expect, test } from 'vitest';
import { parseRestCandles, RestShapeError, restCandlesPath } from '../../src/model/index.ts';

const candle = {
  startUs: 1767225600000000,
  open: 6500000,
  openDecimal: '65000.00',
  high: 6500100,
  highDecimal: '65001.00',
  low: 6499900,
  lowDecimal: '64999.00',
  close: 6500050,
  closeDecimal: '65000.50',
  volume: 1500,
  volumeDecimal: '0.01500',
  notional: 9750075000,
  notionalDecimal: '97.5007500',
  trades: 3,
  vwap: '65000.5000',
  closed: true,
};

describe('REST candles', () => {
  test('the scaled integers of §14 candles, as the SDK’s Candle', () => {
    const body = { symbol: 'BTC-USD', priceScale: 2, qtyScale: 5, interval: '1m', candles: [candle] };
    expect(parseRestCandles(body, 'BTC-USD', '1m')).toEqual([
      {
        startUs: 1767225600000000,
        open: 6500000,
        high: 6500100,
        low: 6499900,
        close: 6500050,
        volume: 1500,
        trades: 3,
        vwap: '65000.5000',
        closed: true,
      },
    ]);
  });

  test('a volume beyond 2^53 (a string) saturates as the feed sends it (§13)', () => {
    const body = { symbol: 'X', interval: '1s', candles: [{ ...candle, volume: '18014398509481984' }] };
    expect(parseRestCandles(body, 'X', '1s')[0]?.volume).toBe(Number.MAX_SAFE_INTEGER);
  });

  test.each([
    [{ error: { code: 'UNKNOWN_SYMBOL', message: 'no such symbol' } }, 'UNKNOWN_SYMBOL'],
    [{ symbol: 'ETH-USD', interval: '1m', candles: [] }, 'not BTC-USD 1m'],
    [{ symbol: 'BTC-USD', interval: '1m', candles: [{ ...candle, open: 1.5 }] }, 'open is not an integer'],
    [{ symbol: 'BTC-USD', interval: '1m', candles: [{ ...candle, closed: 'yes' }] }, 'closed'],
    ['<html>', 'not an object'],
  ])('refuses %j', (body, message) => {
    expect(() => parseRestCandles(body, 'BTC-USD', '1m')).toThrow(RestShapeError);
    expect(() => parseRestCandles(body, 'BTC-USD', '1m')).toThrow(message);
  });

  test('paths', () => {
    expect(restCandlesPath('BTC-USD', '1m', null, 1000)).toBe(
      '/api/v1/candles/BTC-USD?interval=1m&limit=1000',
    );
    expect(restCandlesPath('A B', '1s', { fromUs: 5, toUs: 9 }, 10)).toBe(
      '/api/v1/candles/A%20B?interval=1s&limit=10&from=5&to=9',
    );
  });
});
