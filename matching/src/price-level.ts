import type { Order } from './order.ts';

/** One price of one book side: an intrusive doubly-linked FIFO of orders with its aggregate quantity. */
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
