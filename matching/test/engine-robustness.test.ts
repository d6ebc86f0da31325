import { describe, expect, test } from 'vitest';
import {
  defineInstrument,
  type EngineEvent,
  MatchingEngine,
  MatchingError,
  type NewOrderCommand,
} from '../src/index.ts';

// Engine-only checks of limits the reference model does not exercise: huge sizes, huge sweeps, misbehaving
// listeners, and timestamps outside the integer range.

const BIG = defineInstrument({ symbol: 'BIG', tickSize: '1', lotSize: '1' });
let ts = 1;
const limit = (
  orderId: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  extra: Partial<NewOrderCommand> = {},
): NewOrderCommand => ({
  type: 'new',
  tsUs: ts++,
  symbol: 'BIG',
  orderId,
  ownerId: orderId,
  side,
  orderType: 'limit',
  price,
  qty,
  ...extra,
});

describe('a price level never holds more than 2^53 in total', () => {
  test('the order that would take it past is refused, and FOK stays all-or-nothing', () => {
    const events: EngineEvent[] = [];
    const engine = new MatchingEngine([BIG], (e) => events.push(e));
    const q = BIG.maxQty;
    let id = 1;
    while (true) {
      const before = engine.stateHash();
      events.length = 0;
      engine.submit(limit(id++, 'sell', 100, q));
      if (events[0]?.type === 'rejected') {
        expect(events[0]).toMatchObject({ code: 'OUT_OF_RANGE' });
        expect(engine.stateHash()).toBe(before);
        break;
      }
    }
    const level = engine.l2('BIG')?.asks[0];
    expect(level).toBeDefined();
    const [, total, count] = level as readonly [number, number, number];
    expect(Number.isSafeInteger(total)).toBe(true);
    expect(total).toBe(q * count);
    // Matching against it stays exact: a FOK for one maximum quantity fills exactly that.
    events.length = 0;
    engine.submit(limit(id++, 'buy', 100, q, { tif: 'FOK', stp: 'none' }));
    const traded = events.filter((e) => e.type === 'trade').reduce((sum, e) => sum + e.qty, 0);
    expect(traded).toBe(q);
    expect(engine.l2('BIG')?.asks[0]).toEqual([100, total - q, count - 1]);
  });
});

describe('listeners', () => {
  test('a listener that throws gets LISTENER_FAILED after the command is applied in full', () => {
    const run = (throwOnTrade: boolean): { hash: string; events: number } => {
      let events = 0;
      const engine = new MatchingEngine([BIG], (e) => {
        events++;
        if (throwOnTrade && e.type === 'trade') throw new Error('consumer bug');
      });
      engine.submit(limit(1, 'sell', 100, 5));
      engine.submit(limit(2, 'sell', 101, 5));
      let error: unknown;
      try {
        engine.submit(limit(3, 'buy', 101, 7));
      } catch (e) {
        error = e;
      }
      if (throwOnTrade) {
        expect(error).toBeInstanceOf(MatchingError);
        expect(error).toMatchObject({ code: 'LISTENER_FAILED', cause: new Error('consumer bug') });
      } else {
        expect(error).toBeUndefined();
      }
      engine.submit(limit(4, 'buy', 99, 3));
      return { hash: engine.stateHash(), events };
    };
    expect(run(true)).toEqual(run(false));
  });

  test('a listener that calls submit is a bug and is stopped before it corrupts the book', () => {
    let engine: MatchingEngine | undefined;
    engine = new MatchingEngine([BIG], (e) => {
      if (e.type === 'trade') engine?.submit({ type: 'cancel', tsUs: ts, symbol: 'BIG', orderId: 2 });
    });
    engine.submit(limit(1, 'sell', 100, 5));
    engine.submit(limit(2, 'sell', 100, 5));
    expect(() => engine?.submit(limit(3, 'buy', 100, 1))).toThrow(/LISTENER_FAILED|listener/);
    // The command itself completed: one trade, the rest as it should be.
    expect(engine.l2('BIG')?.asks).toEqual([[100, 9, 2]]);
  });
});

describe('large commands stay linear', () => {
  test('a market order sweeping 20,000 levels emits one level event per level', () => {
    const events: EngineEvent[] = [];
    const engine = new MatchingEngine([BIG], (e) => events.push(e));
    const n = 20_000;
    for (let i = 0; i < n; i++) engine.submit(limit(i + 1, 'sell', 1000 + i, 1));
    events.length = 0;
    engine.submit({
      type: 'new',
      tsUs: ts++,
      symbol: 'BIG',
      orderId: n + 1,
      ownerId: 0,
      side: 'buy',
      orderType: 'market',
      qty: n,
    });
    expect(events.filter((e) => e.type === 'trade')).toHaveLength(n);
    const levels = events.filter((e) => e.type === 'level');
    expect(levels).toHaveLength(n);
    expect(new Set(levels.map((e) => e.price)).size).toBe(n);
    expect(engine.l2('BIG')?.asks).toEqual([]);
  });

  test('mass cancel of 20,000 stops and orders', () => {
    const events: EngineEvent[] = [];
    const engine = new MatchingEngine([BIG], (e) => events.push(e));
    for (let i = 0; i < 10_000; i++) {
      engine.submit({ ...limit(2 * i + 1, 'sell', 1000 + i, 1), ownerId: 7 });
      engine.submit({
        type: 'new',
        tsUs: ts++,
        symbol: 'BIG',
        orderId: 2 * i + 2,
        ownerId: 7,
        side: 'buy',
        orderType: 'stop_market',
        stopPrice: 2000 + i,
        qty: 1,
      });
    }
    events.length = 0;
    engine.submit({ type: 'mass_cancel', tsUs: ts++, ownerId: 7 });
    expect(events.filter((e) => e.type === 'done')).toHaveLength(20_000);
    expect(engine.openOrders()).toBe(0);
  });
});

describe('timestamps', () => {
  test.each([-5, 1000.5, Number.NaN, 2 ** 60])('tsUs %s is refused as STALE_TIMESTAMP', (tsUs) => {
    const events: EngineEvent[] = [];
    const engine = new MatchingEngine([BIG], (e) => events.push(e));
    engine.submit({ ...limit(1, 'buy', 100, 1), tsUs });
    expect(events).toMatchObject([{ type: 'rejected', code: 'STALE_TIMESTAMP', tsUs: 0 }]);
  });
});
