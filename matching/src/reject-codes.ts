/**
 * Why the engine refused a command. Business outcomes are values, never exceptions: a refused command
 * produces one `rejected` event carrying one of these codes and leaves every book unchanged.
 */
export const REJECT_CODES = {
  UNKNOWN_SYMBOL: 'the symbol is not a configured instrument',
  BAD_TICK: 'the price is not a multiple of the instrument tick size',
  BAD_LOT: 'the quantity is not a multiple of the instrument lot size',
  BELOW_MIN_SIZE: 'the quantity is below the instrument minimum size',
  NON_POSITIVE_SIZE: 'the quantity is zero or negative',
  NON_POSITIVE_PRICE: 'the price (or stop price) is zero or negative',
  OUT_OF_RANGE:
    'a price or quantity is above the instrument maximum or not a safe integer, or resting it would take its price level total past 2^53',
  MISSING_PRICE: 'a limit or stop-limit order carries no price',
  MISSING_STOP_PRICE: 'a stop order carries no stop price',
  INVALID_ORDER: 'the combination of order fields is not allowed (e.g. post-only on an IOC or market order)',
  INVALID_ID: 'an order or owner id is not a non-negative safe integer',
  DUPLICATE_ORDER_ID: 'an open order of this instrument already has this id',
  UNKNOWN_ORDER_ID: 'no open order of this instrument has this id',
  NOT_MODIFIABLE: 'only resting limit orders can be modified (not pending stops)',
  POST_ONLY_WOULD_CROSS: 'a post-only order (or its modification) would take liquidity',
  FOK_NOT_FILLABLE: 'a fill-or-kill order cannot be filled in full right now',
  NO_LIQUIDITY: 'a market order found no resting order on the other side',
  STOP_WOULD_TRIGGER: 'the stop condition already holds against the last trade price',
  STALE_TIMESTAMP:
    'the command timestamp is not a non-negative safe integer, or is earlier than the previous command (time never goes back)',
} as const;

/** A stable, documented reason for a rejected command. */
export type RejectCode = keyof typeof REJECT_CODES;
