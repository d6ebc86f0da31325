import { expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import { isoMicros, TextEventFormat } from '../src/text-event-format.ts';

const text = new TextEventFormat(DEFAULT_INSTRUMENT_SPECS.map(defineInstrument));

test('isoMicros keeps the microseconds', () => {
  expect(isoMicros(1_767_225_601_234_567)).toBe('2026-01-01T00:00:01.234567Z');
  expect(isoMicros(1_767_225_600_000_005)).toBe('2026-01-01T00:00:00.000005Z');
});

test('a trade line', () => {
  const line = text.trade({
    type: 'trade',
    seq: 1,
    tsUs: 1_767_225_601_234_567,
    symbol: 'BTC-USD',
    tradeId: 1,
    price: 6_500_012,
    qty: 3076,
    takerSide: 'buy',
    makerOrderId: 1,
    takerOrderId: 2,
    makerOwnerId: 101,
    takerOwnerId: 201,
  });
  expect(line).toBe('2026-01-01T00:00:01.234567Z  BTC-USD  BUY         0.03076 @ 65000.12\n');
});

test('a book line', () => {
  const line = text.book(
    'AMZN',
    {
      bids: [[22_499, 30, 2]],
      asks: [
        [22_501, 5, 1],
        [22_502, 7, 1],
      ],
    },
    22_500,
  );
  expect(line).toBe('── AMZN     224.99 × 30 | 225.01 × 5  spread 0.02  levels 1/2  last 225.00\n');
  expect(text.book('AMZN', { bids: [], asks: [] }, undefined)).toBe(
    '── AMZN     (no bids) | (no asks)  levels 0/0\n',
  );
});
