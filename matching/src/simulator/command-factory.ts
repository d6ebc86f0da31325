import type {
  CancelCommand,
  MassCancelCommand,
  ModifyCommand,
  NewOrderCommand,
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
    const cmd: NewOrderCommand = {
      type: 'new',
      tsUs: this.tsUs,
      symbol: inst.symbol,
      orderId: this.nextOrderId++,
      ownerId,
      side: buy ? 'buy' : 'sell',
      orderType: 'limit',
      price: inst.clampTicks(priceTicks) * inst.tick,
      qty,
    };
    if (tif !== 'GTC' || postOnly) return { ...cmd, tif, ...(postOnly ? { postOnly } : {}) };
    return cmd;
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
    const cmd: NewOrderCommand = {
      type: 'new',
      tsUs: this.tsUs,
      symbol: inst.symbol,
      orderId: this.nextOrderId++,
      ownerId,
      side: buy ? 'buy' : 'sell',
      orderType: 'market',
      qty,
    };
    return protectionTicks > 0 ? { ...cmd, price: inst.clampTicks(protectionTicks) * inst.tick } : cmd;
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
    const cmd: NewOrderCommand = {
      type: 'new',
      tsUs: this.tsUs,
      symbol: inst.symbol,
      orderId: this.nextOrderId++,
      ownerId,
      side: buy ? 'buy' : 'sell',
      orderType: limitTicks > 0 ? 'stop_limit' : 'stop_market',
      stopPrice: inst.clampTicks(stopTicks) * inst.tick,
      qty,
    };
    return limitTicks > 0 ? { ...cmd, price: inst.clampTicks(limitTicks) * inst.tick } : cmd;
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
    const cmd: ModifyCommand = { type: 'modify', tsUs: this.tsUs, symbol: inst.symbol, orderId };
    if (priceTicks === undefined) return { ...cmd, qty };
    const price = inst.clampTicks(priceTicks) * inst.tick;
    return qty === undefined ? { ...cmd, price } : { ...cmd, price, qty };
  }

  massCancel(ownerId: number, inst: SimInstrument): MassCancelCommand {
    this.stats.massCancels++;
    return { type: 'mass_cancel', tsUs: this.tsUs, ownerId, symbol: inst.symbol };
  }
}
