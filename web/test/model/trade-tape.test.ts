import { describe, expect, test } from 'vitest';
import { type TapeTrade, TradeTape } from '../../src/model/index.ts';

const trade = (tradeId: number): TapeTrade => ({ tradeId, tsUs: tradeId, price: 100, qty: 1, side: 'buy' });

describe('TradeTape', () => {
  test('keeps the newest trades, newest first, in constant memory', () => {
    const tape = new TradeTape(3);
    expect(tape.latest()).toEqual([]);
    for (let id = 1; id <= 100_000; id++) tape.push(trade(id));
    expect(tape.size).toBe(3);
    expect(tape.latest().map((t) => t.tradeId)).toEqual([100_000, 99_999, 99_998]);
    const v = tape.version;
    tape.clear();
    expect(tape.latest()).toEqual([]);
    expect(tape.version).toBe(v + 1);
  });
});
