import type { OrderType, Side, StpMode, TimeInForce } from './commands.ts';
import type { PriceLevel } from './price-level.ts';

/**
 * An open order: a node of its price level's intrusive FIFO (`prev`/`next`), or a pending stop. Objects are
 * pooled by `OrderPool` so steady-state matching allocates no orders.
 */
export class Order {
  id = 0;
  ownerId = 0;
  side: Side = 'buy';
  orderType: OrderType = 'limit';
  /** scaled limit price; for a market order its protection price, 0 = none */
  price = 0;
  /** scaled stop price; 0 when not a stop */
  stopPrice = 0;
  /** scaled open quantity */
  qty = 0;
  tif: TimeInForce = 'GTC';
  postOnly = false;
  stp: StpMode = 'cancel_newest';
  prev: Order | null = null;
  next: Order | null = null;
  level: PriceLevel | null = null;
}

/** A free list of `Order` objects. */
export class OrderPool {
  private readonly free: Order[] = [];

  acquire(): Order {
    return this.free.pop() ?? new Order();
  }

  release(order: Order): void {
    // A released order has no level; releasing one twice would hand the same object to two orders.
    if (order.id === -1) throw new Error('assertion failed: an order was released twice');
    order.id = -1;
    order.prev = null;
    order.next = null;
    order.level = null;
    this.free.push(order);
  }
}
