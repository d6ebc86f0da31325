import { describe, expect, test } from 'vitest';
import {
  type Channel,
  formatChannel,
  normalizeChannel,
  ProtocolError,
  parseChannel,
} from '../../src/protocol/index.ts';

const valid: readonly [string, Channel, string][] = [
  ['instruments', { kind: 'instruments' }, 'instruments'],
  ['trades:BTC-USD', { kind: 'trades', symbol: 'BTC-USD' }, 'trades:BTC-USD'],
  ['ticker:BTC-USD', { kind: 'ticker', symbol: 'BTC-USD', conflateMs: null }, 'ticker:BTC-USD'],
  ['ticker:BTC-USD@250ms', { kind: 'ticker', symbol: 'BTC-USD', conflateMs: 250 }, 'ticker:BTC-USD@250ms'],
  ['book:BTC-USD', { kind: 'book', symbol: 'BTC-USD', depth: 10, conflateMs: null }, 'book:BTC-USD:10'],
  ['book:BTC-USD:10', { kind: 'book', symbol: 'BTC-USD', depth: 10, conflateMs: null }, 'book:BTC-USD:10'],
  ['book:BTC-USD:50', { kind: 'book', symbol: 'BTC-USD', depth: 50, conflateMs: null }, 'book:BTC-USD:50'],
  [
    'book:BTC-USD:full',
    { kind: 'book', symbol: 'BTC-USD', depth: 'full', conflateMs: null },
    'book:BTC-USD:full',
  ],
  [
    'book:BTC-USD:10@100ms',
    { kind: 'book', symbol: 'BTC-USD', depth: 10, conflateMs: 100 },
    'book:BTC-USD:10@100ms',
  ],
  [
    'book:BTC-USD@1000ms',
    { kind: 'book', symbol: 'BTC-USD', depth: 10, conflateMs: 1000 },
    'book:BTC-USD:10@1000ms',
  ],
  ['candles:BTC-USD:1m', { kind: 'candles', symbol: 'BTC-USD', interval: '1m' }, 'candles:BTC-USD:1m'],
  ['candles:ETH-USD:1d', { kind: 'candles', symbol: 'ETH-USD', interval: '1d' }, 'candles:ETH-USD:1d'],
];

const invalid: readonly [string, string][] = [
  ['', 'UNKNOWN_CHANNEL'],
  ['orders:BTC-USD', 'UNKNOWN_CHANNEL'],
  ['instruments:BTC-USD', 'UNKNOWN_CHANNEL'],
  ['instruments@100ms', 'UNKNOWN_CHANNEL'],
  ['trades', 'UNKNOWN_CHANNEL'],
  ['trades:BTC-USD:10', 'UNKNOWN_CHANNEL'],
  ['trades:BTC-USD@100ms', 'UNKNOWN_CHANNEL'],
  ['candles:BTC-USD:1m@100ms', 'UNKNOWN_CHANNEL'],
  ['candles:BTC-USD', 'UNKNOWN_CHANNEL'],
  ['book:BTC-USD:10:x', 'UNKNOWN_CHANNEL'],
  ['ticker:BTC-USD@100ms@250ms', 'UNKNOWN_CHANNEL'],
  ['TRADES:BTC-USD', 'UNKNOWN_CHANNEL'],
  ['trades:', 'UNKNOWN_SYMBOL'],
  ['trades:BTC USD', 'UNKNOWN_SYMBOL'],
  ['trades:-BTC', 'UNKNOWN_SYMBOL'],
  ['book:BTC-USD:20', 'BAD_DEPTH'],
  ['book:BTC-USD:', 'BAD_DEPTH'],
  ['book:BTC-USD:010', 'BAD_DEPTH'],
  ['book:BTC-USD:Full', 'BAD_DEPTH'],
  ['candles:BTC-USD:2m', 'BAD_INTERVAL'],
  ['candles:BTC-USD:toString', 'BAD_INTERVAL'],
  ['candles:BTC-USD:__proto__', 'BAD_INTERVAL'],
  ['ticker:BTC-USD@200ms', 'BAD_INTERVAL'],
  ['ticker:BTC-USD@250', 'BAD_INTERVAL'],
  ['book:BTC-USD:10@0100ms', 'BAD_INTERVAL'],
  ['book:BTC-USD:10@', 'BAD_INTERVAL'],
];

describe('parseChannel', () => {
  test.each(valid)('%s', (name, channel, canonical) => {
    expect(parseChannel(name)).toEqual(channel);
    expect(formatChannel(channel)).toBe(canonical);
    expect(normalizeChannel(canonical)).toBe(canonical);
  });

  test.each(invalid)('%s → %s', (name, code) => {
    const error = (() => {
      try {
        parseChannel(name);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code, closeCode: null, channel: name });
  });

  test('knownSymbols refuses other symbols with UNKNOWN_SYMBOL', () => {
    const knownSymbols = new Set(['BTC-USD']);
    expect(parseChannel('book:BTC-USD', { knownSymbols })).toMatchObject({ symbol: 'BTC-USD' });
    expect(() => parseChannel('book:ETH-USD', { knownSymbols })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_SYMBOL' }),
    );
    expect(parseChannel('instruments', { knownSymbols })).toEqual({ kind: 'instruments' });
  });
});
