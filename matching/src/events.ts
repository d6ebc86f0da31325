import type { OrderType, Side, TimeInForce } from './commands.ts';
import type { RejectCode } from './reject-codes.ts';

/**
 * Everything the engine produces. Every event carries `seq`, the engine's sequence number (contiguous from 1
 * over all instruments), and `tsUs`, the timestamp of the command that caused it (for a `STALE_TIMESTAMP`
 * rejection, the engine's clock instead, so event time never goes backwards). Prices and quantities are
 * scaled integers of the event's instrument.
 *
 * Order of events for one command: `accepted` | `rejected` | `modified`, then for each match `trade`, then
 * `done` for orders that ended, then `triggered` stops and their own events, and last one `level` per price
 * level whose aggregate changed (in the order the levels were first touched).
 */
export type EngineEvent =
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | DoneEvent
  | ModifiedEvent
  | TriggeredEvent
  | LevelEvent;

interface EventBase {
  readonly seq: number;
  readonly tsUs: number;
  readonly symbol: string;
}

export interface AcceptedEvent extends EventBase {
  readonly type: 'accepted';
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  /** scaled limit price; 0 for a market order without protection */
  readonly price: number;
  /** scaled stop price; 0 when not a stop order */
  readonly stopPrice: number;
  readonly qty: number;
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
}

export interface RejectedEvent extends EventBase {
  readonly type: 'rejected';
  readonly command: 'new' | 'cancel' | 'modify' | 'mass_cancel';
  /** the command's order id; -1 for mass cancel */
  readonly orderId: number;
  readonly code: RejectCode;
}

export interface TradeEvent extends EventBase {
  readonly type: 'trade';
  /** per-instrument trade id, contiguous from 1 */
  readonly tradeId: number;
  /** the maker's (resting order's) price */
  readonly price: number;
  readonly qty: number;
  /** taker side, not resting side */
  readonly takerSide: Side;
  readonly makerOrderId: number;
  readonly takerOrderId: number;
  readonly makerOwnerId: number;
  readonly takerOwnerId: number;
}

/** Why an order ended. */
export type DoneReason =
  /** fully filled */
  | 'filled'
  /** cancelled by a cancel command */
  | 'cancelled'
  /** cancelled by a mass cancel */
  | 'mass_cancelled'
  /** IOC / market remainder that could not fill, or a triggered stop that could not */
  | 'expired'
  /** cancelled by self-trade prevention */
  | 'stp';

export interface DoneEvent extends EventBase {
  readonly type: 'done';
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  readonly reason: DoneReason;
  /** quantity left unfilled when the order ended (0 when filled) */
  readonly remainingQty: number;
}

export interface ModifiedEvent extends EventBase {
  readonly type: 'modified';
  readonly orderId: number;
  readonly side: Side;
  readonly price: number;
  /** new open quantity */
  readonly qty: number;
  /** true when the order kept its place in the queue */
  readonly priorityKept: boolean;
}

/** A pending stop order was triggered by the last trade price and now works as a market or limit order. */
export interface TriggeredEvent extends EventBase {
  readonly type: 'triggered';
  readonly orderId: number;
  readonly side: Side;
  readonly stopPrice: number;
}

/** The new aggregate of one L2 price level: `qty` 0 (and `count` 0) means the level is gone. */
export interface LevelEvent extends EventBase {
  readonly type: 'level';
  /** the book side of the level: `buy` = bids, `sell` = asks */
  readonly side: Side;
  readonly price: number;
  readonly qty: number;
  readonly count: number;
}
