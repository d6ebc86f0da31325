import type { Side } from '../../src/commands.ts';
import type { LevelEvent, TradeEvent } from '../../src/events.ts';
import type { Instrument } from '../../src/instrument.ts';

/** Test instrument: prices with 2 decimals, whole-unit quantities. */
export const AMZN: Instrument = {
  symbol: 'AMZN',
  priceScale: 2,
  qtyScale: 0,
  tickSize: 1,
  lotSize: 1,
  minQty: 1,
  maxPrice: 2 ** 50,
  maxQty: 2 ** 50,
};

/** Test instrument: prices with 2 decimals, quantities with 5. */
export const BTC: Instrument = {
  symbol: 'BTC-USD',
  priceScale: 2,
  qtyScale: 5,
  tickSize: 1,
  lotSize: 1,
  minQty: 10,
  maxPrice: 2 ** 50,
  maxQty: 2 ** 50,
};

let seq = 0;

/** A trade event as the engine would print it; only time, price and quantity matter to market data. */
export function trade(tsUs: number, price: number, qty: number, symbol = AMZN.symbol): TradeEvent {
  seq += 1;
  return {
    type: 'trade',
    seq,
    tsUs,
    symbol,
    tradeId: seq,
    price,
    qty,
    takerSide: 'buy',
    makerOrderId: 1,
    takerOrderId: 2,
    makerOwnerId: 1,
    takerOwnerId: 2,
  };
}

/** An L2 level event: `qty` 0 removes the level. */
export function level(
  tsUs: number,
  side: Side,
  price: number,
  qty: number,
  symbol = AMZN.symbol,
): LevelEvent {
  seq += 1;
  return { type: 'level', seq, tsUs, symbol, side, price, qty, count: qty === 0 ? 0 : 1 };
}
