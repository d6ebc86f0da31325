import type { Command } from '../commands.ts';
import { parseScaled } from '../decimal-format.ts';
import type { EngineEvent } from '../events.ts';
import type { Instrument } from '../instrument.ts';
import { MatchingError } from '../matching-error.ts';
import type { Agent, AgentContext } from './agent.ts';
import { CommandFactory, type SimulatorStats } from './command-factory.ts';
import type { Regime } from './fair-price.ts';
import { MAKER_PROFILES, MarketMaker } from './market-maker.ts';
import { MomentumTrader } from './momentum-trader.ts';
import { NoiseTrader } from './noise-trader.ts';
import { OrderTracker } from './order-tracker.ts';
import { EXP_GAP_Q1024 } from './quantile-tables.ts';
import { RandomSource } from './random-source.ts';
import { SimInstrument } from './sim-instrument.ts';

/** 2026-01-01T00:00:00Z in microseconds: the default start of virtual time, so output is reproducible. */
export const DEFAULT_START_US = 1_767_225_600_000_000;
/** Default mean arrival rate of commands in virtual time, over all instruments. */
export const DEFAULT_ORDERS_PER_SECOND = 1000;
/** Initial prices of the default instruments, as decimal strings; other symbols start at FALLBACK_INITIAL_PRICE. */
export const DEFAULT_INITIAL_PRICES: Readonly<Record<string, string>> = {
  'BTC-USD': '65000',
  'ETH-USD': '3500',
  AMZN: '225',
};
const FALLBACK_INITIAL_PRICE = '100';

/** Owner ids of the agents: makers 101…, noise traders 201…, momentum traders 301…. */
export const MAKER_OWNER_BASE = 101;
export const NOISE_OWNER_BASE = 201;
export const MOMENTUM_OWNER_BASE = 301;
const NOISE_TRADERS = 6;
const MOMENTUM_TRADERS = 2;

/** Per 1024 of commands: a market maker's turn, else a noise trader's (below NOISE_UNDER), else momentum. */
const MAKER_UNDER = 600;
const NOISE_UNDER = 930;
/** Per 1024: after a jump, a maker pulls all its quotes on the instrument (mass cancel). */
const PULL_ON_JUMP_P = 512;

/** Options of `MarketSimulator`. */
export interface SimulatorConfig {
  /** integer in [0, 2^32): the same seed and options give the same command stream */
  readonly seed: number;
  /** the instruments to trade (at least one), in the engine's order */
  readonly instruments: readonly Instrument[];
  /** virtual time of the first command, µs since the Unix epoch; default `DEFAULT_START_US` */
  readonly startUs?: number;
  /** mean commands per second of virtual time (integer ≥ 1); default `DEFAULT_ORDERS_PER_SECOND` */
  readonly ordersPerSecond?: number;
  /** initial fair price per symbol, scaled (a tick multiple); default `DEFAULT_INITIAL_PRICES`, else 100 */
  readonly initialPrices?: Readonly<Record<string, number>>;
}

/**
 * A seeded, deterministic market: agents (market makers, noise traders, momentum traders) trading several
 * instruments around latent fair prices, one command at a time in virtual time. It reads no clock and uses
 * no randomness but its seed; every price and size comes from integer arithmetic. Feed it the engine's
 * events (`onEvent`) so its agents know their open orders and the last trades.
 *
 * @example
 * const sim = new MarketSimulator({ seed: 1, instruments });
 * const engine = new MatchingEngine(instruments, (e) => sim.onEvent(e));
 * for (let i = 0; i < 1000; i++) engine.submit(sim.next());
 */
export class MarketSimulator {
  private readonly rng: RandomSource;
  private readonly instruments: SimInstrument[];
  private readonly bySymbol = new Map<string, SimInstrument>();
  private readonly makers: MarketMaker[] = [];
  private readonly noise: NoiseTrader[] = [];
  private readonly momentum: MomentumTrader[] = [];
  private readonly tracker: OrderTracker;
  private readonly factory: CommandFactory;
  /** 1024 · ordersPerSecond: a gap is 10^6 · EXP_GAP_Q1024[i] / gapDivisor µs */
  private readonly gapDivisor: number;

  constructor(config: SimulatorConfig) {
    const { seed, instruments } = config;
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
      throw new MatchingError('BAD_SIMULATOR_CONFIG', `seed must be an integer in [0, 2^32), got ${seed}`);
    }
    if (instruments.length === 0) {
      throw new MatchingError('BAD_SIMULATOR_CONFIG', 'at least one instrument is needed');
    }
    const startUs = config.startUs ?? DEFAULT_START_US;
    if (!Number.isSafeInteger(startUs) || startUs < 0) {
      throw new MatchingError('BAD_SIMULATOR_CONFIG', `startUs must be a non-negative safe integer`);
    }
    const rate = config.ordersPerSecond ?? DEFAULT_ORDERS_PER_SECOND;
    if (!Number.isInteger(rate) || rate < 1 || rate > 10_000_000) {
      throw new MatchingError('BAD_SIMULATOR_CONFIG', `ordersPerSecond must be an integer in [1, 10^7]`);
    }
    this.gapDivisor = 1024 * rate;
    this.rng = new RandomSource(seed);
    this.factory = new CommandFactory(startUs);

    for (const sym of Object.keys(config.initialPrices ?? {})) {
      if (!instruments.some((i) => i.symbol === sym)) {
        throw new MatchingError('BAD_SIMULATOR_CONFIG', `initial price for unknown symbol ${sym}`);
      }
    }
    this.instruments = instruments.map((inst, index) => {
      if (this.bySymbol.has(inst.symbol)) {
        throw new MatchingError('BAD_SIMULATOR_CONFIG', `symbol ${inst.symbol} is configured twice`);
      }
      const price =
        config.initialPrices?.[inst.symbol] ??
        parseScaled(DEFAULT_INITIAL_PRICES[inst.symbol] ?? FALLBACK_INITIAL_PRICE, inst.priceScale);
      if (!Number.isSafeInteger(price) || price <= 0 || price % inst.tickSize !== 0) {
        throw new MatchingError(
          'BAD_SIMULATOR_CONFIG',
          `${inst.symbol}: initial price ${price} must be a positive multiple of the tick size ${inst.tickSize}`,
        );
      }
      const sim = new SimInstrument(index, inst, price / inst.tickSize);
      this.bySymbol.set(inst.symbol, sim);
      return sim;
    });

    const agentByOwner = new Map<number, number>();
    const agentCount = MAKER_PROFILES.length + NOISE_TRADERS + MOMENTUM_TRADERS;
    this.tracker = new OrderTracker(agentCount, this.instruments, agentByOwner);
    const ctx: AgentContext = { rng: this.rng, orders: this.tracker, commands: this.factory };
    const register = <A extends Agent>(list: A[], agent: A): void => {
      agentByOwner.set(agent.ownerId, agent.index);
      list.push(agent);
    };
    let index = 0;
    MAKER_PROFILES.forEach((profile, i) => {
      register(this.makers, new MarketMaker(index++, MAKER_OWNER_BASE + i, profile, ctx));
    });
    for (let i = 0; i < NOISE_TRADERS; i++) {
      register(this.noise, new NoiseTrader(index++, NOISE_OWNER_BASE + i, ctx));
    }
    for (let i = 0; i < MOMENTUM_TRADERS; i++) {
      register(this.momentum, new MomentumTrader(index++, MOMENTUM_OWNER_BASE + i, ctx));
    }
  }

  /** The next command, in virtual time order (timestamps never decrease). */
  next(): Command {
    const rng = this.rng;
    const factory = this.factory;
    factory.tsUs += Math.floor((1_000_000 * (EXP_GAP_Q1024[rng.below(64)] as number)) / this.gapDivisor);
    factory.stats.commands++;
    const n = this.instruments.length;
    const inst = this.instruments[n === 1 ? 0 : rng.below(n)] as SimInstrument;
    const jumped = inst.fair.step(rng);
    if (jumped && rng.chance(PULL_ON_JUMP_P)) {
      const maker = this.makers[rng.below(this.makers.length)] as MarketMaker;
      if (this.tracker.openCount(maker.index, inst) > 0) return factory.massCancel(maker.ownerId, inst);
    }
    const r = rng.u1024();
    let cmd: Command | undefined;
    if (r < MAKER_UNDER) cmd = (this.makers[rng.below(this.makers.length)] as MarketMaker).act(inst);
    else if (r >= NOISE_UNDER)
      cmd = (this.momentum[rng.below(this.momentum.length)] as MomentumTrader).act(inst);
    return cmd ?? (this.noise[rng.below(this.noise.length)] as NoiseTrader).act(inst);
  }

  /** Learns from one engine event: call it for every event, in order, before the next `next()`. */
  onEvent(event: EngineEvent): void {
    this.tracker.onEvent(event);
  }

  /** Commands sent so far, by kind. */
  get stats(): Readonly<SimulatorStats> {
    return this.factory.stats;
  }

  /** Rejected commands seen so far (from `onEvent`), in total and by code. */
  get rejects(): { readonly total: number; readonly byCode: ReadonlyMap<string, number> } {
    return { total: this.tracker.rejectCount, byCode: this.tracker.rejects };
  }

  /** Trades seen so far (from `onEvent`). */
  get tradeCount(): number {
    return this.tracker.tradeCount;
  }

  /** Engine events seen so far (from `onEvent`). */
  get eventCount(): number {
    return this.tracker.eventCount;
  }

  /** Virtual time of the last command, µs. */
  get tsUs(): number {
    return this.factory.tsUs;
  }

  /** The current latent fair price of a symbol, scaled (rounded down to a tick); undefined if unknown. */
  fairPrice(symbol: string): number | undefined {
    const inst = this.bySymbol.get(symbol);
    return inst === undefined ? undefined : inst.fair.ticks * inst.tick;
  }

  /** The current volatility regime of a symbol. */
  regime(symbol: string): Regime | undefined {
    return this.bySymbol.get(symbol)?.fair.regime;
  }
}
