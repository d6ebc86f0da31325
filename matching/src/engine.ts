import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { assert } from './assert.ts';
import type { EventOut } from './book-events.ts';
import type { L2Snapshot, L3Snapshot } from './book-snapshot.ts';
import type { Command, MassCancelCommand } from './commands.ts';
import type { EngineEvent, RejectedEvent } from './events.ts';
import type { Instrument } from './instrument.ts';
import { MatchingError } from './matching-error.ts';
import { OrderBook } from './order-book.ts';
import { OrderPool } from './order-pool.ts';
import type { RejectCode } from './reject-codes.ts';
import { checkModify, checkNewOrder, isValidId } from './validate-command.ts';

/**
 * The matching engine: one `OrderBook` per instrument, commands in, events out. Pure and deterministic —
 * the same commands always produce the same events and the same `stateHash()`.
 *
 * @example
 * const engine = new MatchingEngine([defineInstrument({ symbol: 'AMZN', tickSize: '0.01', lotSize: '1' })], console.log);
 * engine.submit({ type: 'new', tsUs: 1, symbol: 'AMZN', orderId: 1, ownerId: 1, side: 'buy', orderType: 'limit', price: 22500, qty: 10 });
 */
export class MatchingEngine implements EventOut {
  /** sequence number of the last event emitted (0 before any) */
  seq = 0;
  /** timestamp of the command being (or last) processed */
  tsUs = 0;
  private readonly books = new Map<string, OrderBook>();
  private readonly bookList: OrderBook[] = [];
  private busy = false;
  private listenerError: { cause: unknown; seq: number } | undefined = undefined;

  constructor(
    instruments: readonly Instrument[],
    private readonly onEvent: (event: EngineEvent) => void,
  ) {
    const pool = new OrderPool();
    for (const inst of instruments) {
      if (this.books.has(inst.symbol)) {
        throw new MatchingError('BAD_INSTRUMENT', `instrument ${inst.symbol} configured twice`);
      }
      const book = new OrderBook(inst, this, pool);
      this.books.set(inst.symbol, book);
      this.bookList.push(book);
    }
  }

  /** @internal used by the books */
  nextSeq(): number {
    return ++this.seq;
  }

  /**
   * @internal used by the books. A listener that throws must not leave a book half-updated, so the error is
   * held and rethrown once the command has been applied in full.
   */
  emit(event: EngineEvent): void {
    try {
      this.onEvent(event);
    } catch (cause) {
      this.listenerError ??= { cause, seq: event.seq };
    }
  }

  /**
   * Processes one command; its events are delivered synchronously, before this returns. The listener must not
   * call `submit` itself (the engine is not re-entrant: queue the command instead). If the listener throws, the
   * command is still applied in full, the remaining events are still delivered, and `submit` then throws a
   * `MatchingError` with code `LISTENER_FAILED` whose `cause` is the first error.
   */
  submit(cmd: Command): void {
    assert(
      !this.busy,
      'MatchingEngine.submit called from its own event listener (queue the command instead)',
    );
    this.busy = true;
    try {
      this.apply(cmd);
    } finally {
      this.busy = false;
    }
    const failed = this.listenerError;
    if (failed !== undefined) {
      this.listenerError = undefined;
      throw new MatchingError('LISTENER_FAILED', `the event listener threw at event seq ${failed.seq}`, {
        cause: failed.cause,
      });
    }
  }

  private apply(cmd: Command): void {
    if (!Number.isSafeInteger(cmd.tsUs) || cmd.tsUs < this.tsUs) {
      this.reject(cmd, 'STALE_TIMESTAMP');
      return;
    }
    this.tsUs = cmd.tsUs;
    if (cmd.type === 'mass_cancel') {
      this.massCancel(cmd);
      return;
    }
    const book = this.books.get(cmd.symbol);
    if (book === undefined) {
      this.reject(cmd, 'UNKNOWN_SYMBOL');
      return;
    }
    let code: RejectCode | null;
    switch (cmd.type) {
      case 'new':
        code = checkNewOrder(cmd, book.instrument) ?? book.submitNew(cmd);
        break;
      case 'cancel':
        code = isValidId(cmd.orderId) ? book.cancel(cmd.orderId) : 'INVALID_ID';
        break;
      case 'modify':
        code = checkModify(cmd, book.instrument) ?? book.modify(cmd);
        break;
      default:
        code = 'INVALID_ORDER';
    }
    if (code !== null) this.reject(cmd, code);
    book.flushLevels();
  }

  /** The instruments, in configuration order. */
  instruments(): Instrument[] {
    return this.bookList.map((b) => b.instrument);
  }

  instrument(symbol: string): Instrument | undefined {
    return this.books.get(symbol)?.instrument;
  }

  /** Aggregated levels, best first, up to `depth` per side. */
  l2(symbol: string, depth?: number): L2Snapshot | undefined {
    return this.books.get(symbol)?.l2(depth);
  }

  /** Every open order, in priority order (for debugging and tests). */
  l3(symbol: string): L3Snapshot | undefined {
    return this.books.get(symbol)?.l3();
  }

  /** Last trade price of an instrument, undefined before its first trade. */
  lastPrice(symbol: string): number | undefined {
    const p = this.books.get(symbol)?.lastPrice;
    return p === 0 ? undefined : p;
  }

  /** Number of open orders (resting and pending stops) over all instruments. */
  openOrders(): number {
    let n = 0;
    for (const b of this.bookList) n += b.openOrders;
    return n;
  }

  /**
   * Hex SHA-256 of the state of every book: each open order with its queue position and every field that
   * affects matching, pending stops, last trade prices and trade ids. Equal hashes ⇔ equal books, whatever the
   * history that led there (a refused command changes nothing, so it leaves the hash as it was); the event
   * sequence is not part of it — compare event streams for that.
   */
  stateHash(): string {
    // Pure JS (@noble/hashes), not node:crypto, so that matching runs in a browser or a worker; the bytes are the
    // ones node:crypto hashed, so every recorded hash still holds (engine-state-hash.test.ts compares the two).
    return bytesToHex(sha256(utf8ToBytes(this.stateText())));
  }

  /**
   * @internal The canonical text whose UTF-8 bytes `stateHash()` digests: each book's state in configuration
   * order, each followed by a newline. For tests, and for finding where two states differ.
   */
  stateText(): string {
    let text = '';
    for (const b of this.bookList) text += `${b.stateText()}\n`;
    return text;
  }

  private massCancel(cmd: MassCancelCommand): void {
    const one = cmd.symbol === undefined ? undefined : this.books.get(cmd.symbol);
    if (cmd.symbol !== undefined && one === undefined) {
      this.reject(cmd, 'UNKNOWN_SYMBOL');
      return;
    }
    if (!isValidId(cmd.ownerId)) {
      this.reject(cmd, 'INVALID_ID');
      return;
    }
    const books = one === undefined ? this.bookList : [one];
    for (const book of books) book.massCancel(cmd.ownerId);
    for (const book of books) book.flushLevels();
  }

  private reject(cmd: Command, code: RejectCode): void {
    const event: RejectedEvent = {
      type: 'rejected',
      seq: this.nextSeq(),
      tsUs: this.tsUs,
      symbol: cmd.symbol ?? '',
      command: cmd.type,
      orderId: cmd.type === 'mass_cancel' ? -1 : cmd.orderId,
      code,
    };
    this.onEvent(event);
  }
}
