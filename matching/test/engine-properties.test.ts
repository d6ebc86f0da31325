import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Command, EngineEvent, L3Snapshot, Side } from '../src/index.ts';
import { MatchingEngine } from '../src/index.ts';
import { ReferenceEngine } from './reference/reference-engine.ts';
import { commandsArb } from './support/command-arbitrary.ts';
import { L2Mirror, l2FromL3 } from './support/event-helpers.ts';
import { TEST_INSTRUMENTS } from './support/fixtures.ts';
import { type BookUnderTest, IMPLEMENTATIONS } from './support/implementations.ts';

/**
 * Property tests over random command sequences (support/command-arbitrary.ts). The main one: the engine's
 * event stream and books equal the reference model's after every command. The others check the README's
 * invariants on every implementation after every command. PROPERTY_RUNS raises the run count (CI default
 * keeps this file within a few seconds).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SYMBOLS = TEST_INSTRUMENTS.map((i) => i.symbol);
const key = (symbol: string, orderId: number): string => `${symbol}#${orderId}`;

/** Feeds one implementation and collects its events per command. */
class Driver {
  readonly all: EngineEvent[] = [];
  readonly book: BookUnderTest;

  constructor(create: (onEvent: (e: EngineEvent) => void) => BookUnderTest) {
    this.book = create((e) => this.all.push(e));
  }

  submit(cmd: Command): EngineEvent[] {
    const from = this.all.length;
    this.book.submit(cmd);
    return this.all.slice(from);
  }

  l3s(): (L3Snapshot | undefined)[] {
    return SYMBOLS.map((s) => this.book.l3(s));
  }
}

/** Open quantity per order, rebuilt from events alone (README rule 10). */
class QtyLedger {
  private readonly open = new Map<string, number>();
  submitted = 0;
  increases = 0;
  reductions = 0;
  filled = 0;
  ended = 0;

  apply(e: EngineEvent): void {
    switch (e.type) {
      case 'accepted':
        expect(this.open.has(key(e.symbol, e.orderId)), `accepted id ${e.orderId} already open`).toBe(false);
        this.open.set(key(e.symbol, e.orderId), e.qty);
        this.submitted += e.qty;
        break;
      case 'trade':
        expect(e.qty).toBeGreaterThan(0);
        this.take(key(e.symbol, e.makerOrderId), e.qty);
        this.take(key(e.symbol, e.takerOrderId), e.qty);
        this.filled += 2 * e.qty;
        break;
      case 'modified': {
        const before = this.open.get(key(e.symbol, e.orderId));
        expect(before, `modified ${e.orderId} is not open`).toBeDefined();
        const delta = e.qty - (before ?? 0);
        if (delta > 0) this.increases += delta;
        else this.reductions -= delta;
        this.open.set(key(e.symbol, e.orderId), e.qty);
        break;
      }
      case 'done': {
        const k = key(e.symbol, e.orderId);
        expect(this.open.get(k), `done ${e.orderId}: remainingQty is its open qty`).toBe(e.remainingQty);
        if (e.reason === 'filled') expect(e.remainingQty).toBe(0);
        else expect(e.remainingQty).toBeGreaterThan(0);
        this.open.delete(k);
        this.ended += e.remainingQty;
        break;
      }
      default:
        break;
    }
  }

  private take(k: string, qty: number): void {
    const open = this.open.get(k);
    expect(open, `trade with ${k}, which is not open`).toBeDefined();
    expect(open ?? 0).toBeGreaterThanOrEqual(qty);
    this.open.set(k, (open ?? 0) - qty);
  }

  /** Checks the ledger against the book's own L3 (resting orders and pending stops). */
  check(book: BookUnderTest): void {
    const actual = new Map<string, number>();
    for (const symbol of SYMBOLS) {
      const l3 = book.l3(symbol);
      for (const level of [...(l3?.bids ?? []), ...(l3?.asks ?? [])]) {
        for (const o of level.orders) actual.set(key(symbol, o.orderId), o.qty);
      }
      for (const s of l3?.stops ?? []) actual.set(key(symbol, s.orderId), s.qty);
    }
    const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(actual), 'open orders rebuilt from events = L3').toEqual(sorted(this.open));
    const openQty = [...actual.values()].reduce((s, q) => s + q, 0);
    expect(this.submitted + this.increases - this.reductions).toBe(openQty + this.filled + this.ended);
  }
}

/** Where each resting order stood before a command: its side, price and priority rank on that side. */
function priorities(l3: L3Snapshot): Map<number, { side: Side; price: number; rank: number }> {
  const out = new Map<number, { side: Side; price: number; rank: number }>();
  for (const [side, levels] of [
    ['buy', l3.bids],
    ['sell', l3.asks],
  ] as const) {
    let rank = 0;
    for (const level of levels)
      for (const o of level.orders) out.set(o.orderId, { side, price: level.price, rank: rank++ });
  }
  return out;
}

/**
 * Every trade is at the maker's resting price, and every order that had priority over the maker before the
 * command has ended before the trade (price-time priority).
 */
function checkPriority(
  cmd: Command,
  before: Map<string, L3Snapshot | undefined>,
  events: readonly EngineEvent[],
): void {
  const endedSoFar = new Set<string>();
  for (const e of events) {
    if (e.type === 'done') endedSoFar.add(key(e.symbol, e.orderId));
    if (e.type !== 'trade') continue;
    const snapshot = before.get(e.symbol);
    if (snapshot === undefined) continue;
    const ranks = priorities(snapshot);
    // A modified order is re-queued at its new price, where a triggered stop may then take it.
    if (cmd.type === 'modify' && cmd.symbol === e.symbol) ranks.delete(cmd.orderId);
    const maker = ranks.get(e.makerOrderId);
    if (maker === undefined) continue; // rested during this command (a triggered stop-limit)
    expect(e.price, `trade ${e.tradeId} at the maker's price`).toBe(maker.price);
    expect(maker.side, 'the maker rests on the side opposite the taker').not.toBe(e.takerSide);
    for (const [orderId, p] of ranks) {
      if (p.side === maker.side && p.rank < maker.rank) {
        expect(
          endedSoFar.has(key(e.symbol, orderId)),
          `order ${orderId} had priority over maker ${e.makerOrderId}`,
        ).toBe(true);
      }
    }
  }
}

/** Runs `cmds` and checks the README invariants after every command. */
function checkInvariants(book: Driver, cmds: readonly Command[]): void {
  const ledger = new QtyLedger();
  const mirror = new L2Mirror();
  let lastSeq = 0;
  let clockUs = 0;
  for (const cmd of cmds) {
    const before = new Map(SYMBOLS.map((s) => [s, book.book.l3(s)] as const));
    const events = book.submit(cmd);
    for (const e of events) {
      expect(e.seq, 'seq is contiguous').toBe(lastSeq + 1);
      lastSeq = e.seq;
      // A stale command's rejection carries the clock instead: event time never goes backwards.
      expect(e.tsUs, "events carry their command's timestamp").toBe(Math.max(clockUs, cmd.tsUs));
      ledger.apply(e);
      mirror.apply(e);
    }
    clockUs = Math.max(clockUs, cmd.tsUs);
    const rejected = events.filter((e) => e.type === 'rejected');
    if (rejected.length > 0) {
      expect(events, 'a refused command emits exactly one event').toHaveLength(1);
      expect(book.l3s(), 'a refused command changes no book').toEqual([...before.values()]);
    }
    const levels = events.findIndex((e) => e.type === 'level');
    if (levels >= 0)
      expect(
        events.slice(levels).every((e) => e.type === 'level'),
        'level events come last',
      ).toBe(true);
    checkPriority(cmd, before, events);
    for (const symbol of SYMBOLS) {
      const l2 = book.book.l2(symbol);
      const l3 = book.book.l3(symbol);
      expect(l3).toBeDefined();
      if (l2 === undefined || l3 === undefined) continue;
      const bestBid = l2.bids[0]?.[0];
      const bestAsk = l2.asks[0]?.[0];
      if (bestBid !== undefined && bestAsk !== undefined)
        expect(bestBid, 'never crossed').toBeLessThan(bestAsk);
      expect(l2, 'L2 = aggregate of L3').toEqual(l2FromL3(l3));
      expect(book.book.l2(symbol, 2)).toEqual({ bids: l2.bids.slice(0, 2), asks: l2.asks.slice(0, 2) });
      expect(mirror.l2(symbol), 'level events rebuild L2').toEqual(l2);
    }
    ledger.check(book.book);
  }
}

describe('the engine against the reference model', () => {
  test('same events (incl. seq and tsUs) and same L3 after every command', () => {
    fc.assert(
      fc.property(commandsArb(), (cmds) => {
        const engine = new Driver((onEvent) => new MatchingEngine(TEST_INSTRUMENTS, onEvent));
        const reference = new Driver((onEvent) => new ReferenceEngine(TEST_INSTRUMENTS, onEvent));
        for (const [i, cmd] of cmds.entries()) {
          const expected = reference.submit(cmd);
          expect(engine.submit(cmd), `events of command #${i}`).toEqual(expected);
          expect(engine.l3s(), `books after command #${i}`).toEqual(reference.l3s());
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(IMPLEMENTATIONS)('$name invariants', (impl) => {
  test('never crossed, L2 = Σ L3 = level events, qty conserved, price-time priority, refusals change nothing', () => {
    fc.assert(
      fc.property(commandsArb(), (cmds) => {
        checkInvariants(new Driver((onEvent) => impl.create(TEST_INSTRUMENTS, onEvent)), cmds);
      }),
      { numRuns: RUNS },
    );
  });

  test('a refused command leaves stateHash unchanged', () => {
    fc.assert(
      fc.property(commandsArb(), (cmds) => {
        const book = new Driver((onEvent) => impl.create(TEST_INSTRUMENTS, onEvent));
        for (const cmd of cmds) {
          const hash = book.book.stateHash();
          const events = book.submit(cmd);
          if (events[0]?.type === 'rejected') expect(book.book.stateHash()).toBe(hash);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
