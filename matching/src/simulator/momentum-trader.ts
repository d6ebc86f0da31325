import type { Command } from '../commands.ts';
import { type Agent, type AgentContext, farthestFromFair, pickOne } from './agent.ts';
import { FAIR_FP } from './fair-price.ts';
import { ASKS, BIDS, STOPS } from './order-tracker.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** Most open orders a momentum trader keeps per instrument. */
const MAX_OPEN = 4;
/** Per 1024: when it has open orders and no signal, cancel one. */
const CANCEL_P = 400;
/** The trend must exceed this fraction (1/n) of a quoting unit: fast EMA − slow EMA of trade prices. */
const SIGNAL_DIVISOR = 2;
/** Per 1024, on a signal: take liquidity (IOC); else join the touch, or (STOP_P) place a breakout stop. */
const TAKE_P = 560;
const STOP_P = 120;

/**
 * A momentum trader: follows recent trade prices (a fast and a slow moving average of the last trades).
 * On a trend it buys (sells) aggressively, joins the touch on the trend's side, or places breakout stops;
 * without one it cancels its leftovers or stays out.
 */
export class MomentumTrader implements Agent {
  constructor(
    readonly index: number,
    readonly ownerId: number,
    private readonly ctx: AgentContext,
  ) {}

  act(inst: SimInstrument): Command | undefined {
    const { orders, rng, commands } = this.ctx;
    const bids = orders.list(this.index, inst, BIDS);
    const asks = orders.list(this.index, inst, ASKS);
    const stops = orders.list(this.index, inst, STOPS);
    const u = inst.unit;
    const signal = inst.emaFastFp - inst.emaSlowFp;
    const threshold = Math.floor((u * FAIR_FP) / SIGNAL_DIVISOR);
    const open = bids.length + asks.length + stops.length;
    const trending = signal > threshold || signal < -threshold;
    if (open >= MAX_OPEN || (open > 0 && !trending && rng.chance(CANCEL_P))) {
      const target = bids.length + asks.length > 0 ? farthestFromFair(inst, bids, asks) : pickOne(rng, stops);
      if (target !== undefined) return commands.cancel(inst, target.orderId);
    }
    if (!trending) return undefined;
    const buy = signal > 0;
    const fair = inst.fair.ticks;
    const r = rng.u1024();
    const qty = inst.qtyFromPct(inst.drawSizePct(rng));
    if (r < TAKE_P) {
      const limit = buy ? fair + u * rng.between(1, 3) : fair + 1 - u * rng.between(1, 3);
      return commands.limit(this.ownerId, inst, buy, limit, qty, true, 'IOC');
    }
    if (r < TAKE_P + STOP_P) {
      const last = inst.lastTradeTicks === 0 ? fair : inst.lastTradeTicks;
      const away = u * rng.between(2, 8);
      const stop = buy ? Math.max(fair, last) + away : Math.min(fair, last) - away;
      if (stop > 0) return commands.stop(this.ownerId, inst, buy, stop, qty, 0);
    }
    const ticks = buy ? fair - Math.floor(u / 2) : fair + 1 + Math.floor(u / 2);
    return commands.limit(this.ownerId, inst, buy, ticks, qty, false);
  }
}
