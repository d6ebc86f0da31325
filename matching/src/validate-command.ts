import type { ModifyCommand, NewOrderCommand } from './commands.ts';
import type { Instrument } from './instrument.ts';
import type { RejectCode } from './reject-codes.ts';

/**
 * Stateless checks of a command's fields against its instrument, in the documented order (matching/README.md).
 * Checks that need the book (duplicate id, post-only, FOK, liquidity, stops) are the book's.
 */

const SIDES = new Set(['buy', 'sell']);
const ORDER_TYPES = new Set(['limit', 'market', 'stop_market', 'stop_limit']);
const TIFS = new Set(['GTC', 'IOC', 'FOK']);
const STP_MODES = new Set(['none', 'cancel_newest', 'cancel_oldest', 'cancel_both', 'decrement_cancel']);

/** A non-negative safe integer, as order and owner ids must be. */
export function isValidId(id: unknown): boolean {
  return Number.isSafeInteger(id) && (id as number) >= 0;
}

export function checkQty(qty: number, inst: Instrument): RejectCode | null {
  if (!(qty > 0)) return Number.isNaN(qty) ? 'OUT_OF_RANGE' : 'NON_POSITIVE_SIZE';
  if (!Number.isSafeInteger(qty) || qty > inst.maxQty) return 'OUT_OF_RANGE';
  if (qty % inst.lotSize !== 0) return 'BAD_LOT';
  if (qty < inst.minQty) return 'BELOW_MIN_SIZE';
  return null;
}

export function checkPrice(price: number, inst: Instrument): RejectCode | null {
  if (!(price > 0)) return Number.isNaN(price) ? 'OUT_OF_RANGE' : 'NON_POSITIVE_PRICE';
  if (!Number.isSafeInteger(price) || price > inst.maxPrice) return 'OUT_OF_RANGE';
  if (price % inst.tickSize !== 0) return 'BAD_TICK';
  return null;
}

export function checkNewOrder(cmd: NewOrderCommand, inst: Instrument): RejectCode | null {
  if (!isValidId(cmd.orderId) || !isValidId(cmd.ownerId)) return 'INVALID_ID';
  if (
    !SIDES.has(cmd.side) ||
    !ORDER_TYPES.has(cmd.orderType) ||
    (cmd.tif !== undefined && !TIFS.has(cmd.tif)) ||
    (cmd.stp !== undefined && !STP_MODES.has(cmd.stp))
  ) {
    return 'INVALID_ORDER';
  }
  const qtyCode = checkQty(cmd.qty, inst);
  if (qtyCode !== null) return qtyCode;
  const isStop = cmd.orderType === 'stop_market' || cmd.orderType === 'stop_limit';
  const needsPrice = cmd.orderType === 'limit' || cmd.orderType === 'stop_limit';
  if (needsPrice && cmd.price === undefined) return 'MISSING_PRICE';
  if (isStop && cmd.stopPrice === undefined) return 'MISSING_STOP_PRICE';
  if (cmd.price !== undefined) {
    const code = checkPrice(cmd.price, inst);
    if (code !== null) return code;
  }
  if (cmd.stopPrice !== undefined) {
    if (!isStop) return 'INVALID_ORDER';
    const code = checkPrice(cmd.stopPrice, inst);
    if (code !== null) return code;
  }
  const isMarket = cmd.orderType === 'market' || cmd.orderType === 'stop_market';
  if (isMarket && cmd.tif !== undefined && cmd.tif !== 'IOC') return 'INVALID_ORDER';
  if (cmd.postOnly === true && (cmd.orderType !== 'limit' || (cmd.tif ?? 'GTC') !== 'GTC'))
    return 'INVALID_ORDER';
  return null;
}

export function checkModify(cmd: ModifyCommand, inst: Instrument): RejectCode | null {
  if (!isValidId(cmd.orderId)) return 'INVALID_ID';
  if (cmd.qty !== undefined) {
    const code = checkQty(cmd.qty, inst);
    if (code !== null) return code;
  }
  if (cmd.price !== undefined) {
    const code = checkPrice(cmd.price, inst);
    if (code !== null) return code;
  }
  return null;
}
