import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { LevelEvent, Side } from '../../../matching/src/index.ts';
import { type BookDepth, type BookLevel, bookChecksum } from '../../src/protocol/index.ts';
import { DepthBook } from '../../src/server/depth-book.ts';

const SYMBOL = 'TEST';
let seq = 0;
const lvl = (side: Side, price: number, qty: number, count = qty === 0 ? 0 : 1): LevelEvent => ({
  type: 'level',
  seq: ++seq,
  tsUs: 0,
  symbol: SYMBOL,
  side,
  price,
  qty,
  count,
});

/** A book of `n` levels per side, 10 ticks apart: bids 1000, 990, …; asks 1010, 1020, …; level i has qty 10 × (i + 1), count 1. */
function ladder(n: number): DepthBook {
  const view = new DepthBook(SYMBOL);
  const events: LevelEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(lvl('buy', 1000 - 10 * i, 10 * (i + 1)), lvl('sell', 1010 + 10 * i, 10 * (i + 1)));
  }
  view.apply(events);
  for (const d of [10, 50, 'full'] as const) view.diff(d);
  return view;
}

const checksumOf = (view: DepthBook): number => view.snapshot(10).checksum;

describe('diff tables', () => {
  test.each<{
    name: string;
    events: LevelEvent[];
    expected: Record<string, { bids: BookLevel[]; asks: BookLevel[] } | null>;
  }>([
    {
      name: 'a change inside the window',
      events: [lvl('buy', 980, 7, 2)],
      expected: {
        10: { bids: [[980, 7, 2]], asks: [] },
        50: { bids: [[980, 7, 2]], asks: [] },
        full: { bids: [[980, 7, 2]], asks: [] },
      },
    },
    {
      name: 'a level removed from the top 10 pulls level 11 in',
      events: [lvl('sell', 1050, 0)],
      expected: {
        10: {
          bids: [],
          asks: [
            [1050, 0, 0],
            [1110, 110, 1],
          ],
        },
        50: {
          bids: [],
          asks: [
            [1050, 0, 0],
            [1510, 510, 1],
          ],
        },
        full: { bids: [], asks: [[1050, 0, 0]] },
      },
    },
    {
      name: 'a change of level 10, the edge of the window',
      events: [lvl('sell', 1100, 9, 9)],
      expected: {
        10: { bids: [], asks: [[1100, 9, 9]] },
        50: { bids: [], asks: [[1100, 9, 9]] },
        full: { bids: [], asks: [[1100, 9, 9]] },
      },
    },
    {
      name: 'a change beyond depth 10 is null for depth 10 only',
      events: [lvl('buy', 800, 1, 1)],
      expected: {
        10: null,
        50: { bids: [[800, 1, 1]], asks: [] },
        full: { bids: [[800, 1, 1]], asks: [] },
      },
    },
    {
      name: 'a new level inside the window pushes level 10 out',
      events: [lvl('buy', 1005, 3, 1)],
      expected: {
        10: {
          bids: [
            [1005, 3, 1],
            [910, 0, 0],
          ],
          asks: [],
        },
        50: {
          bids: [
            [1005, 3, 1],
            [510, 0, 0],
          ],
          asks: [],
        },
        full: { bids: [[1005, 3, 1]], asks: [] },
      },
    },
    {
      name: 'the best level removed',
      events: [lvl('buy', 1000, 0)],
      expected: {
        10: {
          bids: [
            [1000, 0, 0],
            [900, 110, 1],
          ],
          asks: [],
        },
        50: {
          bids: [
            [1000, 0, 0],
            [500, 510, 1],
          ],
          asks: [],
        },
        full: { bids: [[1000, 0, 0]], asks: [] },
      },
    },
    {
      name: 'both sides, best first per side',
      events: [
        lvl('sell', 1030, 1, 1),
        lvl('buy', 990, 2, 2),
        lvl('sell', 1010, 5, 3),
        lvl('buy', 1000, 4, 4),
      ],
      expected: {
        10: {
          bids: [
            [1000, 4, 4],
            [990, 2, 2],
          ],
          asks: [
            [1010, 5, 3],
            [1030, 1, 1],
          ],
        },
        50: {
          bids: [
            [1000, 4, 4],
            [990, 2, 2],
          ],
          asks: [
            [1010, 5, 3],
            [1030, 1, 1],
          ],
        },
        full: {
          bids: [
            [1000, 4, 4],
            [990, 2, 2],
          ],
          asks: [
            [1010, 5, 3],
            [1030, 1, 1],
          ],
        },
      },
    },
    {
      name: 'a level changed and changed back is no change',
      events: [lvl('buy', 950, 1, 1), lvl('buy', 950, 60, 1)],
      expected: { 10: null, 50: null, full: null },
    },
  ])('$name', ({ events, expected }) => {
    const view = ladder(60);
    view.apply(events);
    for (const d of [10, 50, 'full'] as const) {
      const want = expected[String(d)];
      const got = view.diff(d);
      expect(got, `depth ${d}`).toEqual(want === null ? null : { ...want, checksum: checksumOf(view) });
      expect(view.diff(d), `depth ${d} again`).toBeNull();
    }
  });
});

test('snapshot is best first with the §12 checksum of the top 10', () => {
  const view = ladder(12);
  const snap = view.snapshot(10);
  expect(snap.bids).toHaveLength(10);
  expect(snap.bids[0]).toEqual([1000, 10, 1]);
  expect(snap.asks[0]).toEqual([1010, 10, 1]);
  expect(view.snapshot('full').asks.map((l) => l[0])).toEqual([
    1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1090, 1100, 1110, 1120,
  ]);
  expect(snap.checksum).toBe(bookChecksum(snap.bids, snap.asks));
});

test('§12 example checksum', () => {
  const view = new DepthBook(SYMBOL);
  view.apply([lvl('sell', 6500125, 1500), lvl('sell', 6500200, 300), lvl('buy', 6500100, 250)]);
  expect(view.snapshot(10).checksum).toBe(2450029992);
});

test('a level event of another symbol throws', () => {
  expect(() => new DepthBook(SYMBOL).apply([{ ...lvl('buy', 1, 1), symbol: 'OTHER' }])).toThrow(/OTHER/);
});

/** A client's book of one depth: starts from a snapshot, applies updates (qty 0 = delete). */
class Mirror {
  private readonly bids = new Map<number, BookLevel>();
  private readonly asks = new Map<number, BookLevel>();

  constructor(snap: { bids: readonly BookLevel[]; asks: readonly BookLevel[] }) {
    this.update(snap);
  }

  update(u: { bids: readonly BookLevel[]; asks: readonly BookLevel[] }): void {
    for (const [side, levels] of [
      [this.bids, u.bids],
      [this.asks, u.asks],
    ] as const) {
      for (const l of levels) {
        if (l[1] === 0) side.delete(l[0]);
        else side.set(l[0], l);
      }
    }
  }

  levels(): { bids: BookLevel[]; asks: BookLevel[] } {
    return {
      bids: [...this.bids.values()].sort((a, b) => b[0] - a[0]),
      asks: [...this.asks.values()].sort((a, b) => a[0] - b[0]),
    };
  }
}

/** Level events with prices in 1..band; sides overlap in price on purpose: the view must not assume an uncrossed book. */
const levelEvent = (band: number): fc.Arbitrary<LevelEvent> =>
  fc
    .record({
      side: fc.constantFrom<Side>('buy', 'sell'),
      price: fc.integer({ min: 1, max: band }),
      // Mostly live levels, so windows are full and events land on their edges.
      qty: fc.oneof(
        { arbitrary: fc.constant(0), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 4 },
      ),
      count: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ side, price, qty, count }) => lvl(side, price, qty, qty === 0 ? 0 : count));

const DEPTHS: readonly BookDepth[] = [10, 50, 'full'];

test('a mirror fed snapshot + diffs equals the snapshot at every depth, with matching checksums', () => {
  fc.assert(
    fc.property(
      // Narrow bands keep windows full and hit their edges; wide ones leave levels beyond depth 50.
      fc.integer({ min: 12, max: 150 }).chain((band) =>
        fc.tuple(
          fc.array(levelEvent(band), { maxLength: 300, size: 'max' }),
          fc.array(fc.tuple(fc.array(levelEvent(band), { maxLength: 4 }), fc.boolean()), {
            maxLength: 60,
            size: 'max',
          }),
        ),
      ),
      ([initial, commands]) => {
        const view = new DepthBook(SYMBOL);
        view.apply(initial);
        for (const d of DEPTHS) view.diff(d);
        const mirrors = new Map(DEPTHS.map((d) => [d, new Mirror(view.snapshot(d))]));
        for (const [events, skipDiff] of commands) {
          view.apply(events);
          // Skipping a diff merges commands into one net update, as a conflated channel would.
          if (skipDiff) continue;
          for (const d of DEPTHS) {
            const mirror = mirrors.get(d) as Mirror;
            const u = view.diff(d);
            if (u !== null) {
              mirror.update(u);
              const { bids, asks } = mirror.levels();
              expect(u.checksum).toBe(bookChecksum(bids.slice(0, 10), asks.slice(0, 10)));
            }
            const snap = view.snapshot(d);
            expect(mirror.levels()).toEqual({ bids: snap.bids, asks: snap.asks });
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
