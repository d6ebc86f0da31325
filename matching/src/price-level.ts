import type { OrderType, Side, StpMode, TimeInForce } from './commands.ts';

/**
 * One price of one book side: an intrusive doubly-linked FIFO of orders with its aggregate quantity. The queue
 * node, `Order`, lives in this module too: each points at the other (`order.level`, `level.head`), so apart they
 * would import each other.
 */
export class PriceLevel {
  /** aggregate open quantity of the level's orders */
  qty = 0;
  count = 0;
  head: Order | null = null;
  tail: Order | null = null;

  constructor(readonly price: number) {}

  /** Appends at the back of the queue (newest priority). */
  append(order: Order): void {
    order.level = this;
    order.prev = this.tail;
    order.next = null;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.qty += order.qty;
    this.count++;
  }

  /** Unlinks an order in O(1), wherever it is in the queue; its open quantity leaves the aggregate. */
  remove(order: Order): void {
    const { prev, next } = order;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    this.qty -= order.qty;
    this.count--;
  }
}

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
