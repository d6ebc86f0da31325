import type { Command, OrderType, Side, StpMode, TimeInForce } from '../../src/index.ts';

/** A command whose timestamp the runner fills in unless the test pins it. */
export type Draft = Command extends infer C
  ? C extends Command
    ? Omit<C, 'tsUs'> & { tsUs?: number }
    : never
  : never;

/** Options of the order builders; `o` is the owner (default: the order id, so owners differ). */
export interface OrderOpts {
  readonly o?: number;
  readonly sym?: string;
  readonly tif?: TimeInForce;
  readonly postOnly?: boolean;
  readonly stp?: StpMode;
  readonly price?: number;
  readonly stopPrice?: number;
  readonly ts?: number;
}

/** Drops keys whose value is undefined, so absent fields are really absent. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Any new order. */
export function order(
  side: Side,
  orderType: OrderType,
  orderId: number,
  qty: number,
  opts: OrderOpts = {},
): Draft {
  return compact({
    type: 'new' as const,
    tsUs: opts.ts,
    symbol: opts.sym ?? 'AAA',
    orderId,
    ownerId: opts.o ?? orderId,
    side,
    orderType,
    price: opts.price,
    stopPrice: opts.stopPrice,
    qty,
    tif: opts.tif,
    postOnly: opts.postOnly,
    stp: opts.stp,
  });
}

export const buy = (id: number, price: number, qty: number, opts: OrderOpts = {}): Draft =>
  order('buy', 'limit', id, qty, { ...opts, price });
export const sell = (id: number, price: number, qty: number, opts: OrderOpts = {}): Draft =>
  order('sell', 'limit', id, qty, { ...opts, price });
export const market = (side: Side, id: number, qty: number, opts: OrderOpts = {}): Draft =>
  order(side, 'market', id, qty, opts);
export const stopMarket = (
  side: Side,
  id: number,
  stopPrice: number,
  qty: number,
  opts: OrderOpts = {},
): Draft => order(side, 'stop_market', id, qty, { ...opts, stopPrice });
export const stopLimit = (
  side: Side,
  id: number,
  stopPrice: number,
  price: number,
  qty: number,
  opts: OrderOpts = {},
): Draft => order(side, 'stop_limit', id, qty, { ...opts, stopPrice, price });
export const cancel = (orderId: number, symbol = 'AAA', ts?: number): Draft =>
  compact({ type: 'cancel' as const, tsUs: ts, symbol, orderId });
export const modify = (orderId: number, change: { price?: number; qty?: number }, symbol = 'AAA'): Draft =>
  compact({ type: 'modify' as const, symbol, orderId, ...change });
export const massCancel = (ownerId: number, symbol?: string): Draft =>
  compact({ type: 'mass_cancel' as const, ownerId, symbol });

/** Gives every draft a timestamp: its pinned one, or one past the previous. */
export function stamp(drafts: readonly Draft[], startUs = 1_000): Command[] {
  let ts = startUs;
  return drafts.map((d) => {
    ts = d.tsUs ?? ts + 1;
    return { ...d, tsUs: ts } as Command;
  });
}
