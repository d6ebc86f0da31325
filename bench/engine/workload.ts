import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Command, Side, TimeInForce } from '../../matching/src/index.ts';
import { BookModel, type ModelSide } from './book-model.ts';
import { type PeerCommand, peerOrderId } from './peer-adapter.ts';

/** How a workload is generated. Same config ⇒ same command sequence, byte for byte. */
export interface WorkloadConfig {
  /** seed of the xoroshiro128+ generator */
  readonly seed: number;
  /** number of resting orders (both sides) the sequence keeps the book near */
  readonly resting: number;
  /** price levels per side over which passive orders are spread, from the mid outwards */
  readonly levels: number;
  readonly symbol: string;
  /** starting mid price in ticks (6_500_000 = 65,000.00 at a 0.01 tick) */
  readonly startPriceTicks: number;
  /** also build the equivalent nodejs-order-book calls (off for the ours-only memory run) */
  readonly withPeer: boolean;
}

/** The default shape: BTC-USD around 65,000.00, 1000 resting orders over ~20 levels per side. */
export const DEFAULT_WORKLOAD: WorkloadConfig = {
  seed: 1,
  resting: 1000,
  levels: 20,
  symbol: 'BTC-USD',
  startPriceTicks: 6_500_000,
  withPeer: true,
};

/** Intended shares of the mix, in percent of commands. */
export const MIX_PERCENT = { passive: 55, cancel: 30, marketable: 10, market: 5 } as const;

/** What one generated stretch of commands turned out to contain. */
export interface MixStats {
  readonly commands: number;
  /** limit GTC orders that rest without trading */
  readonly passive: number;
  /** cancels, each of an order resting at that point */
  readonly cancel: number;
  /** limit orders priced through the opposite touch, by time in force */
  readonly marketableGtc: number;
  readonly marketableIoc: number;
  readonly marketableFok: number;
  /** FOK orders that both books must reject (not fillable in full) */
  readonly fokNotFillable: number;
  readonly market: number;
  /** cancels or takers turned into passive orders because there was nothing to cancel or take */
  readonly fallbacks: number;
  /** resting orders after each command */
  readonly restingMin: number;
  readonly restingMax: number;
  readonly restingMean: number;
  /** price levels per side, sampled every 64 commands */
  readonly bidLevelsMean: number;
  readonly askLevelsMean: number;
}

/** Commands for both books, index for index equivalent. */
export interface WorkloadChunk {
  readonly ours: Command[];
  /** empty when the config has `withPeer: false` */
  readonly peer: PeerCommand[];
  readonly stats: MixStats;
}

const SIDE_NAMES: readonly [Side, Side] = ['buy', 'sell'];
const OWNERS = 64;
const TS_START_US = 1_700_000_000_000_000;
/** percent chance per command that the mid moves one tick */
const DRIFT_PERCENT = 2;
/** taker size relative to a maker's when the book holds exactly `resting` orders */
const TAKER_SIZE = 2;

/**
 * Generates the benchmark's command sequence with a seeded PRNG (no `Math.random`), tracking the book in a
 * `BookModel` so that cancels always name a live order (including ones in the middle of deep queues) and
 * market orders never meet an empty side. Both books get the same ids, prices (integer ticks) and sizes
 * (integer lots); nodejs-order-book gets the ids as `peerOrderId` strings.
 *
 * Self-trade prevention is off (`stp: 'none'`): nodejs-order-book matches orders without an `accountId`
 * freely, and our default (`cancel_newest`) would end takers that meet one of the 64 owners' own orders.
 *
 * Taker sizes follow the book: a maker-sized draw times `TAKER_SIZE · (resting / target)³`, which keeps the
 * resting count near its target without changing the mix.
 */
export class WorkloadGenerator {
  private readonly rng: RandomGenerator;
  private readonly model = new BookModel();
  private nextOrderId = 1;
  private tsUs = TS_START_US;
  private mid: number;

  constructor(private readonly config: WorkloadConfig) {
    this.rng = xoroshiro128plus(config.seed);
    this.mid = config.startPriceTicks;
  }

  /** Orders resting in the model now. */
  get restingCount(): number {
    return this.model.live.length;
  }

  /** `resting` passive orders that fill an empty book (run, untimed, before the measured commands). */
  prefill(): WorkloadChunk {
    const chunk = new ChunkBuilder(this.config.withPeer);
    for (let i = 0; i < this.config.resting; i++) {
      this.passive(chunk);
      chunk.sample(this.model);
    }
    return chunk.finish();
  }

  /** The next `count` commands of the mix. */
  next(count: number): WorkloadChunk {
    const chunk = new ChunkBuilder(this.config.withPeer);
    for (let i = 0; i < count; i++) {
      this.drift();
      const roll = this.int(0, 99);
      if (roll < MIX_PERCENT.passive) this.passive(chunk);
      else if (roll < MIX_PERCENT.passive + MIX_PERCENT.cancel) this.cancel(chunk);
      else if (roll < 100 - MIX_PERCENT.market) this.marketable(chunk);
      else this.market(chunk);
      chunk.sample(this.model);
    }
    return chunk.finish();
  }

  private int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** A slow random walk of the mid, kept next to the touch (takers move the touch, the mid follows). */
  private drift(): void {
    if (this.int(0, 99) < DRIFT_PERCENT) this.mid += this.int(0, 1) * 2 - 1;
    const bid = this.model.best(0);
    const ask = this.model.best(1);
    if (bid !== undefined && this.mid < bid - 1) this.mid = bid - 1;
    if (ask !== undefined && this.mid > ask) this.mid = ask;
  }

  private passive(chunk: ChunkBuilder): void {
    const side = this.int(0, 1) as ModelSide;
    const k = this.int(0, this.config.levels - 1);
    let price: number;
    if (side === 0) {
      price = this.mid - k;
      const ask = this.model.best(1);
      if (ask !== undefined && price >= ask) price = ask - 1;
    } else {
      price = this.mid + 1 + k;
      const bid = this.model.best(0);
      if (bid !== undefined && price <= bid) price = bid + 1;
    }
    const qty = this.makerQty();
    const id = this.nextOrderId++;
    chunk.limit(this.tick(), this.config.symbol, id, this.int(1, OWNERS), side, price, qty, 'GTC');
    chunk.counts.passive++;
    this.model.rest(id, side, price, qty);
  }

  private cancel(chunk: ChunkBuilder): void {
    const live = this.model.live;
    if (live.length === 0) {
      chunk.counts.fallbacks++;
      this.passive(chunk);
      return;
    }
    const order = live[this.int(0, live.length - 1)];
    if (order === undefined) throw new Error('workload: live index out of range');
    chunk.cancel(this.tick(), this.config.symbol, order.id);
    chunk.counts.cancel++;
    this.model.cancel(order);
  }

  private marketable(chunk: ChunkBuilder): void {
    const side = this.int(0, 1) as ModelSide;
    const best = this.model.best((1 - side) as ModelSide);
    if (best === undefined) {
      chunk.counts.fallbacks++;
      this.passive(chunk);
      return;
    }
    const through = this.int(0, 2);
    const price = side === 0 ? best + through : best - through;
    const tifRoll = this.int(0, 9);
    const tif: TimeInForce = tifRoll < 4 ? 'GTC' : tifRoll < 8 ? 'IOC' : 'FOK';
    const qty = this.takerQty();
    const id = this.nextOrderId++;
    chunk.limit(this.tick(), this.config.symbol, id, this.int(1, OWNERS), side, price, qty, tif);
    if (tif === 'FOK') {
      chunk.counts.marketableFok++;
      if (this.model.canFill(side, price, qty)) this.model.take(side, price, qty);
      else chunk.counts.fokNotFillable++;
      return;
    }
    const left = this.model.take(side, price, qty);
    if (tif === 'GTC') {
      chunk.counts.marketableGtc++;
      if (left > 0) this.model.rest(id, side, price, left);
    } else {
      chunk.counts.marketableIoc++;
    }
  }

  private market(chunk: ChunkBuilder): void {
    const side = this.int(0, 1) as ModelSide;
    if (this.model.best((1 - side) as ModelSide) === undefined) {
      chunk.counts.fallbacks++;
      this.passive(chunk);
      return;
    }
    const qty = this.takerQty();
    chunk.market(this.tick(), this.config.symbol, this.nextOrderId++, this.int(1, OWNERS), side, qty);
    chunk.counts.market++;
    this.model.take(side, 0, qty);
  }

  /** 0.001 to 0.020 BTC, in lots of 0.00001. */
  private makerQty(): number {
    return this.int(1, 20) * 100;
  }

  private takerQty(): number {
    const fullness = this.model.live.length / this.config.resting;
    const scale = Math.min(8, Math.max(0.2, TAKER_SIZE * fullness * fullness * fullness));
    return Math.max(1, Math.round(this.makerQty() * scale));
  }

  private tick(): number {
    return this.tsUs++;
  }
}

type MutableCounts = {
  -readonly [K in
    | 'passive'
    | 'cancel'
    | 'marketableGtc'
    | 'marketableIoc'
    | 'marketableFok'
    | 'fokNotFillable'
    | 'market'
    | 'fallbacks']: number;
};

/** Collects one chunk's commands for both books and its statistics. */
class ChunkBuilder {
  readonly ours: Command[] = [];
  readonly peer: PeerCommand[] = [];
  readonly counts: MutableCounts = {
    passive: 0,
    cancel: 0,
    marketableGtc: 0,
    marketableIoc: 0,
    marketableFok: 0,
    fokNotFillable: 0,
    market: 0,
    fallbacks: 0,
  };
  private restingMin = Number.POSITIVE_INFINITY;
  private restingMax = 0;
  private restingSum = 0;
  private levelSamples = 0;
  private bidLevelSum = 0;
  private askLevelSum = 0;

  constructor(private readonly withPeer: boolean) {}

  limit(
    tsUs: number,
    symbol: string,
    orderId: number,
    ownerId: number,
    side: ModelSide,
    price: number,
    qty: number,
    tif: TimeInForce,
  ): void {
    const sideName = SIDE_NAMES[side];
    this.ours.push({
      type: 'new',
      tsUs,
      symbol,
      orderId,
      ownerId,
      side: sideName,
      orderType: 'limit',
      price,
      qty,
      tif,
      stp: 'none',
    });
    if (this.withPeer) {
      this.peer.push({
        op: 'limit',
        id: peerOrderId(orderId),
        side: sideName,
        size: qty,
        price,
        timeInForce: tif,
      });
    }
  }

  market(tsUs: number, symbol: string, orderId: number, ownerId: number, side: ModelSide, qty: number): void {
    const sideName = SIDE_NAMES[side];
    this.ours.push({
      type: 'new',
      tsUs,
      symbol,
      orderId,
      ownerId,
      side: sideName,
      orderType: 'market',
      qty,
      stp: 'none',
    });
    if (this.withPeer) this.peer.push({ op: 'market', side: sideName, size: qty });
  }

  cancel(tsUs: number, symbol: string, orderId: number): void {
    this.ours.push({ type: 'cancel', tsUs, symbol, orderId });
    if (this.withPeer) this.peer.push({ op: 'cancel', id: peerOrderId(orderId) });
  }

  sample(model: BookModel): void {
    const n = model.live.length;
    if (n < this.restingMin) this.restingMin = n;
    if (n > this.restingMax) this.restingMax = n;
    this.restingSum += n;
    if ((this.ours.length & 63) === 0) {
      this.levelSamples++;
      this.bidLevelSum += model.levelCount(0);
      this.askLevelSum += model.levelCount(1);
    }
  }

  finish(): WorkloadChunk {
    const commands = this.ours.length;
    return {
      ours: this.ours,
      peer: this.peer,
      stats: {
        commands,
        ...this.counts,
        restingMin: commands === 0 ? 0 : this.restingMin,
        restingMax: this.restingMax,
        restingMean: commands === 0 ? 0 : this.restingSum / commands,
        bidLevelsMean: this.levelSamples === 0 ? 0 : this.bidLevelSum / this.levelSamples,
        askLevelsMean: this.levelSamples === 0 ? 0 : this.askLevelSum / this.levelSamples,
      },
    };
  }
}
