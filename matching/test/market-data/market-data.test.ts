import { describe, expect, test } from 'vitest';
import type { AcceptedEvent, RejectedEvent } from '../../src/events.ts';
import { CANDLE_INTERVALS, MarketData, type MarketDataUpdate } from '../../src/market-data/index.ts';
import { MatchingError } from '../../src/matching-error.ts';
import { AMZN, BTC, level, trade } from './make-events.ts';

const S = 1_000_000;
/** 2024-01-01T00:00:00Z */
const T0 = Date.UTC(2024, 0, 1) * 1000;
const DAY = 86_400 * S;

/** `candle AMZN 1s U` / `ticker AMZN` */
function show(u: MarketDataUpdate): string {
  return u.type === 'candle'
    ? `candle ${u.candle.symbol} ${u.candle.interval} ${u.candle.closed ? 'C' : 'U'}`
    : `ticker ${u.ticker.symbol}`;
}

function setup(options = {}): { md: MarketData; out: MarketDataUpdate[] } {
  const out: MarketDataUpdate[] = [];
  return { md: new MarketData([AMZN, BTC], (u) => out.push(u), options), out };
}

const accepted = (tsUs: number, symbol: string): AcceptedEvent => ({
  type: 'accepted',
  seq: 1,
  tsUs,
  symbol,
  orderId: 1,
  ownerId: 1,
  side: 'buy',
  orderType: 'limit',
  price: 100,
  stopPrice: 0,
  qty: 1,
  tif: 'GTC',
  postOnly: false,
});

const rejected = (tsUs: number, symbol: string): RejectedEvent => ({
  type: 'rejected',
  seq: 1,
  tsUs,
  symbol,
  command: 'new',
  orderId: 1,
  code: 'UNKNOWN_SYMBOL',
});

describe('MarketData routing', () => {
  test('a trade updates every interval of its symbol, shortest first, then the ticker', () => {
    const { md, out } = setup();
    md.onEvent(trade(T0, 10001, 3));
    expect(out.map(show)).toEqual([...CANDLE_INTERVALS.map((i) => `candle AMZN ${i} U`), 'ticker AMZN']);
  });

  test.each<[string, (md: MarketData) => void, string[]]>([
    [
      'an event of another symbol closes the bars',
      (md) => md.onEvent(level(T0 + S, 'buy', 100, 1, BTC.symbol)),
      ['candle AMZN 1s C', 'ticker BTC-USD'],
    ],
    [
      'an accepted event only moves time',
      (md) => md.onEvent(accepted(T0 + 60 * S, AMZN.symbol)),
      [...Array<string>(60).fill('candle AMZN 1s C'), 'candle AMZN 1m C'],
    ],
    [
      'an event of an unknown symbol only moves time',
      (md) => md.onEvent(rejected(T0 + S, 'NOPE')),
      ['candle AMZN 1s C'],
    ],
    ['a level below the best is not emitted', (md) => md.onEvent(level(T0, 'buy', 90, 1)), []],
    ['a new best bid is', (md) => md.onEvent(level(T0, 'buy', 110, 1)), ['ticker AMZN']],
    ['a clock tick inside the bar emits nothing', (md) => md.advanceTo(T0 + S - 1), []],
    ['an earlier clock tick emits nothing', (md) => md.advanceTo(T0 - DAY), []],
    [
      'a clock tick a day later closes every interval and rolls the 24 h window',
      (md) => md.advanceTo(T0 + DAY),
      [
        // the forming bar closes, then the flat bars of the gap up to the default cap of 1000
        ...Array<string>(1 + 1000).fill('candle AMZN 1s C'),
        ...Array<string>(1 + 1000).fill('candle AMZN 1m C'),
        ...Array<string>(288).fill('candle AMZN 5m C'),
        ...Array<string>(96).fill('candle AMZN 15m C'),
        ...Array<string>(24).fill('candle AMZN 1h C'),
        'candle AMZN 1d C',
        'ticker AMZN',
      ],
    ],
  ])('%s', (_name, act, want) => {
    const { md, out } = setup();
    md.onEvent(level(T0, 'buy', 100, 1));
    md.onEvent(trade(T0, 10001, 3));
    out.length = 0;
    act(md);
    expect(out.map(show)).toEqual(want);
  });

  test('only the configured intervals are built', () => {
    const { md, out } = setup({ intervals: ['1h', '1s', '1s'] });
    md.onEvent(trade(T0, 10001, 3));
    expect(out.map(show)).toEqual(['candle AMZN 1s U', 'candle AMZN 1h U', 'ticker AMZN']);
    expect(md.candles(AMZN.symbol, '1m', 10)).toBeUndefined();
  });

  test('candle options reach the builders', () => {
    const { md, out } = setup({ maxFlatBarsPerAdvance: 2, historyLimit: 3, intervals: ['1s'] });
    md.onEvent(trade(T0, 10001, 3));
    md.advanceTo(T0 + 10 * S);
    expect(out.filter((u) => u.type === 'candle' && u.candle.closed)).toHaveLength(1 + 2);
    expect(md.candles(AMZN.symbol, '1s', 100)?.map((c) => (c.startUs - T0) / S)).toEqual([0, 8, 9, 10]);
  });

  test('a symbol listed twice is refused', () => {
    expect(() => new MarketData([AMZN, AMZN], () => {})).toThrow(MatchingError);
  });
});

describe('MarketData accessors', () => {
  test('ticker and candles reflect the events', () => {
    const { md } = setup();
    md.onEvent(level(T0, 'sell', 10005, 2));
    md.onEvent(level(T0, 'buy', 10000, 4));
    md.onEvent(trade(T0 + 500_000, 10001, 3));
    md.onEvent(trade(T0 + 1_500_000, 10002, 1));
    expect(md.ticker(AMZN.symbol)).toMatchObject({
      tsUs: T0 + 1_500_000,
      bestBid: 10000,
      bestBidQty: 4,
      bestAsk: 10005,
      bestAskQty: 2,
      last: 10002,
      open24h: 10001,
      volume24h: 4n,
      notional24h: 40005n,
      change24h: 1,
    });
    expect(md.ticker(BTC.symbol)?.last).toBeNull();
    expect(md.ticker('NOPE')).toBeUndefined();
    expect(md.candles(AMZN.symbol, '1m', 10)).toEqual([
      {
        symbol: 'AMZN',
        interval: '1m',
        startUs: T0,
        open: 10001,
        high: 10002,
        low: 10001,
        close: 10002,
        volume: 4n,
        notional: 40005n,
        tradeCount: 2,
        vwap: '100.012500',
        closed: false,
      },
    ]);
    expect(md.candles(AMZN.symbol, '1s', 10)?.map((c) => [c.close, c.closed])).toEqual([
      [10001, true],
      [10002, false],
    ]);
    expect(md.candles(BTC.symbol, '1s', 10)).toEqual([]);
    expect(md.candles('NOPE', '1s', 10)).toBeUndefined();
  });
});
