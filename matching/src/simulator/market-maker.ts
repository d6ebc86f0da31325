import type { Command } from '../commands.ts';
import { type Agent, type AgentContext, pickOne } from './agent.ts';
import { ASKS, BIDS, type OpenOrder } from './order-tracker.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** Where a market maker quotes, in quoting units of its instrument. */
export interface MakerProfile {
  /** distance of its best level from the fair price's unit (0 = at the fair price's unit) */
  readonly innerUnits: number;
  /** levels per side */
  readonly levels: number;
  /** its levels sit on multiples of this many units (an absolute grid, so a small move shifts only the ends) */
  readonly spacingUnits: number;
  /** per-level size cap in percent of the median size */
  readonly maxSizePct: number;
}

/**
 * Three makers, overlapping: together they keep ~15 distinct levels a side within ~18 units of the fair
 * price, one unit apart near the top and sparser deeper, with a spread of one or two units.
 */
export const MAKER_PROFILES: readonly MakerProfile[] = [
  { innerUnits: 0, levels: 8, spacingUnits: 1, maxSizePct: 120 },
  { innerUnits: 1, levels: 8, spacingUnits: 2, maxSizePct: 180 },
  { innerUnits: 2, levels: 6, spacingUnits: 3, maxSizePct: 250 },
];

/** Levels nearer than this are refilled before deep stale quotes are pulled. */
const INNER_LEVELS = 2;
/** Quotes this many spacings beyond the deepest level are stale. */
const DEEP_SLACK_SPACINGS = 2;
/** Per 1024: a stale quote is moved with a modify instead of cancelled. */
const MOVE_STALE_P = 256;
/** Per 1024, once the ladder is complete: cancel a random quote (it is re-placed, at the back of the queue). */
const CHURN_CANCEL_P = 200;
/** Per 1024, once the ladder is complete: resize a random quote. */
const CHURN_RESIZE_P = 50;

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * A market maker: keeps a ladder of quotes on both sides around the fair price. Each turn it makes the one
 * change the ladder needs most — pull (or move) a quote the fair price has run through, fill the nearest
 * missing level, pull a quote left too deep, fill deeper levels — and when nothing is needed it churns a
 * little (cancel/re-place, resize) like real quoting engines do.
 */
export class MarketMaker implements Agent {
  constructor(
    readonly index: number,
    readonly ownerId: number,
    private readonly profile: MakerProfile,
    private readonly ctx: AgentContext,
  ) {}

  act(inst: SimInstrument): Command | undefined {
    const { orders, rng } = this.ctx;
    const { innerUnits, levels, spacingUnits: sp } = this.profile;
    const u = inst.unit;
    const g = floorDiv(inst.fair.ticks, u);
    // Best bid and ask grid indices (in units): bids ≤ fair, asks > fair.
    const bidTop = floorDiv(g - innerUnits, sp) * sp;
    const askTop = -floorDiv(-(g + 1 + innerUnits), sp) * sp;
    const bids = orders.list(this.index, inst, BIDS);
    const asks = orders.list(this.index, inst, ASKS);

    // 1. A quote on the wrong side of where it should be: the fair price has run through it.
    let stale: OpenOrder | undefined;
    let staleBy = 0;
    for (const o of bids) {
      const d = o.priceTicks - bidTop * u;
      if (d > staleBy) {
        staleBy = d;
        stale = o;
      }
    }
    for (const o of asks) {
      const d = askTop * u - o.priceTicks;
      if (d > staleBy) {
        staleBy = d;
        stale = o;
      }
    }
    if (stale !== undefined) {
      const top = (stale.buy ? bidTop : askTop) * u;
      if (rng.chance(MOVE_STALE_P) && !this.has(stale.buy ? bids : asks, top)) {
        return this.ctx.commands.modify(inst, stale.orderId, top, undefined);
      }
      return this.ctx.commands.cancel(inst, stale.orderId);
    }

    // 2. The nearest missing levels; the side to look at first is random so neither side gets the queue first.
    const bidFirst = rng.chance(512);
    const inner = this.fillMissing(inst, bids, asks, bidTop, askTop, 0, INNER_LEVELS, bidFirst);
    if (inner !== undefined) return inner;

    // 3. Quotes left far behind.
    const deepBid = (bidTop - (levels - 1 + DEEP_SLACK_SPACINGS) * sp) * u;
    const deepAsk = (askTop + (levels - 1 + DEEP_SLACK_SPACINGS) * sp) * u;
    for (const o of bids) if (o.priceTicks < deepBid) return this.ctx.commands.cancel(inst, o.orderId);
    for (const o of asks) if (o.priceTicks > deepAsk) return this.ctx.commands.cancel(inst, o.orderId);

    // 4. The deeper missing levels.
    const deeper = this.fillMissing(inst, bids, asks, bidTop, askTop, INNER_LEVELS, levels, bidFirst);
    if (deeper !== undefined) return deeper;

    // 5. Churn.
    const r = rng.u1024();
    const side = bids.length > 0 && (asks.length === 0 || rng.chance(512)) ? bids : asks;
    if (side.length === 0) return undefined;
    const o = pickOne(rng, side);
    if (r < CHURN_CANCEL_P) return this.ctx.commands.cancel(inst, o.orderId);
    if (r < CHURN_CANCEL_P + CHURN_RESIZE_P) {
      const qty = inst.qtyFromPct(Math.min(this.profile.maxSizePct, inst.drawSizePct(rng)));
      if (qty !== o.qty) return this.ctx.commands.modify(inst, o.orderId, undefined, qty);
    }
    return undefined;
  }

  /** A new quote for the first missing level `j` in [from, to), looking at both sides level by level. */
  private fillMissing(
    inst: SimInstrument,
    bids: readonly OpenOrder[],
    asks: readonly OpenOrder[],
    bidTop: number,
    askTop: number,
    from: number,
    to: number,
    bidFirst: boolean,
  ): Command | undefined {
    const u = inst.unit;
    const sp = this.profile.spacingUnits;
    for (let j = from; j < to; j++) {
      for (let k = 0; k < 2; k++) {
        const buy = (k === 0) === bidFirst;
        const ticks = (buy ? bidTop - j * sp : askTop + j * sp) * u;
        if (ticks < 1 || ticks > inst.maxTicks) continue;
        if (this.has(buy ? bids : asks, ticks)) continue;
        const { rng } = this.ctx;
        // Deeper levels are bigger: size × (4 + j) / 4.
        const pct = Math.floor((Math.min(this.profile.maxSizePct, inst.drawSizePct(rng)) * (4 + j)) / 4);
        return this.ctx.commands.limit(this.ownerId, inst, buy, ticks, inst.qtyFromPct(pct), false);
      }
    }
    return undefined;
  }

  private has(list: readonly OpenOrder[], ticks: number): boolean {
    for (const o of list) if (o.priceTicks === ticks) return true;
    return false;
  }
}
