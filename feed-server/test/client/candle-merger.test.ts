import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Candle, CandleMerger } from '../../src/client/index.ts';

const bar = (startUs: number, close: number, closed = false): Candle => ({
  startUs,
  open: 100,
  high: 200,
  low: 50,
  close,
  volume: 10,
  trades: 1,
  vwap: '1.0000',
  closed,
});

describe('CandleMerger.apply', () => {
  const cases: [string, Candle[], boolean[], [number, number, boolean][]][] = [
    [
      'forming bar updates, its close, the next bar',
      [bar(1, 10), bar(1, 11), bar(1, 12, true), bar(2, 20)],
      [true, true, true, true],
      [
        [1, 12, true],
        [2, 20, false],
      ],
    ],
    [
      'the previous bar closes after the next one started',
      [bar(1, 10), bar(2, 20), bar(1, 11, true)],
      [true, true, true],
      [
        [1, 11, true],
        [2, 20, false],
      ],
    ],
    [
      'a closed bar is final',
      [bar(1, 10, true), bar(1, 99), bar(1, 98, true)],
      [true, false, false],
      [[1, 10, true]],
    ],
    ['an unknown older bar is ignored', [bar(5, 50), bar(3, 30)], [true, false], [[5, 50, false]]],
  ];
  test.each(cases)('%s', (_name, updates, emitted, series) => {
    const m = new CandleMerger();
    expect(updates.map((b) => m.apply(b))).toEqual(emitted);
    expect(m.bars.map((b) => [b.startUs, b.close, b.closed])).toEqual(series);
  });

  test('keeps at most maxBars, dropping the oldest', () => {
    const m = new CandleMerger(3);
    for (let i = 1; i <= 5; i++) m.apply(bar(i, i));
    expect(m.bars.map((b) => b.startUs)).toEqual([3, 4, 5]);
    expect(m.apply(bar(2, 0))).toBe(false);
  });
});

describe('CandleMerger.replace', () => {
  test('first snapshot: every bar, oldest first, whatever the order received', () => {
    const m = new CandleMerger();
    expect(m.replace([bar(2, 20), bar(1, 10, true)]).map((b) => b.startUs)).toEqual([1, 2]);
  });

  test('resync: only newer bars and changed open bars are emitted', () => {
    const m = new CandleMerger();
    m.replace([bar(1, 10, true), bar(2, 20), bar(3, 30)]);
    const emitted = m.replace([bar(1, 10, true), bar(2, 20), bar(3, 31, true), bar(4, 40), bar(5, 50)]);
    expect(emitted.map((b) => [b.startUs, b.close])).toEqual([
      [3, 31],
      [4, 40],
      [5, 50],
    ]);
    expect(m.bars.map((b) => b.close)).toEqual([10, 20, 31, 40, 50]);
  });

  test('an older bar the consumer never saw is not slipped in, by a snapshot or after it', () => {
    const m = new CandleMerger();
    m.apply(bar(5, 50));
    expect(m.replace([bar(3, 30), bar(5, 51), bar(6, 60)]).map((b) => b.startUs)).toEqual([5, 6]);
    expect(m.apply(bar(3, 31))).toBe(false);
    expect(m.bars.map((b) => b.startUs)).toEqual([5, 6]);
  });

  test('a snapshot does not reopen a closed bar', () => {
    const m = new CandleMerger();
    m.apply(bar(1, 10, true));
    expect(m.replace([bar(1, 11, false)])).toEqual([]);
    expect(m.apply(bar(1, 12, false))).toBe(false);
  });

  test('property: a bar older than the newest emitted is emitted only to update one emitted open', () => {
    const step = fc.record({
      snapshot: fc.boolean(),
      bars: fc.array(
        fc.record({ startUs: fc.integer({ min: 0, max: 12 }), close: fc.nat(99), closed: fc.boolean() }),
        { minLength: 1, maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const m = new CandleMerger(8);
        let newest = Number.NEGATIVE_INFINITY;
        const closedEmitted = new Set<number>();
        const emittedOpen = new Set<number>();
        // (with maxBars 8 and startUs up to 12, bars get evicted too)
        for (const s of steps) {
          const bars = s.bars.map((b) => bar(b.startUs, b.close, b.closed));
          const out = s.snapshot ? m.replace(bars) : bars.filter((b) => m.apply(b));
          for (const b of out) {
            if (b.startUs < newest) expect(emittedOpen.has(b.startUs)).toBe(true);
            expect(closedEmitted.has(b.startUs)).toBe(false);
            if (b.closed) closedEmitted.add(b.startUs);
            else emittedOpen.add(b.startUs);
            newest = Math.max(newest, b.startUs);
          }
        }
      }),
    );
  });
});
