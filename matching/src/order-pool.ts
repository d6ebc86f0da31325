import { Order } from './price-level.ts';

/** A free list of `Order` objects, so that steady-state matching allocates no orders. */
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
