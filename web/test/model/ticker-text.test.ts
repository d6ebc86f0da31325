import type { TickerEvent } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { tickDirection, tickerText } from '../../src/model/index.ts';

/** BTC-USD's units: tick 0.01, lot 0.00001 */
const btc = { priceScale: 2, qtyScale: 5, tickSize: 1, lotSize: 1 };

function ticker(fields: Partial<TickerEvent>): TickerEvent {
  return {
    type: 'ticker',
    channel: 'ticker:BTC-USD',
    symbol: 'BTC-USD',
    seq: 1,
    generation: 1,
    tsUs: 0,
    snapshot: false,
    bid: 6500000,
    bidQty: 1500,
    ask: 6500125,
    askQty: 300,
    last: 6500100,
    lastQty: 100,
    open24h: 6400000,
    high24h: 6510000,
    low24h: 6390001,
    volume24h: 123456789,
    trades24h: 42,
    ...fields,
  } as TickerEvent; // the header reads the scaled fields only
}

describe('tickerText', () => {
  test('exact decimals from the scaled integers, grouped, the change signed, its percent half-even', () => {
    expect(tickerText(ticker({}), btc)).toEqual({
      last: '65,001.00',
      change: '+1,001.00',
      percent: '+1.56%',
      trend: 'up',
      high: '65,100.00',
      low: '63,900.01',
      volume: '1,234.56789',
      bid: '65,000.00',
      ask: '65,001.25',
    });
  });

  test("the tick's decimals, not the price scale's: LOBSTER-scaled AMZN (scale 4) on a 0.01 tick", () => {
    const amzn = { priceScale: 4, qtyScale: 0, tickSize: 100, lotSize: 1 };
    const t = ticker({
      last: 2_240_800,
      open24h: 2_238_200,
      high24h: 2_247_500,
      bid: 2_240_700,
      volume24h: 122_078,
    });
    expect(tickerText(t, amzn)).toMatchObject({
      last: '224.08',
      change: '+0.26',
      high: '224.75',
      bid: '224.07',
      volume: '122,078',
    });
  });

  test('a fall, no change, and unknown values', () => {
    expect(tickerText(ticker({ last: 6399999 }), btc)).toMatchObject({
      change: '-0.01',
      percent: '0.00%',
      trend: 'down',
    });
    expect(tickerText(ticker({ last: 6400000 }), btc)).toMatchObject({
      change: '0.00',
      percent: '0.00%',
      trend: 'flat',
    });
    expect(tickerText(ticker({ last: null, bid: null, high24h: null }), btc)).toMatchObject({
      last: '—',
      change: '—',
      percent: '—',
      bid: '—',
      high: '—',
    });
  });
});

describe('tickDirection', () => {
  test.each([
    [null, 5, null],
    [5, null, null],
    [5, 5, null],
    [5, 6, 'up'],
    [6, 5, 'down'],
  ])('%s → %s: %s', (drawn, next, expected) => {
    expect(tickDirection(drawn, next)).toBe(expected);
  });
});
