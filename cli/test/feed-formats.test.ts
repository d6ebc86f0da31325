import { describe, expect, test } from 'vitest';
import {
  CandleBar,
  TickerEventObject,
  TradeEventObject,
} from '../../feed-server/src/client/decimal-events.ts';
import { type ChannelEvent, LocalBook } from '../../feed-server/src/client/index.ts';
import { SAMPLE_BTC } from '../../feed-server/test/protocol/sample-messages.ts';
import { FeedNdjsonFormat } from '../src/feed-ndjson-format.ts';
import { FeedTextFormat } from '../src/feed-text-format.ts';

const TS = 1_767_225_601_234_567; // 2026-01-01T00:00:01.234567Z
const BTC = SAMPLE_BTC;
const lookup = (s: string) => (s === 'BTC-USD' ? BTC : undefined);
const base = { seq: 7, generation: 1, tsUs: TS, snapshot: false };
const book = new LocalBook(10, BTC);
book.reset(
  [[6500100, 250, 1]],
  [
    [6500125, 1500, 2],
    [6500200, 300, 1],
  ],
);

const events: Record<string, ChannelEvent> = {
  trade: new TradeEventObject('trades:BTC-USD', 'BTC-USD', 7, 1, TS, false, 42, 6500125, 1500, 'buy', BTC),
  ticker: new TickerEventObject(
    'ticker:BTC-USD',
    'BTC-USD',
    7,
    1,
    TS,
    true,
    [6500100, 250, 6500125, 1500, null, null, null, null, null, 0, 0],
    0,
    BTC,
  ),
  book: {
    ...base,
    type: 'book',
    channel: 'book:BTC-USD:10',
    symbol: 'BTC-USD',
    depth: 10,
    book,
    changes: null,
  },
  candle: {
    ...base,
    type: 'candle',
    channel: 'candles:BTC-USD:1m',
    symbol: 'BTC-USD',
    interval: '1m',
    bar: new CandleBar(
      'BTC-USD',
      [1_767_225_600_000_000, 6500000, 6500200, 6499900, 6500125, 3000, 3, '65001.2500', true],
      BTC,
    ),
    bars: [],
  },
  instruments: { ...base, snapshot: true, type: 'instruments', channel: 'instruments', instruments: [BTC] },
};

describe('FeedTextFormat', () => {
  const text = new FeedTextFormat(lookup);
  test.each([
    ['trade', '2026-01-01T00:00:01.234567Z  trades:BTC-USD  BUY         0.01500 @ 65001.25\n'],
    [
      'ticker',
      '2026-01-01T00:00:01.234567Z  ticker:BTC-USD  bid 65001.00 × 0.00250 | ask 65001.25 × 0.01500  last - × -  24h open - high - low - volume 0.00000 trades 0  (snapshot)\n',
    ],
    [
      'book',
      '2026-01-01T00:00:01.234567Z  book:BTC-USD:10  65001.00 × 0.00250 | 65001.25 × 0.01500  spread 0.25  levels 1/2  seq 7\n',
    ],
    [
      'candle',
      '2026-01-01T00:00:00.000000Z  candles:BTC-USD:1m  O 65000.00 H 65002.00 L 64999.00 C 65001.25  V 0.03000  3 trades  vwap 65001.2500  closed\n',
    ],
    [
      'instruments',
      '2026-01-01T00:00:01.234567Z  instruments  BTC-USD  priceScale 2  qtyScale 5  tick 0.01  lot 0.00001  min 0.00010  maxPrice 1000000.00  maxSize 100000.00000\n',
    ],
  ])('%s', (name, line) => {
    expect(text.format(events[name] as ChannelEvent)).toBe(line);
  });

  test('a symbol the instruments channel did not list is an error, not a guessed scale', () => {
    const unknown = new TradeEventObject(
      'trades:X',
      'X',
      7,
      1,
      TS,
      false,
      42,
      6500125,
      1500,
      'buy',
      undefined,
    );
    expect(() => text.format(unknown)).toThrow(/no instrument scales for X/);
    const book = { ...(events.book as ChannelEvent), symbol: 'X' } as ChannelEvent;
    expect(() => text.format(book)).toThrow(/does not list X/);
  });
});

describe('FeedNdjsonFormat', () => {
  const json = new FeedNdjsonFormat();
  const head = '{"channel":"%s","type":"%s","seq":7,"tsUs":1767225601234567,"snapshot":%s';
  const h = (channel: string, type: string, snapshot = false) =>
    head.replace('%s', channel).replace('%s', type).replace('%s', String(snapshot));
  test.each([
    [
      'trade',
      `${h('trades:BTC-USD', 'trade')},"symbol":"BTC-USD","tradeId":42,"price":"65001.25","qty":"0.01500","side":"buy"}`,
    ],
    [
      'ticker',
      `${h('ticker:BTC-USD', 'ticker', true)},"symbol":"BTC-USD","bid":"65001.00","bidQty":"0.00250","ask":"65001.25","askQty":"0.01500","last":null,"lastQty":null,"open24h":null,"high24h":null,"low24h":null,"volume24h":"0.00000","trades24h":0}`,
    ],
    [
      'book',
      `${h('book:BTC-USD:10', 'book')},"symbol":"BTC-USD","depth":10,"checksum":${book.checksum()},"bids":[["65001.00","0.00250",1]],"asks":[["65001.25","0.01500",2],["65002.00","0.00300",1]]}`,
    ],
    [
      'candle',
      `${h('candles:BTC-USD:1m', 'candle')},"symbol":"BTC-USD","interval":"1m","startUs":1767225600000000,"open":"65000.00","high":"65002.00","low":"64999.00","close":"65001.25","volume":"0.03000","trades":3,"vwap":"65001.2500","closed":true}`,
    ],
    [
      'instruments',
      `${h('instruments', 'instruments', true)},"instruments":[{"symbol":"BTC-USD","priceScale":2,"qtyScale":5,"tickSize":"0.01","lotSize":"0.00001","minSize":"0.00010","maxPrice":"1000000.00","maxSize":"100000.00000"}]}`,
    ],
  ])('%s', (name, line) => {
    const out = json.format(events[name] as ChannelEvent);
    expect(out).toBe(`${line}\n`);
    expect(() => JSON.parse(out)).not.toThrow();
  });
});
