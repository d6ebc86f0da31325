import type { EngineEvent } from '../events.ts';
import type { RejectCode } from '../reject-codes.ts';
import type { SimInstrument } from './sim-instrument.ts';

/** Which of an agent's per-instrument lists an order is in. */
export const BIDS = 0;
export const ASKS = 1;
export const STOPS = 2;
export type ListKind = typeof BIDS | typeof ASKS | typeof STOPS;

/** One of the simulator's open orders, as it has learned it from the engine's events. */
export class OpenOrder {
  /** position in its list (for O(1) removal) */
  slot = -1;
  constructor(
    readonly orderId: number,
    readonly agent: number,
    readonly inst: SimInstrument,
    readonly buy: boolean,
    /** limit price in ticks; 0 for a stop-market */
    public priceTicks: number,
    /** open quantity, scaled */
    public qty: number,
    public list: ListKind,
    /** a stop-limit GTC: rests in the book once triggered */
    readonly restsWhenTriggered: boolean,
  ) {}
}

/**
 * The simulator's view of its own open orders — resting GTC limits and pending stops — kept from the
 * engine's events (`accepted`, `trade`, `modified`, `triggered`, `done`), so agents can cancel and modify
 * them. IOC and market orders are never tracked: they end within the command that sent them.
 */
export class OrderTracker {
  /** rejected commands by code */
  readonly rejects = new Map<RejectCode, number>();
  rejectCount = 0;
  tradeCount = 0;
  eventCount = 0;
  private readonly byId = new Map<number, OpenOrder>();
  private readonly lists: OpenOrder[][];
  private readonly bySymbol = new Map<string, SimInstrument>();

  constructor(
    agentCount: number,
    private readonly instruments: readonly SimInstrument[],
    private readonly agentByOwner: ReadonlyMap<number, number>,
  ) {
    this.lists = Array.from({ length: agentCount * instruments.length * 3 }, () => []);
    for (const inst of instruments) this.bySymbol.set(inst.symbol, inst);
  }

  /** An agent's open orders of one kind on one instrument, in no particular order. */
  list(agent: number, inst: SimInstrument, kind: ListKind): readonly OpenOrder[] {
    return this.lists[this.listIndex(agent, inst.index, kind)] as OpenOrder[];
  }

  /** Number of an agent's open orders (resting and stops) on one instrument. */
  openCount(agent: number, inst: SimInstrument): number {
    const base = this.listIndex(agent, inst.index, BIDS);
    const lists = this.lists;
    return (
      (lists[base] as OpenOrder[]).length +
      (lists[base + 1] as OpenOrder[]).length +
      (lists[base + 2] as OpenOrder[]).length
    );
  }

  /** Number of open orders the simulator tracks over all agents and instruments. */
  get size(): number {
    return this.byId.size;
  }

  /** Every tracked open order (for checks against the engine's `l3`). */
  all(): IterableIterator<OpenOrder> {
    return this.byId.values();
  }

  /** Learns from one engine event. */
  onEvent(e: EngineEvent): void {
    this.eventCount++;
    switch (e.type) {
      case 'accepted': {
        const isStop = e.orderType === 'stop_market' || e.orderType === 'stop_limit';
        if (!isStop && (e.orderType !== 'limit' || e.tif !== 'GTC')) return;
        const agent = this.agentByOwner.get(e.ownerId);
        const inst = this.bySymbol.get(e.symbol);
        if (agent === undefined || inst === undefined) return;
        const buy = e.side === 'buy';
        const kind: ListKind = isStop ? STOPS : buy ? BIDS : ASKS;
        const restsWhenTriggered = e.orderType === 'stop_limit' && e.tif === 'GTC';
        const order = new OpenOrder(
          e.orderId,
          agent,
          inst,
          buy,
          e.price / inst.tick,
          e.qty,
          kind,
          restsWhenTriggered,
        );
        this.byId.set(e.orderId, order);
        this.push(order);
        return;
      }
      case 'trade': {
        this.tradeCount++;
        const inst = this.bySymbol.get(e.symbol);
        if (inst !== undefined) inst.onTrade(e.price, e.takerSide === 'buy');
        const maker = this.byId.get(e.makerOrderId);
        if (maker !== undefined) maker.qty -= e.qty;
        const taker = this.byId.get(e.takerOrderId);
        if (taker !== undefined) taker.qty -= e.qty;
        return;
      }
      case 'modified': {
        const order = this.byId.get(e.orderId);
        if (order === undefined) return;
        order.priceTicks = e.price / order.inst.tick;
        order.qty = e.qty;
        return;
      }
      case 'triggered': {
        const order = this.byId.get(e.orderId);
        if (order === undefined) return;
        this.pull(order);
        if (order.restsWhenTriggered) {
          order.list = order.buy ? BIDS : ASKS;
          this.push(order);
        } else {
          this.byId.delete(order.orderId);
        }
        return;
      }
      case 'done':
        this.forget(e.orderId);
        return;
      case 'rejected':
        this.rejectCount++;
        this.rejects.set(e.code, (this.rejects.get(e.code) ?? 0) + 1);
        // A cancel of an order we thought open: we were wrong, so stop tracking it.
        if (e.command === 'cancel' && e.code === 'UNKNOWN_ORDER_ID') this.forget(e.orderId);
        return;
      case 'level':
        return;
    }
  }

  private forget(orderId: number): void {
    const order = this.byId.get(orderId);
    if (order === undefined) return;
    this.byId.delete(orderId);
    this.pull(order);
  }

  private listIndex(agent: number, inst: number, kind: ListKind): number {
    return (agent * this.instruments.length + inst) * 3 + kind;
  }

  private push(order: OpenOrder): void {
    const list = this.lists[this.listIndex(order.agent, order.inst.index, order.list)] as OpenOrder[];
    order.slot = list.length;
    list.push(order);
    if (order.list === BIDS) order.inst.restingBids++;
    else if (order.list === ASKS) order.inst.restingAsks++;
  }

  /** Swap-remove from its list. */
  private pull(order: OpenOrder): void {
    const list = this.lists[this.listIndex(order.agent, order.inst.index, order.list)] as OpenOrder[];
    const last = list.pop() as OpenOrder;
    if (last !== order) {
      list[order.slot] = last;
      last.slot = order.slot;
    }
    order.slot = -1;
    if (order.list === BIDS) order.inst.restingBids--;
    else if (order.list === ASKS) order.inst.restingAsks--;
  }
}
