import { describe, expect, test } from 'vitest';
import type { EngineEvent, L2Level, RejectCode, Side } from '../src/index.ts';
import { REJECT_CODES } from '../src/index.ts';
import {
  buy,
  cancel,
  type Draft,
  market,
  massCancel,
  modify,
  order,
  sell,
  stamp,
  stopLimit,
  stopMarket,
} from './support/commands.ts';
import { strip } from './support/event-helpers.ts';
import { TEST_INSTRUMENTS } from './support/fixtures.ts';
import { IMPLEMENTATIONS } from './support/implementations.ts';

/**
 * Scenario tables for the matching rules of matching/README.md, run against every book implementation
 * (the engine and the reference model). Each scenario: `setup` commands (must not be rejected, events not
 * checked), then `cmds` whose events must match `events` (only the fields given are compared; lengths must
 * match), then the expected L2 / L3 of AAA (or `symbol`).
 */

type Expected = Record<string, unknown> & { type: EngineEvent['type'] };

const acc = (orderId: number, more: Record<string, unknown> = {}): Expected => ({
  type: 'accepted',
  orderId,
  ...more,
});
const rej = (code: RejectCode, more: Record<string, unknown> = {}): Expected => ({
  type: 'rejected',
  code,
  ...more,
});
const trade = (
  maker: number,
  taker: number,
  price: number,
  qty: number,
  more: Record<string, unknown> = {},
) => ({ type: 'trade', makerOrderId: maker, takerOrderId: taker, price, qty, ...more }) as Expected;
const done = (orderId: number, reason: string, remainingQty: number, more: Record<string, unknown> = {}) =>
  ({ type: 'done', orderId, reason, remainingQty, ...more }) as Expected;
const mod = (orderId: number, price: number, qty: number, priorityKept: boolean): Expected => ({
  type: 'modified',
  orderId,
  price,
  qty,
  priorityKept,
});
const trig = (orderId: number, more: Record<string, unknown> = {}): Expected => ({
  type: 'triggered',
  orderId,
  ...more,
});
const lvl = (side: Side, price: number, qty: number, count: number, more: Record<string, unknown> = {}) =>
  ({ type: 'level', side, price, qty, count, ...more }) as Expected;

interface Scenario {
  readonly name: string;
  readonly setup?: readonly Draft[];
  readonly cmds: readonly Draft[];
  readonly events?: readonly Expected[];
  readonly symbol?: string;
  readonly book?: { bids?: L2Level[]; asks?: L2Level[] };
  readonly l3?: Record<string, unknown>;
}

const LIMIT: Scenario[] = [
  {
    name: 'limit: GTC rests on an empty book',
    cmds: [buy(1, 100, 50)],
    events: [
      acc(1, {
        symbol: 'AAA',
        ownerId: 1,
        side: 'buy',
        orderType: 'limit',
        price: 100,
        stopPrice: 0,
        qty: 50,
        tif: 'GTC',
        postOnly: false,
      }),
      lvl('buy', 100, 50, 1, { symbol: 'AAA' }),
    ],
    book: { bids: [[100, 50, 1]], asks: [] },
  },
  {
    name: 'limit: crossing fills both in full at the maker price',
    setup: [sell(1, 100, 50)],
    cmds: [buy(2, 105, 50)],
    events: [
      acc(2),
      trade(1, 2, 100, 50, { tradeId: 1, takerSide: 'buy', makerOwnerId: 1, takerOwnerId: 2, symbol: 'AAA' }),
      done(1, 'filled', 0, { side: 'sell', ownerId: 1 }),
      done(2, 'filled', 0, { side: 'buy', ownerId: 2 }),
      lvl('sell', 100, 0, 0),
    ],
    book: { bids: [], asks: [] },
  },
  {
    name: 'limit: walks levels best first, stops at its limit, rests the remainder',
    setup: [sell(1, 100, 30), sell(2, 105, 30), sell(3, 110, 30)],
    cmds: [buy(4, 105, 100)],
    events: [
      acc(4),
      trade(1, 4, 100, 30),
      done(1, 'filled', 0),
      trade(2, 4, 105, 30),
      done(2, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
      lvl('buy', 105, 40, 1),
    ],
    book: { bids: [[105, 40, 1]], asks: [[110, 30, 1]] },
  },
  {
    name: 'limit: oldest first within a level',
    setup: [sell(1, 100, 30), sell(2, 100, 30), sell(3, 100, 30)],
    cmds: [buy(4, 100, 40)],
    events: [
      acc(4),
      trade(1, 4, 100, 30),
      done(1, 'filled', 0),
      trade(2, 4, 100, 10),
      done(4, 'filled', 0),
      lvl('sell', 100, 50, 2),
    ],
    l3: {
      asks: [
        {
          price: 100,
          orders: [
            { orderId: 2, ownerId: 2, qty: 20 },
            { orderId: 3, ownerId: 3, qty: 30 },
          ],
        },
      ],
    },
  },
  {
    name: 'limit: a better price beats an older order',
    setup: [sell(1, 105, 30), sell(2, 100, 30)],
    cmds: [buy(3, 105, 30)],
    events: [
      acc(3),
      trade(2, 3, 100, 30),
      done(2, 'filled', 0),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
    ],
  },
  {
    name: 'limit: a sell taker takes the highest bid first',
    setup: [buy(1, 95, 30), buy(2, 100, 30)],
    cmds: [sell(3, 95, 50)],
    events: [
      acc(3),
      trade(2, 3, 100, 30, { takerSide: 'sell' }),
      done(2, 'filled', 0),
      trade(1, 3, 95, 20, { takerSide: 'sell' }),
      done(3, 'filled', 0),
      lvl('buy', 100, 0, 0),
      lvl('buy', 95, 10, 1),
    ],
    book: { bids: [[95, 10, 1]], asks: [] },
  },
  {
    name: 'limit: trade ids count per instrument; one id may be open on two instruments',
    setup: [sell(1, 100, 20), sell(1, 100, 20, { sym: 'BBB' })],
    cmds: [buy(2, 100, 20), buy(2, 100, 20, { sym: 'BBB' })],
    events: [
      acc(2, { symbol: 'AAA' }),
      trade(1, 2, 100, 20, { tradeId: 1, symbol: 'AAA' }),
      done(1, 'filled', 0),
      done(2, 'filled', 0),
      lvl('sell', 100, 0, 0, { symbol: 'AAA' }),
      acc(2, { symbol: 'BBB' }),
      trade(1, 2, 100, 20, { tradeId: 1, symbol: 'BBB' }),
      done(1, 'filled', 0, { symbol: 'BBB' }),
      done(2, 'filled', 0, { symbol: 'BBB' }),
      lvl('sell', 100, 0, 0, { symbol: 'BBB' }),
    ],
  },
];

const MARKET: Scenario[] = [
  {
    name: 'market: sweeps without protection, the remainder expires',
    setup: [sell(1, 100, 30), sell(2, 200, 30)],
    cmds: [market('buy', 3, 100)],
    events: [
      acc(3, { orderType: 'market', price: 0, stopPrice: 0, tif: 'IOC', postOnly: false }),
      trade(1, 3, 100, 30),
      done(1, 'filled', 0),
      trade(2, 3, 200, 30),
      done(2, 'filled', 0),
      done(3, 'expired', 40),
      lvl('sell', 100, 0, 0),
      lvl('sell', 200, 0, 0),
    ],
    book: { bids: [], asks: [] },
  },
  {
    name: 'market: stops at its protection price',
    setup: [sell(1, 100, 30), sell(2, 110, 30)],
    cmds: [market('buy', 3, 50, { price: 105 })],
    events: [
      acc(3, { price: 105, tif: 'IOC' }),
      trade(1, 3, 100, 30),
      done(1, 'filled', 0),
      done(3, 'expired', 20),
      lvl('sell', 100, 0, 0),
    ],
    book: { bids: [], asks: [[110, 30, 1]] },
  },
  {
    name: 'market: a sell fills in full across bids',
    setup: [buy(1, 100, 30), buy(2, 95, 30)],
    cmds: [market('sell', 3, 40, { tif: 'IOC' })],
    events: [
      acc(3),
      trade(1, 3, 100, 30, { takerSide: 'sell' }),
      done(1, 'filled', 0),
      trade(2, 3, 95, 10, { takerSide: 'sell' }),
      done(3, 'filled', 0),
      lvl('buy', 100, 0, 0),
      lvl('buy', 95, 20, 1),
    ],
  },
  {
    name: 'market: protection better than every level expires whole and touches nothing',
    setup: [sell(1, 100, 30)],
    cmds: [market('buy', 2, 30, { price: 95 })],
    events: [acc(2), done(2, 'expired', 30)],
    book: { bids: [], asks: [[100, 30, 1]] },
  },
  {
    name: 'market: empty opposite side → NO_LIQUIDITY',
    setup: [buy(1, 100, 30)],
    cmds: [market('buy', 2, 30), market('sell', 3, 30, { sym: 'BBB' })],
    events: [
      rej('NO_LIQUIDITY', { command: 'new', orderId: 2, symbol: 'AAA' }),
      rej('NO_LIQUIDITY', { orderId: 3, symbol: 'BBB' }),
    ],
  },
];

const STOPS: Scenario[] = [
  {
    name: 'stop-market: pending outside the book, shown in L3 stops',
    cmds: [stopMarket('buy', 3, 100, 30), stopLimit('sell', 4, 90, 85, 20, { tif: 'IOC' })],
    events: [
      acc(3, { orderType: 'stop_market', price: 0, stopPrice: 100, qty: 30, tif: 'IOC', postOnly: false }),
      acc(4, { orderType: 'stop_limit', price: 85, stopPrice: 90, qty: 20, tif: 'IOC' }),
    ],
    book: { bids: [], asks: [] },
    l3: {
      bids: [],
      asks: [],
      stops: [
        {
          orderId: 3,
          ownerId: 3,
          side: 'buy',
          orderType: 'stop_market',
          stopPrice: 100,
          price: 0,
          qty: 30,
          tif: 'IOC',
        },
        {
          orderId: 4,
          ownerId: 4,
          side: 'sell',
          orderType: 'stop_limit',
          stopPrice: 90,
          price: 85,
          qty: 20,
          tif: 'IOC',
        },
      ],
    },
  },
  {
    name: 'stop-market: a trade at the stop triggers it; it works as a market',
    setup: [sell(1, 100, 20), sell(2, 110, 50), stopMarket('buy', 3, 100, 30)],
    cmds: [buy(4, 100, 20)],
    events: [
      acc(4),
      trade(1, 4, 100, 20),
      done(1, 'filled', 0),
      done(4, 'filled', 0),
      trig(3, { side: 'buy', stopPrice: 100, symbol: 'AAA' }),
      trade(2, 3, 110, 30, { takerSide: 'buy' }),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 110, 20, 1),
    ],
    l3: { stops: [] },
  },
  {
    name: 'stop-market: triggered into an empty side ends expired',
    setup: [buy(1, 100, 20), stopMarket('sell', 2, 100, 20)],
    cmds: [sell(3, 100, 20)],
    events: [
      acc(3),
      trade(1, 3, 100, 20, { takerSide: 'sell' }),
      done(1, 'filled', 0),
      done(3, 'filled', 0),
      trig(2, { side: 'sell' }),
      done(2, 'expired', 20),
      lvl('buy', 100, 0, 0),
    ],
  },
  {
    name: 'stop-market: its protection price limits it after the trigger',
    setup: [buy(1, 100, 20), buy(2, 90, 20), stopMarket('sell', 3, 100, 40, { price: 95 })],
    cmds: [sell(4, 100, 20)],
    events: [
      acc(4),
      trade(1, 4, 100, 20),
      done(1, 'filled', 0),
      done(4, 'filled', 0),
      trig(3),
      done(3, 'expired', 40),
      lvl('buy', 100, 0, 0),
    ],
    book: { bids: [[90, 20, 1]], asks: [] },
  },
  {
    name: 'stop-limit GTC: triggered, trades to its limit, rests the remainder',
    setup: [sell(1, 100, 20), sell(2, 105, 20), sell(3, 115, 20), stopLimit('buy', 4, 100, 110, 60)],
    cmds: [buy(5, 100, 20)],
    events: [
      acc(5),
      trade(1, 5, 100, 20),
      done(1, 'filled', 0),
      done(5, 'filled', 0),
      trig(4),
      trade(2, 4, 105, 20),
      done(2, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
      lvl('buy', 110, 40, 1),
    ],
    book: { bids: [[110, 40, 1]], asks: [[115, 20, 1]] },
  },
  {
    name: 'stop-limit IOC: the remainder expires',
    setup: [
      sell(1, 100, 20),
      sell(2, 105, 20),
      sell(3, 115, 20),
      stopLimit('buy', 4, 100, 110, 60, { tif: 'IOC' }),
    ],
    cmds: [buy(5, 100, 20)],
    events: [
      acc(5),
      trade(1, 5, 100, 20),
      done(1, 'filled', 0),
      done(5, 'filled', 0),
      trig(4),
      trade(2, 4, 105, 20),
      done(2, 'filled', 0),
      done(4, 'expired', 40),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
    ],
    book: { bids: [], asks: [[115, 20, 1]] },
  },
  {
    name: 'stop-limit FOK: not fillable when triggered → expired, nothing traded',
    setup: [
      sell(1, 100, 20),
      sell(2, 105, 20),
      sell(3, 115, 20),
      stopLimit('buy', 4, 100, 110, 60, { tif: 'FOK' }),
    ],
    cmds: [buy(5, 100, 20)],
    events: [
      acc(5),
      trade(1, 5, 100, 20),
      done(1, 'filled', 0),
      done(5, 'filled', 0),
      trig(4),
      done(4, 'expired', 60),
      lvl('sell', 100, 0, 0),
    ],
    book: {
      bids: [],
      asks: [
        [105, 20, 1],
        [115, 20, 1],
      ],
    },
  },
  {
    name: 'stop-limit FOK: fillable when triggered → fills in full',
    setup: [sell(1, 100, 20), sell(2, 105, 40), stopLimit('buy', 4, 100, 110, 40, { tif: 'FOK' })],
    cmds: [buy(5, 100, 20)],
    events: [
      acc(5),
      trade(1, 5, 100, 20),
      done(1, 'filled', 0),
      done(5, 'filled', 0),
      trig(4),
      trade(2, 4, 105, 40),
      done(2, 'filled', 0),
      done(4, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
    ],
  },
  {
    name: 'stops: cascade — each trigger re-checks the rest against the new last price',
    setup: [
      sell(1, 100, 20),
      sell(2, 105, 20),
      sell(3, 110, 20),
      stopMarket('buy', 10, 105, 20),
      stopMarket('buy', 11, 100, 20),
    ],
    cmds: [buy(4, 100, 20)],
    events: [
      acc(4),
      trade(1, 4, 100, 20),
      done(1, 'filled', 0),
      done(4, 'filled', 0),
      trig(11),
      trade(2, 11, 105, 20),
      done(2, 'filled', 0),
      done(11, 'filled', 0),
      trig(10),
      trade(3, 10, 110, 20),
      done(3, 'filled', 0),
      done(10, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
      lvl('sell', 110, 0, 0),
    ],
    book: { bids: [], asks: [] },
  },
  {
    name: 'stops: several holding at once trigger oldest accepted first (not by id)',
    setup: [
      sell(1, 100, 20),
      sell(2, 105, 20),
      sell(3, 110, 20),
      stopMarket('buy', 11, 100, 20),
      stopMarket('buy', 10, 100, 20),
    ],
    cmds: [buy(4, 100, 20)],
    events: [
      acc(4),
      trade(1, 4, 100, 20),
      done(1, 'filled', 0),
      done(4, 'filled', 0),
      trig(11),
      trade(2, 11, 105, 20),
      done(2, 'filled', 0),
      done(11, 'filled', 0),
      trig(10),
      trade(3, 10, 110, 20),
      done(3, 'filled', 0),
      done(10, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 0, 0),
      lvl('sell', 110, 0, 0),
    ],
  },
  {
    name: 'stops: a sell stop-limit cascade falls through the bids',
    setup: [
      buy(1, 100, 20),
      buy(2, 95, 20),
      buy(3, 90, 20),
      stopLimit('sell', 10, 95, 90, 40),
      stopMarket('sell', 11, 100, 20),
    ],
    cmds: [sell(4, 100, 20)],
    events: [
      acc(4),
      trade(1, 4, 100, 20, { takerSide: 'sell' }),
      done(1, 'filled', 0),
      done(4, 'filled', 0),
      trig(11),
      trade(2, 11, 95, 20, { takerSide: 'sell' }),
      done(2, 'filled', 0),
      done(11, 'filled', 0),
      trig(10),
      trade(3, 10, 90, 20, { takerSide: 'sell' }),
      done(3, 'filled', 0),
      lvl('buy', 100, 0, 0),
      lvl('buy', 95, 0, 0),
      lvl('buy', 90, 0, 0),
      lvl('sell', 90, 20, 1),
    ],
    book: { bids: [], asks: [[90, 20, 1]] },
  },
  {
    name: 'stops: a pending stop is cancelled like any open order (no level event)',
    setup: [stopMarket('buy', 1, 100, 30)],
    cmds: [cancel(1)],
    events: [done(1, 'cancelled', 30, { side: 'buy', ownerId: 1 })],
    l3: { stops: [] },
  },
  {
    name: 'stops: a condition that already holds against the last trade → STOP_WOULD_TRIGGER',
    setup: [sell(1, 100, 20), buy(2, 100, 20), sell(3, 120, 20), buy(4, 50, 20)],
    cmds: [
      stopMarket('buy', 5, 95, 20),
      stopMarket('buy', 6, 100, 20),
      stopLimit('sell', 7, 105, 100, 20),
      stopLimit('sell', 8, 100, 100, 20),
      stopMarket('buy', 9, 105, 20),
      stopLimit('sell', 10, 95, 95, 20),
    ],
    events: [
      rej('STOP_WOULD_TRIGGER', { orderId: 5 }),
      rej('STOP_WOULD_TRIGGER', { orderId: 6 }),
      rej('STOP_WOULD_TRIGGER', { orderId: 7 }),
      rej('STOP_WOULD_TRIGGER', { orderId: 8 }),
      acc(9),
      acc(10),
    ],
  },
];

const TIME_IN_FORCE: Scenario[] = [
  {
    name: 'IOC: partial fill, the remainder expires',
    setup: [sell(1, 100, 30)],
    cmds: [buy(2, 100, 50, { tif: 'IOC' })],
    events: [
      acc(2, { tif: 'IOC' }),
      trade(1, 2, 100, 30),
      done(1, 'filled', 0),
      done(2, 'expired', 20),
      lvl('sell', 100, 0, 0),
    ],
    book: { bids: [], asks: [] },
  },
  {
    name: 'IOC: nothing to match expires whole and touches nothing',
    setup: [sell(1, 105, 30)],
    cmds: [buy(2, 100, 50, { tif: 'IOC' })],
    events: [acc(2), done(2, 'expired', 50)],
    book: { bids: [], asks: [[105, 30, 1]] },
  },
  {
    name: 'FOK: fillable across levels fills in full',
    setup: [sell(1, 100, 30), sell(2, 105, 30)],
    cmds: [buy(3, 105, 50, { tif: 'FOK' })],
    events: [
      acc(3, { tif: 'FOK' }),
      trade(1, 3, 100, 30),
      done(1, 'filled', 0),
      trade(2, 3, 105, 20),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
      lvl('sell', 105, 10, 1),
    ],
  },
  {
    name: 'FOK: not enough quantity → FOK_NOT_FILLABLE, book unchanged',
    setup: [sell(1, 100, 30), sell(2, 105, 30)],
    cmds: [buy(3, 105, 70, { tif: 'FOK' })],
    events: [rej('FOK_NOT_FILLABLE', { orderId: 3, command: 'new' })],
    book: {
      bids: [],
      asks: [
        [100, 30, 1],
        [105, 30, 1],
      ],
    },
  },
  {
    name: 'FOK: quantity beyond the limit price does not count',
    setup: [sell(1, 100, 30), sell(2, 110, 30)],
    cmds: [buy(3, 105, 50, { tif: 'FOK' }), sell(4, 100, 20, { tif: 'FOK' })],
    events: [rej('FOK_NOT_FILLABLE'), rej('FOK_NOT_FILLABLE')],
  },
  {
    name: 'FOK: an own order reached before the quantity is covered → not fillable (cancel_newest)',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 30, { o: 7, tif: 'FOK' })],
    events: [rej('FOK_NOT_FILLABLE')],
  },
  {
    name: 'FOK: an own order first → not fillable under cancel_both and decrement_cancel too',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 90, { o: 8 })],
    cmds: [
      buy(3, 100, 30, { o: 7, tif: 'FOK', stp: 'cancel_both' }),
      buy(4, 100, 30, { o: 7, tif: 'FOK', stp: 'decrement_cancel' }),
    ],
    events: [rej('FOK_NOT_FILLABLE'), rej('FOK_NOT_FILLABLE')],
  },
  {
    name: 'FOK: an own order after the quantity is covered does not matter',
    setup: [sell(1, 100, 30, { o: 8 }), sell(2, 100, 30, { o: 7 })],
    cmds: [buy(3, 100, 30, { o: 7, tif: 'FOK' })],
    events: [
      acc(3),
      trade(1, 3, 100, 30),
      done(1, 'filled', 0),
      done(3, 'filled', 0),
      lvl('sell', 100, 30, 1),
    ],
  },
  {
    name: 'FOK: own orders are skipped under cancel_oldest (and cancelled when reached)',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 30, { o: 7, tif: 'FOK', stp: 'cancel_oldest' })],
    events: [
      acc(3),
      done(1, 'stp', 30),
      trade(2, 3, 100, 30),
      done(2, 'filled', 0),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
    ],
  },
  {
    name: 'FOK: own orders count under stp none',
    setup: [sell(1, 100, 30, { o: 7 })],
    cmds: [buy(3, 100, 30, { o: 7, tif: 'FOK', stp: 'none' })],
    events: [
      acc(3),
      trade(1, 3, 100, 30, { makerOwnerId: 7, takerOwnerId: 7 }),
      done(1, 'filled', 0),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
    ],
  },
];

const POST_ONLY: Scenario[] = [
  {
    name: 'post-only: rests when it does not cross',
    setup: [sell(1, 105, 30)],
    cmds: [buy(2, 100, 30, { postOnly: true }), sell(3, 110, 30, { postOnly: true })],
    events: [acc(2, { postOnly: true, tif: 'GTC' }), lvl('buy', 100, 30, 1), acc(3), lvl('sell', 110, 30, 1)],
    book: {
      bids: [[100, 30, 1]],
      asks: [
        [105, 30, 1],
        [110, 30, 1],
      ],
    },
  },
  {
    name: 'post-only: at or through the best opposite price → POST_ONLY_WOULD_CROSS',
    setup: [sell(1, 105, 30), buy(2, 95, 30)],
    cmds: [buy(3, 105, 30, { postOnly: true }), sell(4, 90, 30, { postOnly: true })],
    events: [rej('POST_ONLY_WOULD_CROSS', { orderId: 3 }), rej('POST_ONLY_WOULD_CROSS', { orderId: 4 })],
    book: { bids: [[95, 30, 1]], asks: [[105, 30, 1]] },
  },
];

const STP: Scenario[] = [
  {
    name: 'stp none: a self-trade is printed',
    setup: [sell(1, 100, 30, { o: 7 })],
    cmds: [buy(2, 100, 30, { o: 7, stp: 'none' })],
    events: [
      acc(2),
      trade(1, 2, 100, 30, { makerOwnerId: 7, takerOwnerId: 7 }),
      done(1, 'filled', 0),
      done(2, 'filled', 0),
      lvl('sell', 100, 0, 0),
    ],
  },
  {
    name: 'stp cancel_newest (default): trades others first, then the taker ends',
    setup: [sell(1, 100, 20, { o: 8 }), sell(2, 100, 30, { o: 7 }), sell(3, 100, 30, { o: 9 })],
    cmds: [buy(4, 100, 80, { o: 7 })],
    events: [acc(4), trade(1, 4, 100, 20), done(1, 'filled', 0), done(4, 'stp', 60), lvl('sell', 100, 60, 2)],
    book: { bids: [], asks: [[100, 60, 2]] },
  },
  {
    name: 'stp cancel_oldest: the maker ends, matching goes on',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 30, { o: 7, stp: 'cancel_oldest' })],
    events: [
      acc(3),
      done(1, 'stp', 30, { ownerId: 7, side: 'sell' }),
      trade(2, 3, 100, 30),
      done(2, 'filled', 0),
      done(3, 'filled', 0),
      lvl('sell', 100, 0, 0),
    ],
  },
  {
    name: 'stp cancel_both: both end, no trade',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 50, { o: 7, stp: 'cancel_both' })],
    events: [acc(3), done(1, 'stp', 30), done(3, 'stp', 50), lvl('sell', 100, 30, 1)],
    book: { bids: [], asks: [[100, 30, 1]] },
  },
  {
    name: 'stp decrement_cancel, taker larger: maker ends, taker decremented and goes on',
    setup: [sell(1, 100, 30, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 50, { o: 7, stp: 'decrement_cancel' })],
    events: [
      acc(3),
      done(1, 'stp', 30),
      mod(3, 100, 20, true),
      trade(2, 3, 100, 20),
      done(3, 'filled', 0),
      lvl('sell', 100, 10, 1),
    ],
  },
  {
    name: 'stp decrement_cancel, taker larger with nothing else: the decremented remainder rests',
    setup: [sell(1, 100, 30, { o: 7 })],
    cmds: [buy(2, 100, 50, { o: 7, stp: 'decrement_cancel' })],
    events: [
      acc(2),
      done(1, 'stp', 30),
      mod(2, 100, 20, true),
      lvl('sell', 100, 0, 0),
      lvl('buy', 100, 20, 1),
    ],
    book: { bids: [[100, 20, 1]], asks: [] },
  },
  {
    name: 'stp decrement_cancel, maker larger: maker decremented keeps its place, taker ends',
    setup: [sell(1, 100, 50, { o: 7 }), sell(2, 100, 30, { o: 8 })],
    cmds: [buy(3, 100, 30, { o: 7, stp: 'decrement_cancel' })],
    events: [acc(3), mod(1, 100, 20, true), done(3, 'stp', 30), lvl('sell', 100, 50, 2)],
    l3: {
      asks: [
        {
          price: 100,
          orders: [
            { orderId: 1, qty: 20 },
            { orderId: 2, qty: 30 },
          ],
        },
      ],
    },
  },
  {
    name: 'stp decrement_cancel, equal: both end',
    setup: [sell(1, 100, 30, { o: 7 })],
    cmds: [buy(2, 100, 30, { o: 7, stp: 'decrement_cancel' })],
    events: [acc(2), done(1, 'stp', 30), done(2, 'stp', 30), lvl('sell', 100, 0, 0)],
    book: { bids: [], asks: [] },
  },
  {
    name: "stp: the taker's mode applies, not the maker's",
    setup: [sell(1, 100, 30, { o: 7, stp: 'none' })],
    cmds: [buy(2, 100, 30, { o: 7 })],
    events: [acc(2), done(2, 'stp', 30)],
    book: { bids: [], asks: [[100, 30, 1]] },
  },
];

const MODIFY: Scenario[] = [
  {
    name: 'modify: smaller qty at the same price keeps priority',
    setup: [buy(1, 100, 50), buy(2, 100, 50)],
    cmds: [modify(1, { qty: 30 })],
    events: [mod(1, 100, 30, true), lvl('buy', 100, 80, 2)],
    l3: {
      bids: [
        {
          price: 100,
          orders: [
            { orderId: 1, qty: 30 },
            { orderId: 2, qty: 50 },
          ],
        },
      ],
    },
  },
  {
    name: 'modify: same price and same qty keeps priority and touches no level',
    setup: [buy(1, 100, 50), buy(2, 100, 50)],
    cmds: [modify(1, { qty: 50 }), modify(2, { price: 100 }), modify(1, {})],
    events: [mod(1, 100, 50, true), mod(2, 100, 50, true), mod(1, 100, 50, true)],
  },
  {
    name: 'modify: larger qty loses priority',
    setup: [buy(1, 100, 50), buy(2, 100, 50)],
    cmds: [modify(1, { qty: 70 })],
    events: [{ ...mod(1, 100, 70, false), side: 'buy', symbol: 'AAA' }, lvl('buy', 100, 120, 2)],
    l3: {
      bids: [
        {
          price: 100,
          orders: [
            { orderId: 2, qty: 50 },
            { orderId: 1, qty: 70 },
          ],
        },
      ],
    },
  },
  {
    name: 'modify: a new price loses priority (back of the queue there)',
    setup: [buy(1, 100, 50), buy(2, 95, 50)],
    cmds: [modify(1, { price: 95 })],
    events: [mod(1, 95, 50, false), lvl('buy', 100, 0, 0), lvl('buy', 95, 100, 2)],
    l3: {
      bids: [
        {
          price: 95,
          orders: [
            { orderId: 2, qty: 50 },
            { orderId: 1, qty: 50 },
          ],
        },
      ],
    },
  },
  {
    name: 'modify: the open qty after a partial fill is what gets replaced',
    setup: [sell(1, 100, 50), buy(2, 100, 20)],
    cmds: [modify(1, { qty: 40 })],
    events: [mod(1, 100, 40, false), lvl('sell', 100, 40, 1)],
  },
  {
    name: 'modify: a crossing price trades first, as the taker, and rests the rest',
    setup: [buy(1, 90, 50), sell(2, 100, 30)],
    cmds: [modify(1, { price: 100 })],
    events: [
      mod(1, 100, 50, false),
      trade(2, 1, 100, 30, { takerSide: 'buy', takerOrderId: 1, takerOwnerId: 1 }),
      done(2, 'filled', 0),
      lvl('buy', 90, 0, 0),
      lvl('sell', 100, 0, 0),
      lvl('buy', 100, 20, 1),
    ],
    book: { bids: [[100, 20, 1]], asks: [] },
  },
  {
    name: 'modify: a crossing modify can fill the order in full',
    setup: [sell(1, 110, 30), buy(2, 95, 40), buy(3, 100, 20)],
    cmds: [modify(1, { price: 95, qty: 50 })],
    events: [
      mod(1, 95, 50, false),
      trade(3, 1, 100, 20, { takerSide: 'sell' }),
      done(3, 'filled', 0),
      trade(2, 1, 95, 30, { takerSide: 'sell' }),
      done(1, 'filled', 0),
      lvl('sell', 110, 0, 0),
      lvl('buy', 100, 0, 0),
      lvl('buy', 95, 10, 1),
    ],
  },
  {
    name: 'modify: a crossing modify keeps its STP mode',
    setup: [
      buy(1, 90, 50, { o: 7, stp: 'cancel_oldest' }),
      sell(2, 100, 30, { o: 7 }),
      sell(3, 100, 30, { o: 8 }),
    ],
    cmds: [modify(1, { price: 100 })],
    events: [
      mod(1, 100, 50, false),
      done(2, 'stp', 30),
      trade(3, 1, 100, 30),
      done(3, 'filled', 0),
      lvl('buy', 90, 0, 0),
      lvl('sell', 100, 0, 0),
      lvl('buy', 100, 20, 1),
    ],
  },
  {
    name: 'modify: a crossing modify under the default STP ends on an own order',
    setup: [buy(1, 90, 50, { o: 7 }), sell(2, 100, 30, { o: 7 })],
    cmds: [modify(1, { price: 100 })],
    events: [mod(1, 100, 50, false), done(1, 'stp', 50), lvl('buy', 90, 0, 0)],
    book: { bids: [], asks: [[100, 30, 1]] },
  },
  {
    name: 'modify: a post-only order that would cross is rejected and stays as it was',
    setup: [buy(1, 90, 50, { postOnly: true }), sell(2, 100, 30)],
    cmds: [modify(1, { price: 100 })],
    events: [rej('POST_ONLY_WOULD_CROSS', { command: 'modify', orderId: 1 })],
    book: { bids: [[90, 50, 1]], asks: [[100, 30, 1]] },
  },
  {
    name: 'modify: a post-only order may move to a price that does not cross',
    setup: [buy(1, 90, 50, { postOnly: true }), sell(2, 100, 30)],
    cmds: [modify(1, { price: 95 })],
    events: [mod(1, 95, 50, false), lvl('buy', 90, 0, 0), lvl('buy', 95, 50, 1)],
  },
  {
    name: 'modify: a pending stop → NOT_MODIFIABLE',
    setup: [stopMarket('buy', 1, 100, 30)],
    cmds: [modify(1, { qty: 20 })],
    events: [rej('NOT_MODIFIABLE', { command: 'modify', orderId: 1 })],
  },
  {
    name: 'modify: unknown, ended or other-instrument ids → UNKNOWN_ORDER_ID',
    setup: [sell(1, 100, 20), buy(2, 100, 20), buy(3, 90, 20)],
    cmds: [modify(99, { qty: 20 }), modify(1, { qty: 20 }), modify(3, { qty: 20 }, 'BBB')],
    events: [
      rej('UNKNOWN_ORDER_ID', { command: 'modify', orderId: 99 }),
      rej('UNKNOWN_ORDER_ID', { orderId: 1 }),
      rej('UNKNOWN_ORDER_ID', { orderId: 3, symbol: 'BBB' }),
    ],
  },
  {
    name: 'modify: fields are validated (qty, then price) before the order is looked up',
    setup: [buy(1, 90, 50)],
    cmds: [
      modify(99, { qty: 25 }),
      modify(99, { price: 91 }),
      modify(1, { qty: 0, price: -5 }),
      modify(1, { qty: 10 }),
      modify(1, { qty: 20_000 }),
      modify(1, { price: 20_000 }),
      modify(-1, { qty: 25 }),
    ],
    events: [
      rej('BAD_LOT'),
      rej('BAD_TICK'),
      rej('NON_POSITIVE_SIZE'),
      rej('BELOW_MIN_SIZE'),
      rej('OUT_OF_RANGE'),
      rej('OUT_OF_RANGE'),
      rej('INVALID_ID'),
    ],
    book: { bids: [[90, 50, 1]], asks: [] },
  },
];

const CANCEL: Scenario[] = [
  {
    name: 'cancel: a resting order ends cancelled with its open qty',
    setup: [buy(1, 100, 50), buy(2, 100, 30)],
    cmds: [cancel(1)],
    events: [done(1, 'cancelled', 50, { side: 'buy', ownerId: 1, symbol: 'AAA' }), lvl('buy', 100, 30, 1)],
  },
  {
    name: 'cancel: a partially filled order reports what was left',
    setup: [buy(1, 100, 50), sell(2, 100, 20)],
    cmds: [cancel(1)],
    events: [done(1, 'cancelled', 30), lvl('buy', 100, 0, 0)],
    book: { bids: [], asks: [] },
  },
  {
    name: 'cancel: unknown, ended or other-instrument ids → UNKNOWN_ORDER_ID; bad id → INVALID_ID',
    setup: [sell(1, 100, 20), buy(2, 100, 20), buy(3, 90, 20)],
    cmds: [cancel(1), cancel(3, 'BBB'), cancel(-1), cancel(2 ** 53)],
    events: [
      rej('UNKNOWN_ORDER_ID', { command: 'cancel', orderId: 1, symbol: 'AAA' }),
      rej('UNKNOWN_ORDER_ID', { orderId: 3, symbol: 'BBB' }),
      rej('INVALID_ID', { command: 'cancel', orderId: -1 }),
      rej('INVALID_ID', { command: 'cancel' }),
    ],
  },
  {
    name: 'cancel: an id may be reused once its order ended',
    setup: [buy(1, 100, 20), cancel(1)],
    cmds: [buy(1, 95, 20)],
    events: [acc(1), lvl('buy', 95, 20, 1)],
  },
];

const MASS_CANCEL: Scenario[] = [
  {
    name: 'mass cancel one instrument: bids best first (FIFO within), then asks, then stops',
    setup: [
      buy(1, 95, 20, { o: 7 }),
      buy(2, 100, 20, { o: 7 }),
      buy(3, 100, 20, { o: 8 }),
      buy(9, 100, 30, { o: 7 }),
      sell(4, 110, 20, { o: 7 }),
      sell(5, 105, 20, { o: 7 }),
      stopMarket('buy', 6, 120, 20, { o: 7 }),
      stopMarket('sell', 7, 50, 20, { o: 7 }),
      stopMarket('sell', 8, 50, 20, { o: 8 }),
      buy(8, 50, 20, { o: 7, sym: 'BBB' }),
    ],
    cmds: [massCancel(7, 'AAA')],
    events: [
      done(2, 'mass_cancelled', 20, { ownerId: 7, side: 'buy', symbol: 'AAA' }),
      done(9, 'mass_cancelled', 30),
      done(1, 'mass_cancelled', 20),
      done(5, 'mass_cancelled', 20, { side: 'sell' }),
      done(4, 'mass_cancelled', 20),
      done(6, 'mass_cancelled', 20),
      done(7, 'mass_cancelled', 20),
      lvl('buy', 100, 20, 1),
      lvl('buy', 95, 0, 0),
      lvl('sell', 105, 0, 0),
      lvl('sell', 110, 0, 0),
    ],
    book: { bids: [[100, 20, 1]], asks: [] },
    l3: { stops: [{ orderId: 8, ownerId: 8 }] },
  },
  {
    name: 'mass cancel all instruments: in configuration order, levels last',
    setup: [
      buy(1, 50, 20, { o: 7, sym: 'BBB' }),
      buy(1, 100, 20, { o: 7 }),
      sell(2, 110, 20, { o: 7, sym: 'BBB' }),
    ],
    cmds: [massCancel(7)],
    events: [
      done(1, 'mass_cancelled', 20, { symbol: 'AAA' }),
      done(1, 'mass_cancelled', 20, { symbol: 'BBB' }),
      done(2, 'mass_cancelled', 20, { symbol: 'BBB' }),
      lvl('buy', 100, 0, 0, { symbol: 'AAA' }),
      lvl('buy', 50, 0, 0, { symbol: 'BBB' }),
      lvl('sell', 110, 0, 0, { symbol: 'BBB' }),
    ],
    symbol: 'BBB',
    book: { bids: [], asks: [] },
  },
  {
    name: 'mass cancel with nothing open emits nothing',
    setup: [buy(1, 100, 20, { o: 8 })],
    cmds: [massCancel(7), massCancel(7, 'AAA')],
    events: [],
    book: { bids: [[100, 20, 1]], asks: [] },
  },
  {
    name: 'mass cancel: bad owner → INVALID_ID, unknown symbol → UNKNOWN_SYMBOL',
    setup: [buy(1, 100, 20)],
    cmds: [massCancel(-1), massCancel(1.5, 'AAA'), massCancel(1, 'ZZZ'), massCancel(-1, 'ZZZ')],
    events: [
      rej('INVALID_ID', { command: 'mass_cancel', orderId: -1 }),
      rej('INVALID_ID', { command: 'mass_cancel', orderId: -1, symbol: 'AAA' }),
      rej('UNKNOWN_SYMBOL', { command: 'mass_cancel', orderId: -1, symbol: 'ZZZ' }),
      rej('UNKNOWN_SYMBOL', { command: 'mass_cancel', orderId: -1, symbol: 'ZZZ' }),
    ],
    book: { bids: [[100, 20, 1]], asks: [] },
  },
];

const bad = <T>(v: unknown): T => v as T;

const VALIDATION: Scenario[] = [
  {
    name: 'STALE_TIMESTAMP: time never goes back (equal is fine)',
    cmds: [buy(1, 100, 20, { ts: 2_000 }), buy(2, 100, 20, { ts: 1_999 }), buy(3, 100, 20, { ts: 2_000 })],
    events: [
      acc(1),
      lvl('buy', 100, 20, 1),
      rej('STALE_TIMESTAMP', { command: 'new', orderId: 2, symbol: 'AAA' }),
      acc(3),
      lvl('buy', 100, 40, 2),
    ],
  },
  {
    name: 'STALE_TIMESTAMP: applies to cancel, modify and mass cancel',
    setup: [buy(1, 100, 20, { ts: 5_000 })],
    cmds: [
      cancel(1, 'AAA', 4_000),
      { ...modify(1, { qty: 20 }), tsUs: 4_000 },
      { ...massCancel(1), tsUs: 4_000 },
    ],
    events: [
      rej('STALE_TIMESTAMP', { command: 'cancel' }),
      rej('STALE_TIMESTAMP', { command: 'modify' }),
      rej('STALE_TIMESTAMP', { command: 'mass_cancel' }),
    ],
  },
  {
    name: 'UNKNOWN_SYMBOL',
    cmds: [buy(1, 100, 20, { sym: 'ZZZ' }), cancel(1, 'ZZZ'), modify(1, { qty: 20 }, 'ZZZ')],
    events: [
      rej('UNKNOWN_SYMBOL', { symbol: 'ZZZ', command: 'new', orderId: 1 }),
      rej('UNKNOWN_SYMBOL', { command: 'cancel' }),
      rej('UNKNOWN_SYMBOL', { command: 'modify' }),
    ],
  },
  {
    name: 'INVALID_ID: order and owner ids must be non-negative safe integers',
    cmds: [
      buy(-1, 100, 20),
      buy(1.5, 100, 20),
      buy(2 ** 53, 100, 20),
      buy(1, 100, 20, { o: -3 }),
      buy(1, 100, 20, { o: 0.5 }),
    ],
    events: [
      rej('INVALID_ID', { orderId: -1 }),
      rej('INVALID_ID', { orderId: 1.5 }),
      rej('INVALID_ID'),
      rej('INVALID_ID', { orderId: 1 }),
      rej('INVALID_ID', { orderId: 1 }),
    ],
  },
  {
    name: 'INVALID_ORDER: forbidden field combinations and unknown strings',
    setup: [sell(50, 100, 20), buy(51, 90, 20)],
    cmds: [
      buy(1, 100, 20, { postOnly: true, tif: 'IOC' }),
      buy(2, 100, 20, { postOnly: true, tif: 'FOK' }),
      market('buy', 3, 20, { postOnly: true }),
      stopLimit('buy', 4, 120, 125, 20, { postOnly: true }),
      market('buy', 5, 20, { tif: 'FOK' }),
      market('buy', 6, 20, { tif: 'GTC' }),
      stopMarket('buy', 7, 120, 20, { tif: 'FOK' }),
      stopMarket('buy', 8, 120, 20, { tif: 'GTC' }),
      buy(9, 100, 20, { stopPrice: 95 }),
      market('buy', 10, 20, { stopPrice: 95 }),
      order(bad('up'), 'limit', 11, 20, { price: 100 }),
      order('buy', bad('iceberg'), 12, 20, { price: 100 }),
      buy(13, 100, 20, { tif: bad('DAY') }),
      buy(14, 100, 20, { stp: bad('cancel_everything') }),
    ],
    events: Array.from({ length: 14 }, (_, i) => rej('INVALID_ORDER', { orderId: i + 1, command: 'new' })),
  },
  {
    name: 'NON_POSITIVE_SIZE',
    cmds: [buy(1, 100, 0), sell(2, 100, -20)],
    events: [rej('NON_POSITIVE_SIZE'), rej('NON_POSITIVE_SIZE')],
  },
  {
    name: 'OUT_OF_RANGE: qty above max or not a safe integer, price or stop above max',
    cmds: [
      buy(1, 100, 10_010),
      buy(2, 100, 25.5),
      buy(3, 100, 2 ** 60),
      buy(4, 10_005, 20),
      stopMarket('buy', 5, 10_005, 20),
      market('buy', 6, 20, { price: 10_005 }),
    ],
    events: Array.from({ length: 6 }, () => rej('OUT_OF_RANGE')),
  },
  {
    name: 'BAD_LOT and BELOW_MIN_SIZE',
    cmds: [buy(1, 100, 25), buy(2, 100, 10), buy(3, 100, 20)],
    events: [rej('BAD_LOT'), rej('BELOW_MIN_SIZE'), acc(3), lvl('buy', 100, 20, 1)],
  },
  {
    name: 'MISSING_PRICE and MISSING_STOP_PRICE',
    cmds: [
      order('buy', 'limit', 1, 20),
      order('buy', 'stop_limit', 2, 20, { stopPrice: 100 }),
      order('buy', 'stop_market', 3, 20),
      order('buy', 'stop_limit', 4, 20, { price: 100 }),
      order('buy', 'stop_limit', 5, 20),
    ],
    events: [
      rej('MISSING_PRICE'),
      rej('MISSING_PRICE'),
      rej('MISSING_STOP_PRICE'),
      rej('MISSING_STOP_PRICE'),
      rej('MISSING_PRICE'),
    ],
  },
  {
    name: 'NON_POSITIVE_PRICE and BAD_TICK',
    setup: [sell(50, 100, 20)],
    cmds: [
      buy(1, 0, 20),
      buy(2, -5, 20),
      stopMarket('buy', 3, 0, 20),
      market('buy', 4, 20, { price: -5 }),
      buy(5, 101, 20),
      stopLimit('buy', 6, 103, 100, 20),
      market('buy', 7, 20, { price: 102 }),
    ],
    events: [
      rej('NON_POSITIVE_PRICE'),
      rej('NON_POSITIVE_PRICE'),
      rej('NON_POSITIVE_PRICE'),
      rej('NON_POSITIVE_PRICE'),
      rej('BAD_TICK'),
      rej('BAD_TICK'),
      rej('BAD_TICK'),
    ],
  },
  {
    name: 'DUPLICATE_ORDER_ID: open resting orders and pending stops',
    setup: [buy(1, 90, 20), stopMarket('buy', 2, 120, 20)],
    cmds: [sell(1, 110, 20), buy(2, 90, 20), stopMarket('sell', 1, 50, 20), buy(1, 90, 20, { sym: 'BBB' })],
    events: [
      rej('DUPLICATE_ORDER_ID', { orderId: 1 }),
      rej('DUPLICATE_ORDER_ID', { orderId: 2 }),
      rej('DUPLICATE_ORDER_ID', { orderId: 1 }),
      acc(1, { symbol: 'BBB' }),
      lvl('buy', 90, 20, 1, { symbol: 'BBB' }),
    ],
  },
  {
    name: 'validation order: the first failing check wins',
    setup: [sell(50, 100, 20), buy(51, 90, 20)],
    cmds: [
      buy(-1, 101, 0, { postOnly: true, tif: 'IOC' }),
      buy(1, 101, 0, { postOnly: true, tif: 'IOC' }),
      buy(2, 101, 0),
      buy(3, 101, 10_010),
      buy(4, 101, 25),
      buy(5, 101, 10),
      order('buy', 'stop_limit', 6, 20),
      buy(7, 101, 20),
      buy(50, 100, 20, { postOnly: true }),
      buy(51, 100, 20, { tif: 'FOK', postOnly: false }),
      buy(-1, 101, 20, { sym: 'ZZZ' }),
      buy(9, 101, 20, { stopPrice: 0 }),
      order('buy', 'limit', 10, 20, { stopPrice: 100 }),
      market('buy', 11, 25, { tif: 'GTC' }),
      stopLimit('buy', 12, 0, 101, 20),
      stopLimit('buy', 13, 20_000, 101, 20),
      cancel(-1, 'ZZZ', 1),
    ],
    events: [
      rej('INVALID_ID'),
      rej('INVALID_ORDER'),
      rej('NON_POSITIVE_SIZE'),
      rej('OUT_OF_RANGE'),
      rej('BAD_LOT'),
      rej('BELOW_MIN_SIZE'),
      rej('MISSING_PRICE'),
      rej('BAD_TICK'),
      rej('DUPLICATE_ORDER_ID'),
      rej('DUPLICATE_ORDER_ID'),
      rej('UNKNOWN_SYMBOL'),
      rej('INVALID_ORDER'),
      rej('INVALID_ORDER'),
      rej('INVALID_ORDER'),
      rej('NON_POSITIVE_PRICE'),
      rej('OUT_OF_RANGE'),
      rej('STALE_TIMESTAMP'),
    ],
  },
];

const SCENARIOS: readonly Scenario[] = [
  ...LIMIT,
  ...MARKET,
  ...STOPS,
  ...TIME_IN_FORCE,
  ...POST_ONLY,
  ...STP,
  ...MODIFY,
  ...CANCEL,
  ...MASS_CANCEL,
  ...VALIDATION,
];

describe.each(IMPLEMENTATIONS)('$name', (impl) => {
  test.each(SCENARIOS)('$name', (s) => {
    const events: EngineEvent[] = [];
    const engine = impl.create(TEST_INSTRUMENTS, (e) => events.push(e));
    const all = stamp([...(s.setup ?? []), ...s.cmds]);
    const setup = all.slice(0, s.setup?.length ?? 0);
    for (const cmd of setup) engine.submit(cmd);
    expect(events.filter((e) => e.type === 'rejected')).toEqual([]);
    events.length = 0;
    const books = () => TEST_INSTRUMENTS.map((i) => engine.l3(i.symbol));
    let clockUs = Math.max(0, ...setup.map((c) => c.tsUs));
    for (const cmd of all.slice(setup.length)) {
      const before = books();
      const from = events.length;
      engine.submit(cmd);
      const own = events.slice(from);
      // README rule 1: a refused command leaves every book unchanged (stateHash: see determinism.test.ts).
      if (own.length === 1 && own[0]?.type === 'rejected') expect(books()).toEqual(before);
      // Events carry the command's time, but a stale command's rejection carries the clock: never backwards.
      for (const e of own) expect(e.tsUs).toBe(Math.max(clockUs, cmd.tsUs));
      clockUs = Math.max(clockUs, cmd.tsUs);
    }
    if (s.events !== undefined) {
      expect(events.map(strip)).toMatchObject(s.events);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => (events[0]?.seq ?? 0) + i));
    }
    const symbol = s.symbol ?? 'AAA';
    if (s.book !== undefined) expect(engine.l2(symbol)).toMatchObject(s.book);
    if (s.l3 !== undefined) expect(engine.l3(symbol)).toMatchObject(s.l3);
  });
});

test('every reject code is covered by at least one scenario', () => {
  const covered = new Set(
    SCENARIOS.flatMap((s) => s.events ?? []).flatMap((e) => (e.type === 'rejected' ? [e.code] : [])),
  );
  expect(Object.keys(REJECT_CODES).filter((code) => !covered.has(code))).toEqual([]);
});
