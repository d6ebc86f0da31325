import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Side } from '../../src/commands.ts';
import { changePct24h, type Ticker, TickerBuilder } from '../../src/market-data/ticker.ts';
import { AMZN, level, trade } from './make-events.ts';

const MIN = 60_000_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** 2024-01-01T00:00:00Z */
const T0 = Date.UTC(2024, 0, 1) * 1000;

type Top = [bestBid: number | null, bidQty: number | null, bestAsk: number | null, askQty: number | null];
const top = (t: Ticker): Top => [t.bestBid, t.bestBidQty, t.bestAsk, t.bestAskQty];

describe('TickerBuilder best bid and ask', () => {
  test.each<[string, [Side, number, number][], Top, boolean[]]>([
    ['a first bid', [['buy', 100, 5]], [100, 5, null, null], [true]],
    [
      'a better bid replaces the best, a worse one does not',
      [
        ['buy', 100, 5],
        ['buy', 101, 1],
        ['buy', 99, 7],
      ],
      [101, 1, null, null],
      [true, true, false],
    ],
    [
      'removing the best bid falls back to the next level',
      [
        ['buy', 100, 5],
        ['buy', 101, 1],
        ['buy', 99, 7],
        ['buy', 101, 0],
      ],
      [100, 5, null, null],
      [true, true, false, true],
    ],
    [
      'removing the best ask falls back to the next level',
      [
        ['sell', 105, 5],
        ['sell', 104, 1],
        ['sell', 106, 2],
        ['sell', 104, 0],
      ],
      [null, null, 105, 5],
      [true, true, false, true],
    ],
    [
      'a size change at the best is an update; below the best it is not',
      [
        ['sell', 105, 5],
        ['sell', 106, 2],
        ['sell', 105, 3],
        ['sell', 106, 9],
      ],
      [null, null, 105, 3],
      [true, false, true, false],
    ],
    [
      'removing a level that is not the best changes nothing',
      [
        ['buy', 100, 5],
        ['buy', 99, 7],
        ['buy', 99, 0],
        ['buy', 98, 0],
      ],
      [100, 5, null, null],
      [true, false, false, false],
    ],
    [
      'both sides, then both emptied',
      [
        ['buy', 100, 5],
        ['sell', 101, 4],
        ['buy', 100, 0],
        ['sell', 101, 0],
      ],
      [null, null, null, null],
      [true, true, true, true],
    ],
  ])('%s', (_name, levels, want, emitted) => {
    const b = new TickerBuilder(AMZN);
    const got = levels.map(([side, price, qty]) => b.onLevel(level(T0, side, price, qty)) !== null);
    expect(got).toEqual(emitted);
    expect(top(b.ticker())).toEqual(want);
  });
});

describe('TickerBuilder last trade and 24h window', () => {
  const trades: [number, number, number][] = [
    [T0, 100, 1],
    [T0 + HOUR, 120, 2],
    [T0 + 2 * HOUR + 30_000_000, 90, 3],
  ];
  const built = (): TickerBuilder => {
    const b = new TickerBuilder(AMZN);
    for (const [ts, price, qty] of trades) b.onTrade(trade(ts, price, qty));
    return b;
  };
  type Stats = Pick<
    Ticker,
    'open24h' | 'high24h' | 'low24h' | 'volume24h' | 'notional24h' | 'tradeCount24h' | 'last' | 'change24h'
  >;
  const stats = (t: Ticker): Stats => ({
    open24h: t.open24h,
    high24h: t.high24h,
    low24h: t.low24h,
    volume24h: t.volume24h,
    notional24h: t.notional24h,
    tradeCount24h: t.tradeCount24h,
    last: t.last,
    change24h: t.change24h,
  });

  test.each<[string, number, boolean, Stats]>([
    [
      'all three trades in the window',
      T0 + DAY - 1,
      false,
      {
        open24h: 100,
        high24h: 120,
        low24h: 90,
        volume24h: 6n,
        notional24h: 610n,
        tradeCount24h: 3,
        last: 90,
        change24h: -10,
      },
    ],
    [
      'the first trade leaves exactly 24 h after its minute began',
      T0 + DAY,
      true,
      {
        open24h: 120,
        high24h: 120,
        low24h: 90,
        volume24h: 5n,
        notional24h: 510n,
        tradeCount24h: 2,
        last: 90,
        change24h: -30,
      },
    ],
    [
      'minute granularity: a trade at hh:mm:30 leaves at hh:mm:00 a day later',
      T0 + DAY + 2 * HOUR,
      true,
      {
        open24h: null,
        high24h: null,
        low24h: null,
        volume24h: 0n,
        notional24h: 0n,
        tradeCount24h: 0,
        last: 90,
        change24h: null,
      },
    ],
    [
      'a jump of days clears everything',
      T0 + 10 * DAY,
      true,
      {
        open24h: null,
        high24h: null,
        low24h: null,
        volume24h: 0n,
        notional24h: 0n,
        tradeCount24h: 0,
        last: 90,
        change24h: null,
      },
    ],
  ])('%s', (_name, advanceUs, changed, want) => {
    const b = built();
    const emitted = b.advanceTo(advanceUs);
    expect(emitted !== null).toBe(changed);
    expect(stats(b.ticker())).toEqual(want);
    expect(b.ticker().tsUs).toBe(advanceUs);
  });

  // Every alignment of a long jump against the ring's slots, including jumps that wrap it more than once.
  test.each([
    [1439, 1],
    [1440, 0],
    [1441, 0],
    [2879, 0],
    [2880, 0],
    [4319, 0],
    [10_000, 0],
  ])('a jump of %d minutes leaves %d trades', (minutes, count) => {
    const b = new TickerBuilder(AMZN);
    b.onTrade(trade(T0 + 59_999_999, 100, 1));
    b.advanceTo(T0 + minutes * MIN);
    expect(b.ticker().tradeCount24h).toBe(count);
    expect(b.ticker().high24h).toBe(count === 0 ? null : 100);
  });

  test('the window rolls one trade at a time', () => {
    const b = built();
    expect(b.advanceTo(T0 + DAY + HOUR - 1)?.open24h).toBe(120);
    expect(b.advanceTo(T0 + DAY + HOUR)?.open24h).toBe(90);
    expect(b.advanceTo(T0 + DAY + 2 * HOUR - 1)).toBeNull();
    expect(b.advanceTo(T0 + DAY + 2 * HOUR)?.tradeCount24h).toBe(0);
  });

  test('a trade after the window emptied reopens it', () => {
    const b = built();
    b.advanceTo(T0 + 5 * DAY);
    const t = b.onTrade(trade(T0 + 5 * DAY, 95, 4));
    expect(stats(t)).toEqual({
      open24h: 95,
      high24h: 95,
      low24h: 95,
      volume24h: 4n,
      notional24h: 380n,
      tradeCount24h: 1,
      last: 95,
      change24h: 0,
    });
    expect(t.lastQty).toBe(4);
  });

  test('a level event that rolls the window off is emitted even if the best did not change', () => {
    const b = built();
    b.onLevel(level(T0 + 3 * HOUR, 'buy', 80, 1));
    expect(b.onLevel(level(T0 + DAY, 'buy', 70, 1))?.tradeCount24h).toBe(2);
  });

  test('before any event', () => {
    const t = new TickerBuilder(AMZN).ticker();
    expect(t).toEqual({
      symbol: 'AMZN',
      tsUs: 0,
      bestBid: null,
      bestBidQty: null,
      bestAsk: null,
      bestAskQty: null,
      last: null,
      lastQty: null,
      open24h: null,
      high24h: null,
      low24h: null,
      volume24h: 0n,
      notional24h: 0n,
      change24h: null,
      tradeCount24h: 0,
    });
    expect(changePct24h(t)).toBeNull();
  });

  test('refuses another symbol’s events', () => {
    expect(() => new TickerBuilder(AMZN).onTrade(trade(T0, 1, 1, 'BTC-USD'))).toThrow(RangeError);
    expect(() => new TickerBuilder(AMZN).onLevel(level(T0, 'buy', 1, 1, 'BTC-USD'))).toThrow(RangeError);
  });
});

describe('changePct24h', () => {
  test.each<[number, number, number | undefined, string]>([
    [10000, 10250, undefined, '2.50'],
    [10000, 9900, undefined, '-1.00'],
    [10000, 10000, undefined, '0.00'],
    [30000, 10000, undefined, '-66.67'],
    [30000, 10000, 4, '-66.6667'],
    [30000, 40000, 0, '33'],
    [3, 4, 2, '33.33'],
    // −0.005 % at 2 decimals is a tie: half-even gives 0.00, unsigned
    [20000, 19999, 2, '0.00'],
    [20000, 19997, 2, '-0.02'],
  ])('open %d, last %d, %s decimals → %s', (open24h, last, decimals, want) => {
    const b = new TickerBuilder(AMZN);
    b.onTrade(trade(T0, open24h, 1));
    const t = b.onTrade(trade(T0 + 1, last, 1));
    expect(t.change24h).toBe(last - open24h);
    expect(changePct24h(t, decimals)).toBe(want);
  });
});

describe('TickerBuilder properties', () => {
  test('24 h statistics equal a naive recomputation over the trades in the window', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dtUs: fc.oneof(fc.integer({ min: 0, max: 3 * HOUR }), fc.integer({ min: 0, max: 2 * DAY })),
            trade: fc.boolean(),
            price: fc.integer({ min: 1, max: 1000 }),
            qty: fc.integer({ min: 1, max: 1000 }),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          const b = new TickerBuilder(AMZN);
          const trades: { tsUs: number; price: number; qty: number }[] = [];
          let now = T0;
          for (const step of steps) {
            now += step.dtUs;
            if (step.trade) {
              b.onTrade(trade(now, step.price, step.qty));
              trades.push({ tsUs: now, price: step.price, qty: step.qty });
            } else {
              b.advanceTo(now);
            }
            const oldestMinute = Math.floor(now / MIN) - 1439;
            const inWindow = trades.filter((t) => Math.floor(t.tsUs / MIN) >= oldestMinute);
            const t = b.ticker();
            expect(t.tradeCount24h).toBe(inWindow.length);
            expect(t.volume24h).toBe(inWindow.reduce((s, x) => s + BigInt(x.qty), 0n));
            expect(t.notional24h).toBe(inWindow.reduce((s, x) => s + BigInt(x.price) * BigInt(x.qty), 0n));
            expect(t.open24h).toBe(inWindow[0]?.price ?? null);
            expect(t.high24h).toBe(inWindow.length === 0 ? null : Math.max(...inWindow.map((x) => x.price)));
            expect(t.low24h).toBe(inWindow.length === 0 ? null : Math.min(...inWindow.map((x) => x.price)));
            expect(t.last).toBe(trades.at(-1)?.price ?? null);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
