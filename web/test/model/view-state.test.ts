import { describe, expect, test } from 'vitest';
import {
  DEFAULT_INTERVAL,
  parseSelection,
  parseTheme,
  parseTimeZone,
  resolveSelection,
  selectionSearch,
  stepInterval,
} from '../../src/model/index.ts';

describe('URL state', () => {
  test.each([
    ['?symbol=ETH-USD&interval=5m', { symbol: 'ETH-USD', interval: '5m' }],
    ['', { symbol: null, interval: DEFAULT_INTERVAL }],
    ['?symbol=..%2Fx&interval=2m', { symbol: null, interval: DEFAULT_INTERVAL }],
    ['?interval=1d', { symbol: null, interval: '1d' }],
  ])('parseSelection(%j)', (search, expected) => {
    expect(parseSelection(search)).toEqual(expected);
  });

  test('selectionSearch writes the selection and keeps other parameters; it round-trips', () => {
    const search = selectionSearch({ symbol: 'AMZN', interval: '1h' }, '?debug=1&symbol=BTC-USD');
    expect(search).toBe('?debug=1&symbol=AMZN&interval=1h');
    expect(parseSelection(search)).toEqual({ symbol: 'AMZN', interval: '1h' });
  });

  test('an unknown symbol falls back to the first instrument; no instruments, no selection', () => {
    expect(resolveSelection({ symbol: 'DOGE', interval: '1m' }, ['BTC-USD', 'ETH-USD'])).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
    });
    expect(resolveSelection({ symbol: 'ETH-USD', interval: '1m' }, ['BTC-USD', 'ETH-USD'])?.symbol).toBe(
      'ETH-USD',
    );
    expect(resolveSelection({ symbol: null, interval: '1m' }, [])).toBeNull();
  });

  test('preferences and interval steps', () => {
    expect([parseTimeZone('utc'), parseTimeZone('x'), parseTheme('light'), parseTheme(null)]).toEqual([
      'utc',
      null,
      'light',
      null,
    ]);
    expect([parseTimeZone('exchange'), parseTimeZone('local'), parseTimeZone('UTC')]).toEqual([
      'exchange',
      'local',
      null,
    ]);
    expect([
      stepInterval('1s', -1),
      stepInterval('1s', 1),
      stepInterval('1d', 1),
      stepInterval('1h', -1),
    ]).toEqual(['1s', '1m', '1d', '15m']);
  });
});
