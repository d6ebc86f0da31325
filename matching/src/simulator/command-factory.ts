import type {
  CancelCommand,
  MassCancelCommand,
  ModifyCommand,
  NewOrderCommand,
  OrderType,
  TimeInForce,
} from '../commands.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** How many commands of each kind the simulator has sent, by the intent it sent them with. */
export interface SimulatorStats {
  commands: number;
  /** limit orders priced not to cross the fair price (they may still trade against a stale quote) */
  passiveLimits: number;
  /** limit orders priced through the fair price to take liquidity (IOC, FOK or GTC) */
  marketableLimits: number;
  markets: number;
  stops: number;
  cancels: number;
  modifies: number;
  massCancels: number;
}

/**
 * Builds the simulator's commands: stamps the current virtual time, allocates increasing order ids, converts
 * ticks to scaled prices and counts each kind.
 */
export class CommandFactory {
  tsUs: number;
  readonly stats: SimulatorStats = {
    commands: 0,
    passiveLimits: 0,
    marketableLimits: 0,
    markets: 0,
    stops: 0,
    cancels: 0,
    modifies: 0,
    massCancels: 0,
  };
  private nextOrderId = 1;

  constructor(startUs: number) {
    this.tsUs = startUs;
  }

  limit(
    ownerId: number,
    inst: SimInstrument,
    buy: boolean,
    priceTicks: number,
    qty: number,
    marketable: boolean,
    tif: TimeInForce = 'GTC',
    postOnly = false,
  ): NewOrderCommand {
    if (marketable) this.stats.marketableLimits++;
    else this.stats.passiveLimits++;
    const price = inst.clampTicks(priceTicks) * inst.tick;
    return this.order(ownerId, inst, buy, 'limit', price, undefined, qty, tif, postOnly);
  }

  /** A market order; `protectionTicks` 0 = none. */
  market(
    ownerId: number,
    inst: SimInstrument,
    buy: boolean,
    qty: number,
    protectionTicks: number,
  ): NewOrderCommand {
    this.stats.markets++;
    const price = protectionTicks > 0 ? inst.clampTicks(protectionTicks) * inst.tick : undefined;
    return this.order(ownerId, inst, buy, 'market', price, undefined, qty, undefined, false);
  }

  /** A stop-market (`limitTicks` 0) or stop-limit GTC order. */
  stop(
    ownerId: number,
    inst: SimInstrument,
    buy: boolean,
    stopTicks: number,
    qty: number,
    limitTicks: number,
  ): NewOrderCommand {
    this.stats.stops++;
    const stopPrice = inst.clampTicks(stopTicks) * inst.tick;
    const price = limitTicks > 0 ? inst.clampTicks(limitTicks) * inst.tick : undefined;
    const type = limitTicks > 0 ? 'stop_limit' : 'stop_market';
    return this.order(ownerId, inst, buy, type, price, stopPrice, qty, undefined, false);
  }

  cancel(inst: SimInstrument, orderId: number): CancelCommand {
    this.stats.cancels++;
    return { type: 'cancel', tsUs: this.tsUs, symbol: inst.symbol, orderId };
  }

  /** Modify a resting order: a new price (ticks) and/or a new open quantity; `undefined` keeps it. */
  modify(
    inst: SimInstrument,
    orderId: number,
    priceTicks: number | undefined,
    qty: number | undefined,
  ): ModifyCommand {
    this.stats.modifies++;
    const price = priceTicks === undefined ? undefined : inst.clampTicks(priceTicks) * inst.tick;
    return { type: 'modify', tsUs: this.tsUs, symbol: inst.symbol, orderId, price, qty };
  }

  massCancel(ownerId: number, inst: SimInstrument): MassCancelCommand {
    this.stats.massCancels++;
    return { type: 'mass_cancel', tsUs: this.tsUs, ownerId, symbol: inst.symbol };
  }

  /**
   * Every new order has the same shape — all keys present, in one order, `undefined` where absent — so the
   * engine's property loads stay monomorphic (mixed shapes cost ~2x in validation) and the commands serialize
   * identically.
   */
  private order(
    ownerId: number,
    inst: SimInstrument,
    buy: boolean,
    orderType: OrderType,
    price: number | undefined,
    stopPrice: number | undefined,
    qty: number,
    tif: TimeInForce | undefined,
    postOnly: boolean,
  ): NewOrderCommand {
    return {
      type: 'new',
      tsUs: this.tsUs,
      symbol: inst.symbol,
      orderId: this.nextOrderId++,
      ownerId,
      side: buy ? 'buy' : 'sell',
      orderType,
      price,
      stopPrice,
      qty,
      tif: tif === 'GTC' ? undefined : tif,
      postOnly,
      stp: undefined,
    };
  }
}
