import fc from 'fast-check';
import type { Candle } from 'tickwire/client';
import { describe, expect, test } from 'vitest';
import { ChartBars, type ChartPoint, type EpochBar, MAX_GAP_SLOTS, replaces } from '../../src/model/index.ts';
import { FakeSeries } from './fake-series.ts';

const I = 1_000_000; // 1 s bars, in µs

function bar(slot: number, trades: number, closed: boolean, close = 100 + trades): Candle {
  return {
    startUs: slot * I,
    open: 100,
    high: Math.max(100, close),
    low: Math.min(100, close),
    close,
    volume: trades * 10,
    trades,
    vwap: trades === 0 ? null : '100.0000',
    closed,
  };
}

/** Shape of the plotted sequence: `slot:b` for a bar, `slot:_` for an empty slot. */
function shape(points: readonly ChartPoint[]): string {
  return points.map((p) => `${p.startUs / I}:${p.kind === 'bar' ? 'b' : '_'}`).join(' ');
}

/** What the chart draws of each point: a bar's closed copy that draws the same is not sent again. */
function drawn(points: readonly ChartPoint[]): string[] {
  return points.map((p) =>
    p.kind === 'gap'
      ? `${p.startUs}:_`
      : `${p.startUs}:${p.bar.open}/${p.bar.high}/${p.bar.low}/${p.bar.close}/${p.bar.volume}${p.bar.trades === 0 ? ':flat' : ''}`,
  );
}

function plotted(bars: ChartBars): FakeSeries {
  const series = new FakeSeries();
  series.apply(bars.takePatch());
  return series;
}

describe('ChartBars: scenarios', () => {
  test('the first bars are a reset; then the forming bar is an update of the newest point', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(1, 3, true), bar(2, 1, false)], 1);
    const series = plotted(bars);
    expect(shape(series.points)).toBe('1:b 2:b');
    bars.put(bar(2, 2, false), 1);
    const patch = bars.takePatch();
    expect(patch).toEqual({
      kind: 'update',
      updates: [{ point: expect.objectContaining({ startUs: 2 * I }), historical: false }],
    });
    series.apply(patch);
    expect(bars.takePatch()).toEqual({ kind: 'none' });
  });

  test("the previous bar's closed copy after the next bar started: no update when it draws the same", () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(1, 3, false), bar(2, 1, false)], 1);
    plotted(bars);
    expect(bars.put(bar(1, 3, true), 1)).toBe(false);
    expect(bars.at(I)?.bar.closed).toBe(true);
    expect(bars.takePatch()).toEqual({ kind: 'none' });
  });

  test('a changed bar older than the newest is a historical update, never "Cannot update oldest data"', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(1, 3, false), bar(2, 1, false)], 1);
    const series = plotted(bars);
    bars.put(bar(1, 4, true), 1); // the last trade of bar 1 arrives late, with its close
    const patch = bars.takePatch();
    expect(patch.kind === 'update' && patch.updates.map((u) => u.historical)).toEqual([true]);
    series.apply(patch);
    expect(drawn(series.points)).toEqual(drawn(bars.points()));
  });

  test('history arriving after live bars is merged with one reset, without duplicates', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(8, 2, true), bar(9, 1, false)], 1);
    const series = plotted(bars);
    bars.putAll([6, 7, 8].map((s) => bar(s, 2, true)).concat(bar(9, 1, false)), 1);
    const patch = bars.takePatch();
    expect(patch.kind).toBe('reset');
    series.apply(patch);
    expect(shape(series.points)).toBe('6:b 7:b 8:b 9:b');
  });

  test('missing intervals are empty slots, a hole in the chart; a bar with no trades is data', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(1, 2, true), bar(2, 0, true), bar(5, 1, false)], 1);
    expect(shape(plotted(bars).points)).toBe('1:b 2:b 3:_ 4:_ 5:b');
    expect(bars.holes()).toEqual([{ fromUs: 3 * I, toUs: 5 * I, epoch: 1 }]);
  });

  test('new bars after a silence are appended after their empty slots, in one update', () => {
    const bars = new ChartBars(I);
    bars.put(bar(1, 2, false), 1);
    const series = plotted(bars);
    bars.put(bar(4, 1, false), 2);
    const patch = bars.takePatch();
    expect(
      patch.kind === 'update' && patch.updates.map((u) => `${u.point.startUs / I}:${u.point.kind}`),
    ).toEqual(['2:gap', '3:gap', '4:bar']);
    series.apply(patch);
    expect(shape(series.points)).toBe('1:b 2:_ 3:_ 4:b');
    // A gap between two sessions is an outage, not a hole REST could fill.
    expect(bars.holes()).toEqual([]);
  });

  test('a hole filled later (REST) is a reset that replaces the empty slots', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(1, 2, true), bar(4, 1, false)], 1);
    const series = plotted(bars);
    bars.putAll([bar(2, 1, true), bar(3, 1, true)], 1);
    series.apply(bars.takePatch());
    expect(shape(series.points)).toBe('1:b 2:b 3:b 4:b');
    expect(bars.holes()).toEqual([]);
  });

  test('a long outage draws at most MAX_GAP_SLOTS empty slots', () => {
    const bars = new ChartBars(I);
    bars.putAll([bar(0, 1, true), bar(10_000, 1, false)], 1);
    const points = plotted(bars).points;
    expect(points.filter((p) => p.kind === 'gap')).toHaveLength(MAX_GAP_SLOTS);
  });

  test('a stale version (fewer trades, or open after closed) never replaces a newer one', () => {
    const bars = new ChartBars(I);
    bars.put(bar(1, 5, false), 1);
    expect(bars.put(bar(1, 3, false), 1)).toBe(false);
    bars.put(bar(1, 6, true), 1);
    expect(bars.put(bar(1, 9, false), 1)).toBe(false);
    expect(bars.at(I)?.bar).toEqual(bar(1, 6, true));
  });

  test("a restarted server's bar replaces the bar the stopped one left forming", () => {
    const bars = new ChartBars(I);
    bars.put(bar(1, 40, false), 1);
    bars.put(bar(1, 2, false, 90), 2);
    expect(bars.at(I)).toEqual({ bar: bar(1, 2, false, 90), epoch: 2 });
    expect(bars.put(bar(1, 41, true), 1)).toBe(false);
  });

  test('trimming keeps the newest maxBars bars and resets the chart; older bars are not taken back', () => {
    const bars = new ChartBars(I, { maxBars: 5, trimSlack: 2 });
    const series = plotted(bars);
    for (let s = 0; s < 8; s++) {
      bars.put(bar(s, 1, true), 1);
      series.apply(bars.takePatch());
    }
    expect(shape(series.points)).toBe('3:b 4:b 5:b 6:b 7:b');
    expect(bars.put(bar(1, 1, true), 1)).toBe(false);
  });
});

describe('replaces', () => {
  const v = (epoch: number, trades: number, closed: boolean): EpochBar => ({
    bar: bar(1, trades, closed),
    epoch,
  });
  test.each([
    ['more trades, same session', v(1, 3, false), v(1, 2, false), true],
    ['fewer trades, same session', v(1, 2, false), v(1, 3, false), false],
    ['the closed copy', v(1, 3, true), v(1, 3, false), true],
    ['an open version after the closed one', v(1, 4, false), v(1, 3, true), false],
    ['the same version again', v(1, 3, false), v(1, 3, false), false],
    ['a later session', v(2, 1, false), v(1, 9, false), true],
    ['an earlier session', v(1, 9, true), v(2, 1, false), false],
  ])('%s: %#', (_name, next, current, expected) => {
    expect(replaces(next, current)).toBe(expected);
  });
});

/** One version of a bar as a source delivers it. */
interface Delivery {
  readonly bar: Candle;
  readonly epoch: number;
}

/**
 * A market: sessions (epochs) of consecutive bars, each bar going through open versions with growing trade
 * counts and (except a session's last bar, which a stopped server may leave forming) a closed one; a session
 * starts in the interval where the previous one stopped or after an outage.
 */
const marketArb = fc
  .array(
    fc.record({
      outage: fc.integer({ min: -1, max: 6 }), // -1: the restart falls in the last bar's interval
      length: fc.integer({ min: 1, max: 12 }),
      lastClosed: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .chain((sessions) => {
    const bars: { slot: number; epoch: number; versions: number; closed: boolean; flat: boolean }[] = [];
    let next = 0;
    sessions.forEach((s, e) => {
      const start = Math.max(0, next + s.outage);
      for (let k = 0; k < s.length; k++) {
        const last = k === s.length - 1;
        bars.push({ slot: start + k, epoch: e + 1, versions: 0, closed: !last || s.lastClosed, flat: false });
      }
      next = start + s.length;
    });
    return fc.tuple(
      ...bars.map((b) =>
        fc
          .record({ versions: fc.integer({ min: 1, max: 4 }), flat: fc.boolean() })
          .map((r) => ({ ...b, ...r })),
      ),
    );
  })
  .map((bars) => {
    const deliveries: Delivery[] = [];
    for (const b of bars) {
      // A flat bar (no trades) exists only as its closed copy.
      if (b.flat && b.closed) {
        deliveries.push({ bar: bar(b.slot, 0, true, 100 + b.epoch), epoch: b.epoch });
        continue;
      }
      for (let t = 1; t <= b.versions; t++) {
        deliveries.push({ bar: bar(b.slot, t, false, 100 + 10 * b.epoch + t), epoch: b.epoch });
      }
      if (b.closed) {
        deliveries.push({
          bar: bar(b.slot, b.versions, true, 100 + 10 * b.epoch + b.versions),
          epoch: b.epoch,
        });
      }
    }
    return deliveries;
  });

/** The greatest version per slot, as `replaces` orders them. */
function expectedBars(deliveries: readonly Delivery[]): Map<number, EpochBar> {
  const best = new Map<number, EpochBar>();
  for (const d of deliveries) {
    const cur = best.get(d.bar.startUs);
    if (cur === undefined || replaces(d, cur)) best.set(d.bar.startUs, d);
  }
  return best;
}

describe('ChartBars: any arrival order', () => {
  test('the series never breaks lightweight-charts’ rules and ends equal to the merged bars, with holes where no bar is', () => {
    fc.assert(
      fc.property(
        marketArb.chain((deliveries) =>
          fc.tuple(
            fc.constant(deliveries),
            fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
            // after which deliveries a frame is drawn
            fc.array(fc.boolean(), { minLength: deliveries.length, maxLength: deliveries.length }),
            // REST: some deliveries repeated, as a history page would (stale or not)
            fc.subarray(deliveries),
          ),
        ),
        ([all, order, frames, repeated]) => {
          const bars = new ChartBars(I);
          const series = new FakeSeries();
          const arrivals = [...order, ...repeated];
          arrivals.forEach((d, i) => {
            bars.put(d.bar, d.epoch);
            if (frames[i % frames.length] === true) series.apply(bars.takePatch());
          });
          series.apply(bars.takePatch());
          expect(drawn(series.points)).toEqual(drawn(bars.points()));
          const expected = expectedBars(all);
          expect(bars.bars()).toEqual([...expected.values()].sort((a, b) => a.bar.startUs - b.bar.startUs));
          // Empty slots exactly where no bar is known, between the first and the last bar.
          const slots = series.points.map((p) => p.startUs / I);
          const first = slots[0] as number;
          expect(slots).toEqual(Array.from({ length: slots.length }, (_, k) => first + k));
          for (const p of series.points) expect(p.kind === 'bar').toBe(expected.has(p.startUs));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('with trimming: the newest bars are kept, each the greatest version delivered, and the series follows', () => {
    fc.assert(
      fc.property(
        marketArb.chain((deliveries) =>
          fc.tuple(
            fc.constant(deliveries),
            fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
            fc.array(fc.boolean(), { minLength: deliveries.length, maxLength: deliveries.length }),
          ),
        ),
        ([all, order, frames]) => {
          const bars = new ChartBars(I, { maxBars: 6, trimSlack: 3 });
          const series = new FakeSeries();
          order.forEach((d, i) => {
            bars.put(d.bar, d.epoch);
            if (frames[i] === true) series.apply(bars.takePatch());
          });
          series.apply(bars.takePatch());
          expect(drawn(series.points)).toEqual(drawn(bars.points()));
          const expected = expectedBars(all);
          const kept = bars.bars();
          expect(kept.length).toBeLessThanOrEqual(6 + 3);
          for (const e of kept) expect(e).toEqual(expected.get(e.bar.startUs));
          const oldest = kept[0]?.bar.startUs ?? Number.POSITIVE_INFINITY;
          const newer = [...expected.keys()].filter((s) => s >= oldest);
          expect(kept.map((e) => e.bar.startUs)).toEqual(newer.sort((a, b) => a - b));
        },
      ),
      { numRuns: 300 },
    );
  });
});
