import { describe, expect, test } from 'vitest';
import { type Candle, carryOverMarketData, MarketData, type MarketDataUpdate } from '../../src/index.ts';
import { AMZN, level, trade } from './make-events.ts';

const T0 = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z, a minute start
const S = 1_000_000;

/** A run that traded at 10.00 then 10.50 in the first minute and stopped at 0:30 with its bars forming. */
function recorded(): MarketData {
  const md = new MarketData([AMZN], () => {});
  md.onEvent(level(T0 + 1 * S, 'buy', 999, 5));
  md.onEvent(trade(T0 + 2 * S, 1000, 3));
  md.onEvent(trade(T0 + 20 * S, 1050, 2));
  md.advanceTo(T0 + 30 * S);
  return md;
}

/** A new run restored from the carried state; its updates are collected. */
function restarted(startUs: number): { md: MarketData; updates: MarketDataUpdate[] } {
  const updates: MarketDataUpdate[] = [];
  const md = new MarketData([AMZN], (u) => updates.push(u));
  md.restoreState(carryOverMarketData(recorded().exportState(), startUs));
  return { md, updates };
}

const ohlcv = (c: Candle | undefined) =>
  c === undefined ? undefined : [c.startUs, c.open, c.high, c.low, c.close, c.volume, c.tradeCount, c.closed];

describe('carryOverMarketData', () => {
  test('a bar whose interval ended during the outage is closed as recorded; the downtime gets no bars', () => {
    const { md, updates } = restarted(T0 + 90 * S); // back at 0:01:30
    const m1 = md.candles('AMZN', '1m', 10) ?? [];
    expect(m1.map(ohlcv)).toEqual([[T0, 1000, 1050, 1000, 1050, 5n, 2, true]]);
    md.advanceTo(T0 + 95 * S);
    md.onEvent(trade(T0 + 96 * S, 1052, 1));
    const after = md.candles('AMZN', '1m', 10) ?? [];
    // The new run's first bar starts at its first trade's minute and opens at that trade: no flat bars.
    expect(after.map(ohlcv)).toEqual([
      [T0, 1000, 1050, 1000, 1050, 5n, 2, true],
      [T0 + 60 * S, 1052, 1052, 1052, 1052, 1n, 1, false],
    ]);
    // Nothing recorded is emitted again: no 1s or 1m bar before the restart (5m and longer bars go on).
    const old = updates.filter(
      (u) =>
        u.type === 'candle' &&
        (u.candle.interval === '1s' || u.candle.interval === '1m') &&
        u.candle.startUs < T0 + 60 * S,
    );
    expect(old).toEqual([]);
    // 1s bars: the two with trades closed as recorded, and none for the seconds the run was down.
    const s1 = (md.candles('AMZN', '1s', 1000) ?? []).filter((c) => c.tradeCount > 0);
    expect(s1.map((c) => c.startUs)).toEqual([T0 + 2 * S, T0 + 20 * S, T0 + 96 * S]);
  });

  test('a bar whose interval still runs goes on with the new trades (a 1d bar, a short restart)', () => {
    const { md } = restarted(T0 + 40 * S); // back within the same minute
    md.onEvent(trade(T0 + 41 * S, 990, 4));
    expect(ohlcv(md.candles('AMZN', '1m', 1)?.[0])).toEqual([T0, 1000, 1050, 990, 990, 9n, 3, false]);
    expect(ohlcv(md.candles('AMZN', '1d', 1)?.[0])).toEqual([T0, 1000, 1050, 990, 990, 9n, 3, false]);
  });

  test('the ticker keeps its last trade and 24 h window and drops the old book', () => {
    const { md } = restarted(T0 + 90 * S);
    expect(md.ticker('AMZN')).toMatchObject({
      last: 1050,
      open24h: 1000,
      high24h: 1050,
      volume24h: 5n,
      tradeCount24h: 2,
      bestBid: null,
      bestAsk: null,
    });
  });
});
