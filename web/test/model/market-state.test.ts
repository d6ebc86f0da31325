import { LocalBook, type TickerEvent } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { DEFAULT_TAPE_SIZE, MarketState } from '../../src/model/index.ts';

const btc = {
  symbol: 'BTC-USD',
  priceScale: 2,
  qtyScale: 5,
  tickSize: 1,
  lotSize: 1,
  minSize: 1,
  maxPrice: 1e12,
  maxSize: 1e12,
};

describe('MarketState', () => {
  test('writes mark parts dirty and ask for one render each; takeDirty clears them', () => {
    let asked = 0;
    const s = new MarketState(() => asked++);
    s.setInstruments([btc]);
    s.select({ symbol: 'BTC-USD', interval: '1m' });
    expect(s.instrument).toBe(btc);
    expect([...s.takeDirty()].sort()).toEqual([
      'book',
      'chart',
      'instruments',
      'selection',
      'tape',
      'ticker',
    ]);
    expect(s.takeDirty().size).toBe(0);
    expect(asked).toBe(2);
  });

  test('a new interval keeps the ticker, book and tape; a new symbol clears them', () => {
    const s = new MarketState();
    s.setInstruments([btc, { ...btc, symbol: 'ETH-USD' }]);
    s.select({ symbol: 'BTC-USD', interval: '1m' });
    s.setTicker({ type: 'ticker' } as TickerEvent);
    s.setBook(new LocalBook(10));
    s.pushTrade({ tradeId: 1, tsUs: 1, price: 1, qty: 1, side: 'sell' });
    const chart = s.chart;
    s.select({ symbol: 'BTC-USD', interval: '5m' });
    expect(s.chart).not.toBe(chart);
    expect(s.chart?.intervalUs).toBe(300_000_000);
    expect([s.ticker === null, s.book === null, s.tape.size]).toEqual([false, false, 1]);
    s.select({ symbol: 'ETH-USD', interval: '5m' });
    expect([s.ticker, s.book, s.tape.size]).toEqual([null, null, 0]);
  });

  test('a burst of a million messages leaves bounded state behind (1000 msg/s for 17 minutes)', () => {
    let renders = 0;
    const s = new MarketState(() => renders++);
    s.setInstruments([btc]);
    s.select({ symbol: 'BTC-USD', interval: '1s' });
    const t0 = 1_767_225_600_000_000;
    for (let i = 0; i < 1_000_000; i++) {
      const tsUs = t0 + i * 1000; // 1000 per second
      const startUs = tsUs - (tsUs % 1_000_000);
      s.putBar(
        { startUs, open: 1, high: 2, low: 1, close: 2, volume: i, trades: i + 1, vwap: '1', closed: false },
        1,
      );
      s.pushTrade({ tradeId: i, tsUs, price: 100, qty: 1, side: i % 2 === 0 ? 'buy' : 'sell' });
      s.eventTime(tsUs);
      if (i % 50_000 === 0) s.chart?.takePatch();
    }
    expect(s.tape.size).toBe(DEFAULT_TAPE_SIZE);
    expect(s.chart?.size).toBeLessThanOrEqual((s.chart?.maxBars ?? 0) + (s.chart?.trimSlack ?? 0));
    expect(s.takeDirty().size).toBeGreaterThan(0);
    expect(renders).toBeGreaterThan(0);
  });
});
