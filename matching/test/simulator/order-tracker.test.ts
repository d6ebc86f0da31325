import { expect, test } from 'vitest';
import { MatchingEngine } from '../../src/engine.ts';
import {
  MAKER_OWNER_BASE,
  MarketSimulator,
  MOMENTUM_OWNER_BASE,
  NOISE_OWNER_BASE,
} from '../../src/simulator/market-simulator.ts';
import { OrderTracker, STOPS } from '../../src/simulator/order-tracker.ts';
import { SimInstrument } from '../../src/simulator/sim-instrument.ts';
import { INSTRUMENTS } from './helpers.ts';

test("the tracker's open orders are exactly the engine's, after every command", () => {
  const owners = [0, 1, 2].map((i) => MAKER_OWNER_BASE + i);
  for (let i = 0; i < 6; i++) owners.push(NOISE_OWNER_BASE + i);
  for (let i = 0; i < 2; i++) owners.push(MOMENTUM_OWNER_BASE + i);
  const agentByOwner = new Map(owners.map((o, i) => [o, i]));
  const insts = INSTRUMENTS.map((inst, i) => new SimInstrument(i, inst, 10_000));
  const tracker = new OrderTracker(owners.length, insts, agentByOwner);
  const sim = new MarketSimulator({ seed: 11, instruments: INSTRUMENTS });
  const engine = new MatchingEngine(INSTRUMENTS, (e) => {
    sim.onEvent(e);
    tracker.onEvent(e);
  });

  let maxOpen = 0;
  for (let i = 0; i < 6000; i++) {
    engine.submit(sim.next());
    const tracked = new Map<number, string>();
    for (const o of tracker.all()) {
      tracked.set(o.orderId, `${o.priceTicks * o.inst.tick}:${o.qty}${o.list === STOPS ? ':stop' : ''}`);
    }
    const actual = new Map<number, string>();
    for (const inst of INSTRUMENTS) {
      const l3 = engine.l3(inst.symbol);
      if (l3 === undefined) throw new Error('no book');
      for (const side of [l3.bids, l3.asks]) {
        for (const level of side)
          for (const o of level.orders) actual.set(o.orderId, `${level.price}:${o.qty}`);
      }
      for (const s of l3.stops) actual.set(s.orderId, `${s.price}:${s.qty}:stop`);
    }
    expect(tracked).toEqual(actual);
    maxOpen = Math.max(maxOpen, tracked.size);
    const restingBids = insts.reduce((n, x) => n + x.restingBids, 0);
    const restingAsks = insts.reduce((n, x) => n + x.restingAsks, 0);
    expect(restingBids + restingAsks).toBe(
      engine.openOrders() - INSTRUMENTS.reduce((n, x) => n + (engine.l3(x.symbol)?.stops.length ?? 0), 0),
    );
  }
  expect(maxOpen).toBeGreaterThan(100);
});
