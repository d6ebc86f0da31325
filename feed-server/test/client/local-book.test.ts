import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LocalBook } from '../../src/client/index.ts';
import { type BookLevel, bookChecksum } from '../../src/protocol/index.ts';

describe('LocalBook', () => {
  test('snapshot in any order is kept best first; zero levels dropped', () => {
    const book = new LocalBook(10);
    book.reset(
      [
        [100, 1, 1],
        [102, 2, 1],
        [101, 0, 0],
      ],
      [
        [105, 1, 1],
        [103, 3, 2],
      ],
    );
    expect(book.bids).toEqual([
      [102, 2, 1],
      [100, 1, 1],
    ]);
    expect(book.asks).toEqual([
      [103, 3, 2],
      [105, 1, 1],
    ]);
  });

  test('update: insert, replace, remove; removing an absent level is harmless', () => {
    const book = new LocalBook();
    book.reset([[100, 1, 1]], [[103, 3, 2]]);
    book.apply(
      [
        [101, 5, 1],
        [100, 9, 3],
        [99, 0, 0],
      ],
      [[103, 0, 0]],
    );
    expect(book.bids).toEqual([
      [101, 5, 1],
      [100, 9, 3],
    ]);
    expect(book.asks).toEqual([]);
  });

  test('checksum is the §12 checksum of the levels (worked example)', () => {
    const book = new LocalBook();
    book.reset(
      [[6500100, 250, 1]],
      [
        [6500125, 1500, 2],
        [6500200, 300, 1],
      ],
    );
    expect(book.checksum()).toBe(2450029992);
  });

  test('a finite depth keeps at most that many levels per side', () => {
    const book = new LocalBook(10);
    const levels = Array.from({ length: 15 }, (_, i): BookLevel => [1000 - i, 1, 1]);
    book.reset(levels, []);
    expect(book.bids).toHaveLength(10);
    book.apply([[2000, 1, 1]], []);
    expect(book.bids).toHaveLength(10);
    expect(book.bids[0]?.[0]).toBe(2000);
    expect(book.bids[9]?.[0]).toBe(992);
  });

  test('toSnapshot is a copy; clear empties', () => {
    const book = new LocalBook();
    book.reset([[100, 1, 1]], []);
    const copy = book.toSnapshot();
    book.apply([[100, 0, 0]], []);
    expect(copy.bids).toEqual([[100, 1, 1]]);
    book.reset([[100, 1, 1]], [[101, 1, 1]]);
    book.clear();
    expect([book.bids, book.asks]).toEqual([[], []]);
  });

  // The model: one Map per side, sorted on read. Any sequence of snapshots and updates must agree with it.
  test('matches a naive model of maps after every step', () => {
    const level = fc.tuple(
      fc.integer({ min: 90, max: 110 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })),
      fc.integer({ min: 0, max: 5 }),
    );
    const side = fc.array(level, { maxLength: 8 });
    // A snapshot holds each price once (an update may, harmlessly, repeat one).
    const snapshotSide = fc.uniqueArray(level, { maxLength: 8, selector: (l) => l[0] });
    const step = fc.oneof(
      {
        weight: 1,
        arbitrary: fc.record({ snapshot: fc.constant(true), bids: snapshotSide, asks: snapshotSide }),
      },
      { weight: 6, arbitrary: fc.record({ snapshot: fc.constant(false), bids: side, asks: side }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const book = new LocalBook();
        let bids = new Map<number, BookLevel>();
        let asks = new Map<number, BookLevel>();
        for (const s of steps) {
          if (s.snapshot) {
            bids = new Map();
            asks = new Map();
            book.reset(s.bids, s.asks);
          } else {
            book.apply(s.bids, s.asks);
          }
          for (const [map, levels] of [
            [bids, s.bids],
            [asks, s.asks],
          ] as const) {
            for (const l of levels) {
              if (l[1] === 0) map.delete(l[0]);
              else map.set(l[0], l);
            }
          }
          const modelBids = [...bids.values()].sort((a, b) => b[0] - a[0]);
          const modelAsks = [...asks.values()].sort((a, b) => a[0] - b[0]);
          expect(book.bids).toEqual(modelBids);
          expect(book.asks).toEqual(modelAsks);
          expect(book.checksum()).toBe(bookChecksum(modelBids, modelAsks));
        }
      }),
    );
  });
});

describe('LocalBook.view', () => {
  test('a view keeps the book as of itself; only the side an update touches is copied', () => {
    const book = new LocalBook(10);
    book.reset([[100, 5, 1]], [[101, 7, 1]]);
    const before = book.view();
    book.apply([[100, 0, 0]], []);
    const after = book.view();
    book.apply([], [[102, 3, 1]]);
    book.clear();
    expect(before.bids).toEqual([[100, 5, 1]]);
    expect(before.asks).toEqual([[101, 7, 1]]);
    expect(before.checksum()).toBe(bookChecksum([[100, 5, 1]], [[101, 7, 1]]));
    expect(after.bids).toEqual([]);
    expect(after.asks).toBe(before.asks);
    expect(book.bids).toEqual([]);
    expect(Object.isFrozen(before)).toBe(true);
    expect(before.toSnapshot()).toEqual({ bids: [[100, 5, 1]], asks: [[101, 7, 1]] });
  });
});

describe('LocalBook decimal levels', () => {
  test('with the scales, each side as [price, qty, count] strings; a view caches and keeps them', () => {
    const book = new LocalBook(10, { priceScale: 2, qtyScale: 5 });
    book.reset([[6500100, 150, 1]], [[6500125, 1500, 2]]);
    const view = book.view();
    expect(view.bidsDecimal).toEqual([['65001.00', '0.00150', 1]]);
    expect(view.asksDecimal).toEqual([['65001.25', '0.01500', 2]]);
    expect(view.bidsDecimal).toBe(view.bidsDecimal);
    book.apply([[6500110, 1, 1]], []);
    expect(view.bidsDecimal).toEqual([['65001.00', '0.00150', 1]]);
    expect(book.bidsDecimal).toEqual([
      ['65001.10', '0.00001', 1],
      ['65001.00', '0.00150', 1],
    ]);
  });

  test('without scales, reading them throws instead of guessing', () => {
    const book = new LocalBook(10);
    book.reset([[1, 1, 1]], []);
    expect(book.bids).toEqual([[1, 1, 1]]);
    expect(() => book.view().bidsDecimal).toThrow(RangeError);
  });
});
