import { describe, expect, test } from 'vitest';
import { CandleBar, TickerEventObject, TradeEventObject } from '../../src/client/decimal-events.ts';
import { formatScaled, type Scales } from '../../src/client/index.ts';

const BTC: Scales = { priceScale: 2, qtyScale: 5 };
const TS = 1_767_225_601_234_567;

const trade = (scales: Scales | undefined, price = 6500125, qty = 1500) =>
  new TradeEventObject('trades:BTC-USD', 'BTC-USD', 7, 1, TS, false, 42, price, qty, 'sell', scales);

describe('decimal strings on stream events', () => {
  test.each<[number, number, string, string]>([
    [6500125, 1500, '65001.25', '0.01500'],
    [1, 1, '0.01', '0.00001'],
    [0, 100000, '0.00', '1.00000'],
    [2 ** 50, 2 ** 50, '11258999068426.24', '11258999068.42624'],
  ])('a trade at %i × %i reads %s × %s, beside its integers', (price, qty, priceText, qtyText) => {
    const t = trade(BTC, price, qty);
    expect([t.price, t.priceDecimal, t.qty, t.qtyDecimal, t.side]).toEqual([
      price,
      priceText,
      qty,
      qtyText,
      'sell',
    ]);
  });

  test('the decimals are getters: not own fields, not copied by a spread, listed by JSON.stringify', () => {
    const t = trade(BTC);
    expect(Object.keys(t)).not.toContain('priceDecimal');
    expect({ ...t }).not.toHaveProperty('priceDecimal');
    expect(JSON.parse(JSON.stringify(t))).toEqual({
      type: 'trade',
      channel: 'trades:BTC-USD',
      symbol: 'BTC-USD',
      seq: 7,
      generation: 1,
      tsUs: TS,
      snapshot: false,
      tradeId: 42,
      price: 6500125,
      priceDecimal: '65001.25',
      qty: 1500,
      qtyDecimal: '0.01500',
      side: 'sell',
    });
  });

  test('a ticker: each price at priceScale, each quantity at qtyScale, null stays null', () => {
    const fields = [6500100, 250, 6500125, 1500, null, null, 6400000, 6600000, 6390000, 123456789, 4321];
    const t = new TickerEventObject('ticker:BTC-USD', 'BTC-USD', 9, 1, TS, true, fields, 0, BTC);
    expect(JSON.parse(JSON.stringify(t))).toMatchObject({
      bid: 6500100,
      bidDecimal: '65001.00',
      bidQtyDecimal: '0.00250',
      askDecimal: '65001.25',
      askQtyDecimal: '0.01500',
      last: null,
      lastDecimal: null,
      lastQtyDecimal: null,
      open24hDecimal: '64000.00',
      high24hDecimal: '66000.00',
      low24hDecimal: '63900.00',
      volume24hDecimal: '1234.56789',
      trades24h: 4321,
    });
    // an update's fields start after [4, channelId, seq, tsUs]
    const update = new TickerEventObject('t', 'BTC-USD', 10, 1, TS, false, [4, 1, 10, TS, ...fields], 4, BTC);
    expect(update.bidDecimal).toBe('65001.00');
  });

  test('a bar: OHLC at priceScale, volume at qtyScale, vwap as sent', () => {
    const bar = new CandleBar(
      'BTC-USD',
      [TS, 6500000, 6500200, 6499900, 6500125, 3000, 3, '65001.2500', true],
      BTC,
    );
    expect([bar.openDecimal, bar.highDecimal, bar.lowDecimal, bar.closeDecimal, bar.volumeDecimal]).toEqual([
      '65000.00',
      '65002.00',
      '64999.00',
      '65001.25',
      '0.03000',
    ]);
    expect(bar.vwap).toBe('65001.2500');
    expect(JSON.parse(JSON.stringify(bar))).toMatchObject({ closeDecimal: '65001.25', closed: true });
  });

  test('the strings are formatScaled of the integers, whatever the scales', () => {
    for (const scales of [
      { priceScale: 0, qtyScale: 0 },
      { priceScale: 8, qtyScale: 3 },
    ]) {
      const t = trade(scales, 123456789, 5);
      expect(t.priceDecimal).toBe(formatScaled(123456789, scales.priceScale));
      expect(t.qtyDecimal).toBe(formatScaled(5, scales.qtyScale));
    }
  });

  test('an event made without its scales says so when a decimal is read, instead of guessing a scale', () => {
    const t = trade(undefined);
    expect(t.price).toBe(6500125);
    expect(() => t.priceDecimal).toThrow(/no instrument scales for BTC-USD/);
  });
});
