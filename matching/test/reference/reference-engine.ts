import { createHash } from 'node:crypto';
import type {
  Command,
  ModifyCommand,
  NewOrderCommand,
  OrderType,
  Side,
  StpMode,
  TimeInForce,
} from '../../src/commands.ts';
import type { DoneReason, EngineEvent } from '../../src/events.ts';
import type { Instrument } from '../../src/instrument.ts';
import type { RejectCode } from '../../src/reject-codes.ts';

/**
 * A slow, obviously-correct model of the matching rules in matching/README.md, used as a test oracle for
 * `MatchingEngine`. It is written from the README alone (not from the engine) and favours plain arrays and
 * linear scans over speed: every match step sorts the opposite orders by price, then arrival.
 *
 * The README leaves a few points open; the choices made here are marked `Reading:` in comments.
 */

/** Distributes `Omit` over a union, so each event keeps its own fields. */
type WithoutBase<E> = E extends EngineEvent ? Omit<E, 'seq' | 'tsUs'> : never;
type EventBody = WithoutBase<EngineEvent>;

interface RestingOrder {
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  price: number;
  qty: number;
  readonly postOnly: boolean;
  readonly stp: StpMode;
  /** global insertion counter: lower = older = earlier in its queue */
  arrival: number;
}

interface PendingStop {
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  readonly orderType: 'stop_market' | 'stop_limit';
  readonly stopPrice: number;
  /** limit (stop-limit) or protection (stop-market) price; 0 = none */
  readonly price: number;
  readonly qty: number;
  readonly tif: TimeInForce;
  readonly stp: StpMode;
}

interface Book {
  readonly instrument: Instrument;
  /** every resting order of both sides, in no particular order */
  resting: RestingOrder[];
  /** pending stops, oldest accepted first */
  stops: PendingStop[];
  lastTradePrice: number | undefined;
  nextTradeId: number;
}

/** An order while it takes liquidity. */
interface Taker {
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  /** limit or protection price; undefined = no limit */
  readonly limit: number | undefined;
  /** the price reported in a `modified` event if the taker is decremented (0 = none) */
  readonly reportedPrice: number;
  remaining: number;
  readonly stp: StpMode;
}

/** One resting order in L3. */
export interface RefL3Order {
  readonly orderId: number;
  readonly ownerId: number;
  readonly qty: number;
}

/** One price level of L3, orders oldest first. */
export interface RefL3Level {
  readonly price: number;
  readonly orders: RefL3Order[];
}

/** A pending stop in L3. */
export interface RefL3Stop {
  readonly orderId: number;
  readonly ownerId: number;
  readonly side: Side;
  readonly orderType: 'stop_market' | 'stop_limit';
  readonly stopPrice: number;
  readonly price: number;
  readonly qty: number;
  readonly tif: TimeInForce;
}

/** Every open order of an instrument: levels best first, stops in acceptance order. */
export interface RefL3Snapshot {
  readonly bids: RefL3Level[];
  readonly asks: RefL3Level[];
  readonly stops: RefL3Stop[];
}

/** `[price, qty, count]` levels, best first. */
export interface RefL2Snapshot {
  readonly bids: [number, number, number][];
  readonly asks: [number, number, number][];
}

const SIDES: readonly string[] = ['buy', 'sell'];
const ORDER_TYPES: readonly string[] = ['limit', 'market', 'stop_market', 'stop_limit'];
const TIFS: readonly string[] = ['GTC', 'IOC', 'FOK'];
const STP_MODES: readonly string[] = [
  'none',
  'cancel_newest',
  'cancel_oldest',
  'cancel_both',
  'decrement_cancel',
];

const isId = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
const isStop = (t: OrderType): t is 'stop_market' | 'stop_limit' => t === 'stop_market' || t === 'stop_limit';

/** Orders of one side, best price first, then oldest first. */
function inPriority(orders: readonly RestingOrder[], side: Side): RestingOrder[] {
  return orders
    .filter((o) => o.side === side)
    .sort((a, b) =>
      a.price !== b.price ? (side === 'buy' ? b.price - a.price : a.price - b.price) : a.arrival - b.arrival,
    );
}

/** true when a taker on `takerSide` with limit `limit` may trade at `makerPrice`. */
function acceptable(takerSide: Side, limit: number | undefined, makerPrice: number): boolean {
  if (limit === undefined) return true;
  return takerSide === 'buy' ? makerPrice <= limit : makerPrice >= limit;
}

function stopHolds(stop: PendingStop, last: number | undefined): boolean {
  if (last === undefined) return false;
  return stop.side === 'buy' ? last >= stop.stopPrice : last <= stop.stopPrice;
}

/** The reference model. Same `submit` / `l2` / `l3` / `stateHash` surface as `MatchingEngine`. */
export class ReferenceEngine {
  private readonly books: Book[];
  private seq = 0;
  private clockUs = 0;
  private arrivals = 0;
  /** the current command's timestamp */
  private tsUs = 0;
  /** levels touched by the current command, first touch first */
  private touched: { book: Book; side: Side; price: number }[] = [];

  constructor(
    instruments: readonly Instrument[],
    private readonly onEvent: (e: EngineEvent) => void,
  ) {
    this.books = instruments.map((instrument) => ({
      instrument,
      resting: [],
      stops: [],
      lastTradePrice: undefined,
      nextTradeId: 1,
    }));
  }

  /** Applies one command; its events go synchronously to `onEvent`. */
  submit(cmd: Command): void {
    // README: a stale command's rejection carries the clock, so event time never goes back.
    const valid = Number.isSafeInteger(cmd.tsUs) && cmd.tsUs >= this.clockUs;
    this.tsUs = valid ? cmd.tsUs : this.clockUs;
    this.touched = [];
    const code = this.apply(cmd);
    if (code === undefined) {
      this.emitLevels();
      return;
    }
    this.emit({
      type: 'rejected',
      symbol: cmd.symbol ?? '',
      command: cmd.type,
      orderId: cmd.type === 'mass_cancel' ? -1 : cmd.orderId,
      code,
    });
  }

  /** Validates and applies `cmd`; returns the reject code (and has changed nothing) when it is refused. */
  private apply(cmd: Command): RejectCode | undefined {
    // Reading: "previous command" = the latest timestamp seen, whatever became of that command.
    // README: the timestamp is a non-negative safe integer, never earlier than the previous command's.
    if (!Number.isSafeInteger(cmd.tsUs) || cmd.tsUs < this.clockUs) return 'STALE_TIMESTAMP';
    this.clockUs = cmd.tsUs;
    const book = cmd.symbol === undefined ? undefined : this.book(cmd.symbol);
    if (cmd.symbol !== undefined && book === undefined) return 'UNKNOWN_SYMBOL';
    switch (cmd.type) {
      case 'new':
        return this.newOrder(cmd, book as Book);
      case 'cancel':
        return this.cancel(cmd.orderId, book as Book);
      case 'modify':
        return this.modify(cmd, book as Book);
      case 'mass_cancel':
        return this.massCancel(cmd.ownerId, book);
    }
  }

  /** Aggregated levels, best first, at most `depth` per side. */
  l2(symbol: string, depth = Number.POSITIVE_INFINITY): RefL2Snapshot | undefined {
    const l3 = this.l3(symbol);
    if (l3 === undefined) return undefined;
    const agg = (levels: RefL3Level[]): [number, number, number][] =>
      levels
        .slice(0, depth)
        .map((l): [number, number, number] => [
          l.price,
          l.orders.reduce((s, o) => s + o.qty, 0),
          l.orders.length,
        ]);
    return { bids: agg(l3.bids), asks: agg(l3.asks) };
  }

  /** Every open order of `symbol`: levels best first (FIFO within), pending stops in acceptance order. */
  l3(symbol: string): RefL3Snapshot | undefined {
    const book = this.book(symbol);
    if (book === undefined) return undefined;
    const levels = (side: Side): RefL3Level[] => {
      const out: RefL3Level[] = [];
      for (const o of inPriority(book.resting, side)) {
        const last = out[out.length - 1];
        const entry = { orderId: o.orderId, ownerId: o.ownerId, qty: o.qty };
        if (last !== undefined && last.price === o.price) last.orders.push(entry);
        else out.push({ price: o.price, orders: [entry] });
      }
      return out;
    };
    return {
      bids: levels('buy'),
      asks: levels('sell'),
      stops: book.stops.map((s) => ({
        orderId: s.orderId,
        ownerId: s.ownerId,
        side: s.side,
        orderType: s.orderType,
        stopPrice: s.stopPrice,
        price: s.price,
        qty: s.qty,
        tif: s.tif,
      })),
    };
  }

  /** SHA-256 over every book (L3) and last trade price; comparable only between `ReferenceEngine`s. */
  stateHash(): string {
    const state = this.books.map((b) => ({
      symbol: b.instrument.symbol,
      l3: this.l3(b.instrument.symbol),
      last: b.lastTradePrice ?? null,
      nextTradeId: b.nextTradeId,
    }));
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
  }

  // --- commands -------------------------------------------------------------------------------------------

  private newOrder(cmd: NewOrderCommand, book: Book): RejectCode | undefined {
    const ins = book.instrument;
    if (!isId(cmd.orderId) || !isId(cmd.ownerId)) return 'INVALID_ID';
    if (!SIDES.includes(cmd.side) || !ORDER_TYPES.includes(cmd.orderType)) return 'INVALID_ORDER';
    if (cmd.tif !== undefined && !TIFS.includes(cmd.tif)) return 'INVALID_ORDER';
    if (cmd.stp !== undefined && !STP_MODES.includes(cmd.stp)) return 'INVALID_ORDER';
    const marketLike = cmd.orderType === 'market' || cmd.orderType === 'stop_market';
    const tif: TimeInForce = cmd.tif ?? (marketLike ? 'IOC' : 'GTC');
    const postOnly = cmd.postOnly === true;
    if (postOnly && (cmd.orderType !== 'limit' || tif !== 'GTC')) return 'INVALID_ORDER';
    if (marketLike && tif !== 'IOC') return 'INVALID_ORDER';
    if (cmd.stopPrice !== undefined && !isStop(cmd.orderType)) return 'INVALID_ORDER';
    const qtyCode = checkQty(cmd.qty, ins);
    if (qtyCode !== undefined) return qtyCode;
    if ((cmd.orderType === 'limit' || cmd.orderType === 'stop_limit') && cmd.price === undefined) {
      return 'MISSING_PRICE';
    }
    if (isStop(cmd.orderType) && cmd.stopPrice === undefined) return 'MISSING_STOP_PRICE';
    const priceCode = checkPrices([cmd.price, cmd.stopPrice], ins);
    if (priceCode !== undefined) return priceCode;
    if (this.isOpen(book, cmd.orderId)) return 'DUPLICATE_ORDER_ID';
    const price = cmd.price;
    const stp: StpMode = cmd.stp ?? 'cancel_newest';
    if (postOnly && price !== undefined && this.crosses(book, cmd.side, price))
      return 'POST_ONLY_WOULD_CROSS';
    if (cmd.orderType === 'limit' && tif === 'FOK') {
      if (!this.fokFillable(book, cmd.side, price, cmd.qty, cmd.ownerId, stp)) return 'FOK_NOT_FILLABLE';
    }
    if (cmd.orderType === 'market' && !book.resting.some((o) => o.side !== cmd.side)) return 'NO_LIQUIDITY';
    if (isStop(cmd.orderType)) {
      const stop: PendingStop = {
        orderId: cmd.orderId,
        ownerId: cmd.ownerId,
        side: cmd.side,
        orderType: cmd.orderType,
        stopPrice: cmd.stopPrice as number,
        price: price ?? 0,
        qty: cmd.qty,
        tif,
        stp,
      };
      // Reading: README's "(or a stop that would be…)" is cut short; NO_LIQUIDITY is left to market orders, a
      // stop that would trigger at once is STOP_WOULD_TRIGGER whatever the opposite side holds.
      if (stopHolds(stop, book.lastTradePrice)) return 'STOP_WOULD_TRIGGER';
      this.emitAccepted(book, cmd, price ?? 0, stop.stopPrice, tif, postOnly);
      book.stops.push(stop);
      return undefined;
    }
    this.emitAccepted(book, cmd, price ?? 0, 0, tif, postOnly);
    const taker: Taker = {
      orderId: cmd.orderId,
      ownerId: cmd.ownerId,
      side: cmd.side,
      limit: price,
      reportedPrice: price ?? 0,
      remaining: cmd.qty,
      stp,
    };
    this.work(book, taker, cmd.orderType === 'limit' && tif === 'GTC', postOnly);
    this.triggerStops(book);
    return undefined;
  }

  private cancel(orderId: number, book: Book): RejectCode | undefined {
    if (!isId(orderId)) return 'INVALID_ID';
    const order = book.resting.find((o) => o.orderId === orderId);
    if (order !== undefined) {
      this.remove(book, order);
      this.emitDone(book, order, 'cancelled', order.qty);
      return undefined;
    }
    const stop = book.stops.find((s) => s.orderId === orderId);
    if (stop === undefined) return 'UNKNOWN_ORDER_ID';
    book.stops = book.stops.filter((s) => s !== stop);
    this.emitDone(book, stop, 'cancelled', stop.qty);
    return undefined;
  }

  private modify(cmd: ModifyCommand, book: Book): RejectCode | undefined {
    const ins = book.instrument;
    if (!isId(cmd.orderId)) return 'INVALID_ID';
    if (cmd.qty !== undefined) {
      // Reading: a new open quantity obeys the same size rules as a new order's (incl. the minimum).
      const qtyCode = checkQty(cmd.qty, ins);
      if (qtyCode !== undefined) return qtyCode;
    }
    const priceCode = checkPrices([cmd.price], ins);
    if (priceCode !== undefined) return priceCode;
    const order = book.resting.find((o) => o.orderId === cmd.orderId);
    if (order === undefined) {
      return book.stops.some((s) => s.orderId === cmd.orderId) ? 'NOT_MODIFIABLE' : 'UNKNOWN_ORDER_ID';
    }
    const price = cmd.price ?? order.price;
    const qty = cmd.qty ?? order.qty;
    if (order.postOnly && this.crosses(book, order.side, price)) return 'POST_ONLY_WOULD_CROSS';
    // Reading: same price and same qty (or neither field given) keeps priority and changes nothing.
    const priorityKept = price === order.price && qty <= order.qty;
    this.emit({
      type: 'modified',
      symbol: ins.symbol,
      orderId: order.orderId,
      side: order.side,
      price,
      qty,
      priorityKept,
    });
    if (priorityKept) {
      if (qty !== order.qty) {
        order.qty = qty;
        this.touch(book, order.side, order.price);
      }
      return undefined;
    }
    this.remove(book, order);
    const taker: Taker = {
      orderId: order.orderId,
      ownerId: order.ownerId,
      side: order.side,
      limit: price,
      reportedPrice: price,
      remaining: qty,
      stp: order.stp,
    };
    this.work(book, taker, true, order.postOnly);
    this.triggerStops(book);
    return undefined;
  }

  private massCancel(ownerId: number, only: Book | undefined): RejectCode | undefined {
    if (!isId(ownerId)) return 'INVALID_ID';
    for (const book of only === undefined ? this.books : [only]) {
      const mine = (side: Side): RestingOrder[] =>
        inPriority(book.resting, side).filter((o) => o.ownerId === ownerId);
      for (const order of [...mine('buy'), ...mine('sell')]) {
        this.remove(book, order);
        this.emitDone(book, order, 'mass_cancelled', order.qty);
      }
      for (const stop of book.stops.filter((s) => s.ownerId === ownerId)) {
        book.stops = book.stops.filter((s) => s !== stop);
        this.emitDone(book, stop, 'mass_cancelled', stop.qty);
      }
    }
    return undefined;
  }

  // --- matching -------------------------------------------------------------------------------------------

  /**
   * Lets `taker` take liquidity, then rests its remainder (`rests`) or expires it. Emits trades, makers'
   * `done`s and STP outcomes as they happen, then the taker's own `done` if it ended.
   */
  private work(book: Book, taker: Taker, rests: boolean, postOnly: boolean): void {
    const ended = this.take(book, taker);
    if (ended) return;
    if (taker.remaining === 0) {
      this.emitDone(book, taker, 'filled', 0);
    } else if (rests) {
      this.arrivals += 1;
      book.resting.push({
        orderId: taker.orderId,
        ownerId: taker.ownerId,
        side: taker.side,
        price: taker.limit as number,
        qty: taker.remaining,
        postOnly,
        stp: taker.stp,
        arrival: this.arrivals,
      });
      this.touch(book, taker.side, taker.limit as number);
    } else {
      this.emitDone(book, taker, 'expired', taker.remaining);
    }
  }

  /** The match loop. Returns true when the taker ended by STP (its `done` already emitted). */
  private take(book: Book, taker: Taker): boolean {
    while (taker.remaining > 0) {
      const maker = inPriority(book.resting, opposite(taker.side))[0];
      if (maker === undefined || !acceptable(taker.side, taker.limit, maker.price)) return false;
      if (maker.ownerId === taker.ownerId && taker.stp !== 'none') {
        if (this.preventSelfTrade(book, taker, maker)) return true;
        continue;
      }
      const qty = Math.min(taker.remaining, maker.qty);
      this.emit({
        type: 'trade',
        symbol: book.instrument.symbol,
        tradeId: book.nextTradeId,
        price: maker.price,
        qty,
        takerSide: taker.side,
        makerOrderId: maker.orderId,
        takerOrderId: taker.orderId,
        makerOwnerId: maker.ownerId,
        takerOwnerId: taker.ownerId,
      });
      book.nextTradeId += 1;
      book.lastTradePrice = maker.price;
      taker.remaining -= qty;
      maker.qty -= qty;
      this.touch(book, maker.side, maker.price);
      if (maker.qty === 0) {
        this.remove(book, maker);
        this.emitDone(book, maker, 'filled', 0);
      }
    }
    return false;
  }

  /**
   * One prevented match. Reading: the maker's outcome is emitted before the taker's. Returns true when the
   * taker ended.
   */
  private preventSelfTrade(book: Book, taker: Taker, maker: RestingOrder): boolean {
    switch (taker.stp) {
      case 'cancel_newest':
        this.emitDone(book, taker, 'stp', taker.remaining);
        return true;
      case 'cancel_oldest':
        this.remove(book, maker);
        this.emitDone(book, maker, 'stp', maker.qty);
        return false;
      case 'cancel_both':
        this.remove(book, maker);
        this.emitDone(book, maker, 'stp', maker.qty);
        this.emitDone(book, taker, 'stp', taker.remaining);
        return true;
      case 'decrement_cancel': {
        const cut = Math.min(taker.remaining, maker.qty);
        if (maker.qty === cut) {
          this.remove(book, maker);
          this.emitDone(book, maker, 'stp', cut);
        } else {
          maker.qty -= cut;
          this.touch(book, maker.side, maker.price);
          this.emitModified(book, maker, maker.price, maker.qty);
        }
        if (taker.remaining === cut) {
          this.emitDone(book, taker, 'stp', cut);
          return true;
        }
        taker.remaining -= cut;
        // Reading: a decremented taker that lives on is "an order decremented … that lives on" too.
        this.emitModified(book, taker, taker.reportedPrice, taker.remaining);
        return false;
      }
      case 'none':
        throw new Error('unreachable: stp none never prevents');
    }
  }

  /** FOK: the quantity available at acceptable prices, in priority order, under the taker's STP mode. */
  private fokFillable(
    book: Book,
    side: Side,
    limit: number | undefined,
    qty: number,
    ownerId: number,
    stp: StpMode,
  ): boolean {
    let need = qty;
    for (const maker of inPriority(book.resting, opposite(side))) {
      if (!acceptable(side, limit, maker.price)) return false;
      if (maker.ownerId === ownerId && stp !== 'none') {
        if (stp === 'cancel_oldest') continue;
        return false;
      }
      need -= maker.qty;
      if (need <= 0) return true;
    }
    return false;
  }

  /** Triggers holding stops one at a time, oldest accepted first, re-checking after each. */
  private triggerStops(book: Book): void {
    for (;;) {
      const stop = book.stops.find((s) => stopHolds(s, book.lastTradePrice));
      if (stop === undefined) return;
      book.stops = book.stops.filter((s) => s !== stop);
      this.emit({
        type: 'triggered',
        symbol: book.instrument.symbol,
        orderId: stop.orderId,
        side: stop.side,
        stopPrice: stop.stopPrice,
      });
      const taker: Taker = {
        orderId: stop.orderId,
        ownerId: stop.ownerId,
        side: stop.side,
        limit: stop.price === 0 ? undefined : stop.price,
        reportedPrice: stop.price,
        remaining: stop.qty,
        stp: stop.stp,
      };
      if (
        stop.orderType === 'stop_limit' &&
        stop.tif === 'FOK' &&
        !this.fokFillable(book, stop.side, stop.price, stop.qty, stop.ownerId, stop.stp)
      ) {
        // Reading: a triggered FOK stop-limit that cannot fill in full ends `expired`, untouched.
        this.emitDone(book, taker, 'expired', stop.qty);
        continue;
      }
      this.work(book, taker, stop.orderType === 'stop_limit' && stop.tif === 'GTC', false);
    }
  }

  // --- book helpers ---------------------------------------------------------------------------------------

  private book(symbol: string): Book | undefined {
    return this.books.find((b) => b.instrument.symbol === symbol);
  }

  private isOpen(book: Book, orderId: number): boolean {
    return book.resting.some((o) => o.orderId === orderId) || book.stops.some((s) => s.orderId === orderId);
  }

  /** true when a `side` order at `price` would take liquidity from the best opposite price. */
  private crosses(book: Book, side: Side, price: number): boolean {
    const best = inPriority(book.resting, opposite(side))[0];
    return best !== undefined && acceptable(side, price, best.price);
  }

  private remove(book: Book, order: RestingOrder): void {
    book.resting = book.resting.filter((o) => o !== order);
    this.touch(book, order.side, order.price);
  }

  private touch(book: Book, side: Side, price: number): void {
    if (!this.touched.some((t) => t.book === book && t.side === side && t.price === price)) {
      this.touched.push({ book, side, price });
    }
  }

  // --- events ---------------------------------------------------------------------------------------------

  private emit(body: EventBody): void {
    this.seq += 1;
    this.onEvent({ seq: this.seq, tsUs: this.tsUs, ...body } as EngineEvent);
  }

  private emitAccepted(
    book: Book,
    cmd: NewOrderCommand,
    price: number,
    stopPrice: number,
    tif: TimeInForce,
    postOnly: boolean,
  ): void {
    this.emit({
      type: 'accepted',
      symbol: book.instrument.symbol,
      orderId: cmd.orderId,
      ownerId: cmd.ownerId,
      side: cmd.side,
      orderType: cmd.orderType,
      price,
      stopPrice,
      qty: cmd.qty,
      tif,
      postOnly,
    });
  }

  private emitDone(
    book: Book,
    order: { orderId: number; ownerId: number; side: Side },
    reason: DoneReason,
    remainingQty: number,
  ): void {
    this.emit({
      type: 'done',
      symbol: book.instrument.symbol,
      orderId: order.orderId,
      ownerId: order.ownerId,
      side: order.side,
      reason,
      remainingQty,
    });
  }

  private emitModified(book: Book, order: { orderId: number; side: Side }, price: number, qty: number): void {
    this.emit({
      type: 'modified',
      symbol: book.instrument.symbol,
      orderId: order.orderId,
      side: order.side,
      price,
      qty,
      priorityKept: true,
    });
  }

  private emitLevels(): void {
    for (const { book, side, price } of this.touched) {
      const orders = book.resting.filter((o) => o.side === side && o.price === price);
      this.emit({
        type: 'level',
        symbol: book.instrument.symbol,
        side,
        price,
        qty: orders.reduce((s, o) => s + o.qty, 0),
        count: orders.length,
      });
    }
    this.touched = [];
  }
}

function checkQty(qty: number, ins: Instrument): RejectCode | undefined {
  if (qty <= 0) return 'NON_POSITIVE_SIZE';
  if (qty > ins.maxQty || !Number.isSafeInteger(qty)) return 'OUT_OF_RANGE';
  if (qty % ins.lotSize !== 0) return 'BAD_LOT';
  if (qty < ins.minQty) return 'BELOW_MIN_SIZE';
  return undefined;
}

/** Reading: each check runs over every given price before the next check (≤ 0, then > max, then tick). */
function checkPrices(prices: readonly (number | undefined)[], ins: Instrument): RejectCode | undefined {
  const given = prices.filter((p): p is number => p !== undefined);
  if (given.some((p) => p <= 0)) return 'NON_POSITIVE_PRICE';
  if (given.some((p) => p > ins.maxPrice)) return 'OUT_OF_RANGE';
  if (given.some((p) => p % ins.tickSize !== 0)) return 'BAD_TICK';
  return undefined;
}
