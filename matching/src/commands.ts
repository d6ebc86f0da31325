/**
 * The commands the engine accepts. Prices and quantities are scaled integers (see `Instrument`): a price of
 * 101.25 on an instrument with `priceScale` 2 is `10125`. Time and ids come in on the command; the engine
 * reads no clock and makes no ids of its own, which is what makes a recorded command log replayable.
 */

/** `buy` or `sell`. On a trade this is the taker's side. */
export type Side = 'buy' | 'sell';

/** Good-till-cancelled rests; immediate-or-cancel expires its remainder; fill-or-kill fills in full or is rejected. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/** What a self-match (taker and maker with the same owner) does; the taker's mode applies. */
export type StpMode =
  /** self-matching allowed (trades between one owner's orders are printed) */
  | 'none'
  /** the incoming (taker) order's remainder is cancelled */
  | 'cancel_newest'
  /** the resting (maker) order is cancelled and matching continues */
  | 'cancel_oldest'
  /** both are cancelled */
  | 'cancel_both'
  /** the smaller of the two is cancelled and the larger is decremented by the smaller's size */
  | 'decrement_cancel';

export type OrderType = 'limit' | 'market' | 'stop_market' | 'stop_limit';

export interface NewOrderCommand {
  readonly type: 'new';
  /** command time, microseconds since the Unix epoch; never less than the previous command's */
  readonly tsUs: number;
  readonly symbol: string;
  /** caller-chosen id, unique among the instrument's open orders (non-negative safe integer) */
  readonly orderId: number;
  /** who owns the order: used for self-trade prevention and mass cancel (non-negative safe integer) */
  readonly ownerId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  /**
   * scaled limit price: required for `limit` and `stop_limit`; for `market` and `stop_market` an optional
   * protection limit (the order never fills beyond it; the remainder expires)
   */
  readonly price?: number;
  /** scaled stop price, for `stop_market` and `stop_limit`: a buy triggers when last ≥ stop, a sell when last ≤ stop */
  readonly stopPrice?: number;
  /** scaled quantity */
  readonly qty: number;
  /** default GTC for limits; market orders are always IOC */
  readonly tif?: TimeInForce;
  /** rejected instead of taking liquidity; limit GTC only */
  readonly postOnly?: boolean;
  /** default `cancel_newest` */
  readonly stp?: StpMode;
}

export interface CancelCommand {
  readonly type: 'cancel';
  readonly tsUs: number;
  readonly symbol: string;
  readonly orderId: number;
}

/**
 * Change a resting limit order. `qty` is the new *open* (remaining) quantity. Reducing the quantity at the
 * same price keeps the order's place in the queue; a new price or a larger quantity loses it (the order
 * goes to the back of the queue at its price, and if the new price crosses it trades first, as a taker).
 */
export interface ModifyCommand {
  readonly type: 'modify';
  readonly tsUs: number;
  readonly symbol: string;
  readonly orderId: number;
  /** new scaled price; omitted keeps the price */
  readonly price?: number;
  /** new scaled open quantity; omitted keeps the quantity */
  readonly qty?: number;
}

/** Cancel every open order (resting and pending stops) of one owner, on one instrument or on all. */
export interface MassCancelCommand {
  readonly type: 'mass_cancel';
  readonly tsUs: number;
  readonly ownerId: number;
  /** omitted: all instruments */
  readonly symbol?: string;
}

export type Command = NewOrderCommand | CancelCommand | ModifyCommand | MassCancelCommand;
