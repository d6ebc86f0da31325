import type { Command } from '../commands.ts';
import { type Agent, type AgentContext, farthestFromFair, pickOne } from './agent.ts';
import { ASKS, BIDS, STOPS } from './order-tracker.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** Most open orders (resting and stops) a noise trader keeps per instrument. */
const MAX_OPEN = 12;
/** Per 1024: when it has open orders, cancel one instead of trading. */
const CANCEL_P = 170;
/** Cumulative per-1024 thresholds of the other actions; the rest (from FOK_UNDER) are passive too. */
const PASSIVE_UNDER = 600;
const MARKETABLE_UNDER = 780;
const MARKET_UNDER = 845;
const STOP_UNDER = 885;
const MODIFY_UNDER = 945;
const FOK_UNDER = 958;

/** Per 1024: a passive order is post-only (only away from the touch). */
const POST_ONLY_P = 128;
/** Per 1024: a marketable limit is IOC (else GTC, its remainder rests). */
const IOC_P = 640;

/**
 * A noise trader: uninformed flow. Passive limits scattered near the touch (skewed to the top of the book,
 * any tick, some post-only), marketable limits, small market orders, stop-loss and breakout stops, the
 * odd modify and fill-or-kill; it cancels the order farthest from the fair price when it has too many.
 */
export class NoiseTrader implements Agent {
  constructor(
    readonly index: number,
    readonly ownerId: number,
    private readonly ctx: AgentContext,
  ) {}

  act(inst: SimInstrument): Command {
    const { orders, rng, commands } = this.ctx;
    const bids = orders.list(this.index, inst, BIDS);
    const asks = orders.list(this.index, inst, ASKS);
    const stops = orders.list(this.index, inst, STOPS);
    const open = bids.length + asks.length + stops.length;
    if (open >= MAX_OPEN || (open > 0 && rng.chance(CANCEL_P))) {
      const target =
        stops.length > 0 && (bids.length + asks.length === 0 || rng.chance(256))
          ? pickOne(rng, stops)
          : rng.chance(640)
            ? farthestFromFair(inst, bids, asks)
            : pickOne(rng, bids.length > 0 && (asks.length === 0 || rng.chance(512)) ? bids : asks);
      if (target !== undefined) return commands.cancel(inst, target.orderId);
    }

    const r = rng.u1024();
    const buy = rng.chance(512);
    const u = inst.unit;
    const fair = inst.fair.ticks;
    if (r >= PASSIVE_UNDER && r < MARKETABLE_UNDER) {
      const limit = buy ? fair + u * rng.between(1, 4) : fair + 1 - u * rng.between(1, 4);
      const qty = inst.qtyFromPct(inst.drawSizePct(rng));
      return commands.limit(this.ownerId, inst, buy, limit, qty, true, rng.chance(IOC_P) ? 'IOC' : 'GTC');
    }
    if (r >= MARKETABLE_UNDER && r < MARKET_UNDER && (buy ? inst.restingAsks : inst.restingBids) > 0) {
      const qty = inst.qtyFromPct(Math.min(150, inst.drawSizePct(rng)));
      const protection = rng.chance(512) ? (buy ? fair + 8 * u : fair - 8 * u) : 0;
      return commands.market(this.ownerId, inst, buy, qty, protection);
    }
    if (r >= MARKET_UNDER && r < STOP_UNDER) {
      // Stops sit beyond both the fair and the last trade price so they never trigger on arrival.
      const last = inst.lastTradeTicks === 0 ? fair : inst.lastTradeTicks;
      const away = u * rng.between(3, 15);
      const stop = buy ? Math.max(fair, last) + away : Math.min(fair, last) - away;
      const qty = inst.qtyFromPct(inst.drawSizePct(rng));
      if (stop > 0) {
        const limit = rng.chance(512) ? 0 : buy ? stop + u * rng.between(1, 4) : stop - u * rng.between(1, 4);
        if (limit >= 0) return commands.stop(this.ownerId, inst, buy, stop, qty, limit);
      }
    }
    if (r >= STOP_UNDER && r < MODIFY_UNDER && bids.length + asks.length > 0) {
      const o = pickOne(rng, bids.length > 0 && (asks.length === 0 || rng.chance(512)) ? bids : asks);
      if (rng.chance(512))
        return commands.modify(inst, o.orderId, undefined, inst.qtyFromPct(inst.drawSizePct(rng)));
      const step = rng.chance(512) ? u : -u;
      return commands.modify(inst, o.orderId, o.priceTicks + step, undefined);
    }
    if (r >= MODIFY_UNDER && r < FOK_UNDER) {
      const limit = buy ? fair + 2 * u : fair + 1 - 2 * u;
      const qty = inst.qtyFromPct(Math.min(80, inst.drawSizePct(rng)));
      return commands.limit(this.ownerId, inst, buy, limit, qty, true, 'FOK');
    }
    return this.passive(inst, buy);
  }

  /** A passive limit: depth skewed to the top of the book, at any tick, some post-only. */
  private passive(inst: SimInstrument, buy: boolean): Command {
    const { rng, commands } = this.ctx;
    const u = inst.unit;
    const fair = inst.fair.ticks;
    // depth in units: the product of two uniforms puts most orders near the touch
    const depth = Math.floor((rng.below(8) * rng.below(8)) / 4);
    const offset = Math.floor(u / 2) + depth * u + (u > 1 ? rng.below(u) : 0);
    const ticks = buy ? fair - offset : fair + 1 + offset;
    const postOnly = depth > 0 && rng.chance(POST_ONLY_P);
    const qty = inst.qtyFromPct(inst.drawSizePct(rng));
    return commands.limit(this.ownerId, inst, buy, ticks, qty, false, 'GTC', postOnly);
  }
}
