import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Candle, CandleBuilder } from '../../src/market-data/candle-builder.ts';
import { CANDLE_INTERVAL_US, type CandleInterval } from '../../src/market-data/candle-interval.ts';
import { AMZN, BTC, trade } from './make-events.ts';

const S = 1_000_000;
/** 2024-01-01T00:00:00Z, a multiple of every interval */
const T0 = Date.UTC(2024, 0, 1) * 1000;
/** T0 + seconds, in µs */
const at = (seconds: number): number => T0 + Math.round(seconds * S);

/** `U3 100/105/95/101 v6 #3` = update of the bar starting at T0+3 s; `C` = closed. */
function show(c: Candle): string {
  const index = (c.startUs - T0) / CANDLE_INTERVAL_US[c.interval];
  return `${c.closed ? 'C' : 'U'}${index} ${c.open}/${c.high}/${c.low}/${c.close} v${c.volume} #${c.tradeCount}`;
}

type Step = readonly ['trade', number, number, number] | readonly ['advance', number];

function run(builder: CandleBuilder, steps: readonly Step[]): string[] {
  const out: Candle[] = [];
  for (const step of steps) {
    if (step[0] === 'trade') out.push(...builder.onTrade(trade(at(step[1]), step[2], step[3])));
    else out.push(...builder.advanceTo(at(step[1])));
  }
  return out.map(show);
}

describe('CandleBuilder at 1s', () => {
  test.each<[string, Step[], string[]]>([
    ['the first trade opens a bar', [['trade', 0.5, 100, 1]], ['U0 100/100/100/100 v1 #1']],
    [
      'trades in one bar update it',
      [
        ['trade', 0.1, 100, 1],
        ['trade', 0.5, 105, 2],
        ['trade', 0.9, 95, 3],
        ['trade', 0.95, 101, 4],
      ],
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/105/100/105 v3 #2',
        'U0 100/105/95/95 v6 #3',
        'U0 100/105/95/101 v10 #4',
      ],
    ],
    [
      'a trade exactly at the boundary closes the bar and opens the next',
      [
        ['trade', 0.5, 100, 1],
        ['trade', 1, 101, 2],
      ],
      ['U0 100/100/100/100 v1 #1', 'C0 100/100/100/100 v1 #1', 'U1 101/101/101/101 v2 #1'],
    ],
    [
      'a trade one µs before the boundary stays in the bar',
      [
        ['trade', 0.5, 100, 1],
        ['trade', 0.999999, 99, 1],
      ],
      ['U0 100/100/100/100 v1 #1', 'U0 100/100/99/99 v2 #2'],
    ],
    [
      'advancing exactly to the end closes the bar; the next flat bar closes a second later',
      [
        ['trade', 0.5, 100, 1],
        ['advance', 1],
        ['advance', 1.5],
        ['advance', 2],
      ],
      ['U0 100/100/100/100 v1 #1', 'C0 100/100/100/100 v1 #1', 'C1 100/100/100/100 v0 #0'],
    ],
    [
      'a gap fills with flat bars at the previous close',
      [
        ['trade', 0.5, 100, 1],
        ['trade', 0.7, 102, 1],
        ['trade', 3.2, 101, 5],
      ],
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/102/100/102 v2 #2',
        'C0 100/102/100/102 v2 #2',
        'C1 102/102/102/102 v0 #0',
        'C2 102/102/102/102 v0 #0',
        'U3 101/101/101/101 v5 #1',
      ],
    ],
    [
      'no bars before the first trade',
      [
        ['advance', 1],
        ['advance', 5],
        ['trade', 5.5, 100, 1],
        ['advance', 6],
      ],
      ['U5 100/100/100/100 v1 #1', 'C5 100/100/100/100 v1 #1'],
    ],
    [
      'a closed bar is emitted exactly once however often time advances',
      [
        ['trade', 0.5, 100, 1],
        ['advance', 1.2],
        ['advance', 1.5],
        ['advance', 1.9],
        ['advance', 1.5],
      ],
      ['U0 100/100/100/100 v1 #1', 'C0 100/100/100/100 v1 #1'],
    ],
    [
      'time never goes back: an earlier advance does nothing',
      [
        ['trade', 2.5, 100, 1],
        ['advance', 1],
        ['advance', 3],
      ],
      ['U2 100/100/100/100 v1 #1', 'C2 100/100/100/100 v1 #1'],
    ],
    [
      'a trade stamped before the builder time counts in the current bar',
      [
        ['trade', 0.5, 100, 1],
        ['advance', 2.5],
        ['trade', 1.2, 90, 1],
      ],
      [
        'U0 100/100/100/100 v1 #1',
        'C0 100/100/100/100 v1 #1',
        'C1 100/100/100/100 v0 #0',
        'U2 90/90/90/90 v1 #1',
      ],
    ],
  ])('%s', (_name, steps, want) => {
    expect(run(new CandleBuilder(AMZN, '1s'), steps)).toEqual(want);
  });
});

describe('CandleBuilder at several intervals', () => {
  const steps: Step[] = [
    ['trade', 10, 100, 1],
    ['trade', 59.999999, 110, 2],
    ['trade', 60, 90, 3],
    ['trade', 299, 95, 4],
    ['trade', 301, 97, 5],
    ['advance', 900],
  ];
  test.each<[CandleInterval, string[]]>([
    [
      '1m',
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/110/100/110 v3 #2',
        'C0 100/110/100/110 v3 #2',
        'U1 90/90/90/90 v3 #1',
        'C1 90/90/90/90 v3 #1',
        'C2 90/90/90/90 v0 #0',
        'C3 90/90/90/90 v0 #0',
        'U4 95/95/95/95 v4 #1',
        'C4 95/95/95/95 v4 #1',
        'U5 97/97/97/97 v5 #1',
        'C5 97/97/97/97 v5 #1',
        ...[6, 7, 8, 9, 10, 11, 12, 13, 14].map((i) => `C${i} 97/97/97/97 v0 #0`),
      ],
    ],
    [
      '5m',
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/110/100/110 v3 #2',
        'U0 100/110/90/90 v6 #3',
        'U0 100/110/90/95 v10 #4',
        'C0 100/110/90/95 v10 #4',
        'U1 97/97/97/97 v5 #1',
        'C1 97/97/97/97 v5 #1',
        'C2 97/97/97/97 v0 #0',
      ],
    ],
    [
      '15m',
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/110/100/110 v3 #2',
        'U0 100/110/90/90 v6 #3',
        'U0 100/110/90/95 v10 #4',
        'U0 100/110/90/97 v15 #5',
        'C0 100/110/90/97 v15 #5',
      ],
    ],
    [
      '1h',
      [
        'U0 100/100/100/100 v1 #1',
        'U0 100/110/100/110 v3 #2',
        'U0 100/110/90/90 v6 #3',
        'U0 100/110/90/95 v10 #4',
        'U0 100/110/90/97 v15 #5',
      ],
    ],
  ])('%s', (interval, want) => {
    expect(run(new CandleBuilder(AMZN, interval), steps)).toEqual(want);
  });

  test('1d bars start at 00:00 UTC', () => {
    const b = new CandleBuilder(AMZN, '1d');
    const noonUs = Date.UTC(2024, 0, 1, 12) * 1000;
    const [bar] = b.onTrade(trade(noonUs, 100, 1));
    expect(bar?.startUs).toBe(T0);
    expect(b.advanceTo(T0 + 86_400 * S).map((c) => c.closed)).toEqual([true]);
  });
});

describe('CandleBuilder money', () => {
  test.each<[string, typeof AMZN, [number, number][], string]>([
    [
      '100.01×3 and 100.02×1',
      AMZN,
      [
        [10001, 3],
        [10002, 1],
      ],
      '100.012500',
    ],
    ['one trade', AMZN, [[10001, 7]], '100.010000'],
    [
      'fractional quantities: 65000.00×0.00001 and 65000.01×0.00002',
      BTC,
      [
        [6500000, 1],
        [6500001, 2],
      ],
      '65000.006667',
    ],
    [
      '1.00×1 and 1.01×1 → 1.005 exactly',
      AMZN,
      [
        [100, 1],
        [101, 1],
      ],
      '1.005000',
    ],
    [
      '1.00×1 and 1.01×19999 → the tie 1.0099995 rounds to even (up)',
      AMZN,
      [
        [100, 1],
        [101, 19999],
      ],
      '1.010000',
    ],
    [
      '1.00×3 and 1.01×19997 → the tie 1.0099985 rounds to even (down)',
      AMZN,
      [
        [100, 3],
        [101, 19997],
      ],
      '1.009998',
    ],
    [
      '1.00×3 and 1.01×1 → 1.0025 exactly',
      AMZN,
      [
        [100, 3],
        [101, 1],
      ],
      '1.002500',
    ],
    [
      '1.00×2 and 1.01×1 → 1.00333… rounds down',
      AMZN,
      [
        [100, 2],
        [101, 1],
      ],
      '1.003333',
    ],
    [
      '1.00×1 and 1.01×2 → 1.00666… rounds up',
      AMZN,
      [
        [100, 1],
        [101, 2],
      ],
      '1.006667',
    ],
  ])('VWAP of %s', (_name, instrument, trades, want) => {
    const b = new CandleBuilder(instrument, '1m');
    let last: Candle | undefined;
    for (const [price, qty] of trades) last = b.onTrade(trade(T0, price, qty, instrument.symbol)).at(-1);
    expect(last?.vwap).toBe(want);
  });

  test('notional and volume stay exact beyond 2^53', () => {
    const big = 2 ** 50 - 1;
    const b = new CandleBuilder(AMZN, '1m');
    b.onTrade(trade(T0, big, big));
    const [bar] = b.onTrade(trade(T0, big, big));
    expect(bar?.notional).toBe(2n * BigInt(big) * BigInt(big));
    expect(bar?.volume).toBe(2n * BigInt(big));
    expect(bar?.vwap).toBe(`${(BigInt(big) / 100n).toString()}.${(BigInt(big) % 100n).toString()}0000`);
  });

  test('a flat bar has no VWAP', () => {
    const b = new CandleBuilder(AMZN, '1s');
    b.onTrade(trade(at(0), 100, 1));
    const [, flat] = b.advanceTo(at(2));
    expect(flat).toMatchObject({ volume: 0n, notional: 0n, tradeCount: 0, vwap: null, closed: true });
  });
});

describe('CandleBuilder flat-bar cap and history', () => {
  test('a gap longer than the cap emits only the latest flat bars', () => {
    const b = new CandleBuilder(AMZN, '1s', { maxFlatBarsPerAdvance: 3 });
    b.onTrade(trade(at(0.5), 100, 1));
    expect(b.advanceTo(at(10.5)).map(show)).toEqual([
      'C0 100/100/100/100 v1 #1',
      'C7 100/100/100/100 v0 #0',
      'C8 100/100/100/100 v0 #0',
      'C9 100/100/100/100 v0 #0',
    ]);
    expect(b.recent(10).map(show)).toEqual([
      'C0 100/100/100/100 v1 #1',
      'C7 100/100/100/100 v0 #0',
      'C8 100/100/100/100 v0 #0',
      'C9 100/100/100/100 v0 #0',
      'U10 100/100/100/100 v0 #0',
    ]);
  });

  test('a gap of years costs one call bounded by the default cap', () => {
    const b = new CandleBuilder(AMZN, '1s');
    b.onTrade(trade(at(0), 100, 1));
    const out = b.advanceTo(at(3 * 365 * 86_400));
    expect(out).toHaveLength(1 + 1000);
    expect(out.at(-1)?.startUs).toBe(at(3 * 365 * 86_400 - 1));
  });

  test.each<[number, string[]]>([
    [0, []],
    [1, ['U5']],
    [3, ['C3', 'C4', 'U5']],
    [10, ['C3', 'C4', 'U5']],
  ])('recent(%d) with historyLimit 2', (limit, want) => {
    const b = new CandleBuilder(AMZN, '1s', { historyLimit: 2 });
    for (let s = 0; s < 6; s++) b.onTrade(trade(at(s), 100 + s, 1));
    expect(b.recent(limit).map((c) => show(c).split(' ')[0])).toEqual(want);
  });

  test('recent before any trade is empty, forming is null', () => {
    const b = new CandleBuilder(AMZN, '1s');
    b.advanceTo(at(5));
    expect(b.recent(5)).toEqual([]);
    expect(b.forming()).toBeNull();
  });

  test('history stays bounded', () => {
    const b = new CandleBuilder(AMZN, '1s', { historyLimit: 5 });
    b.onTrade(trade(at(0), 100, 1));
    for (let s = 1; s <= 100; s++) b.advanceTo(at(s));
    const bars = b.recent(1000);
    expect(bars).toHaveLength(6);
    expect(bars.map((c) => (c.startUs - T0) / S)).toEqual([95, 96, 97, 98, 99, 100]);
  });

  test.each([
    [{ historyLimit: -1 }],
    [{ historyLimit: 1.5 }],
    [{ maxFlatBarsPerAdvance: -1 }],
  ])('rejects options %j', (options) => {
    expect(() => new CandleBuilder(AMZN, '1s', options)).toThrow(RangeError);
  });

  test('refuses another symbol’s trade', () => {
    expect(() => new CandleBuilder(AMZN, '1s').onTrade(trade(at(0), 100, 1, 'BTC-USD'))).toThrow(RangeError);
  });
});

describe('CandleBuilder properties', () => {
  const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN });
  const opArb = fc.oneof(
    fc.record({
      kind: fc.constant('trade' as const),
      dtUs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 * S })),
      price: fc.integer({ min: 1, max: 2 ** 50 }),
      qty: fc.integer({ min: 1, max: 2 ** 50 }),
    }),
    fc.record({ kind: fc.constant('advance' as const), dtUs: fc.integer({ min: 0, max: 4 * S }) }),
  );

  test.each<CandleInterval>([
    '1s',
    '5m',
  ])('%s: closed bars are contiguous and equal a naive recomputation from the trades', (interval) => {
    const lengthUs = CANDLE_INTERVAL_US[interval];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * S }), fc.array(opArb, { maxLength: 80 }), (startUs, ops) => {
        const b = new CandleBuilder(AMZN, interval, { historyLimit: 10_000 });
        const emitted: Candle[] = [];
        const trades: { tsUs: number; price: number; qty: number }[] = [];
        let now = T0 + startUs;
        for (const op of ops) {
          now += op.dtUs;
          if (op.kind === 'trade') {
            trades.push({ tsUs: now, price: op.price, qty: op.qty });
            emitted.push(...b.onTrade(trade(now, op.price, op.qty)));
          } else {
            emitted.push(...b.advanceTo(now));
          }
        }
        const end = now - (((now % lengthUs) + lengthUs) % lengthUs) + lengthUs;
        emitted.push(...b.advanceTo(end));

        const closed = emitted.filter((c) => c.closed);
        const first = trades[0];
        if (first === undefined) {
          expect(emitted).toEqual([]);
          return;
        }
        // naive: group by bucket, fill every bucket from the first trade's to the last with a bar
        const firstStart = first.tsUs - (first.tsUs % lengthUs);
        const want: Omit<Candle, 'symbol' | 'interval' | 'closed'>[] = [];
        let prevClose = first.price;
        for (let s = firstStart; s < end; s += lengthUs) {
          const inBar = trades.filter((t) => t.tsUs >= s && t.tsUs < s + lengthUs);
          const last = inBar.at(-1);
          if (last === undefined) {
            want.push({
              startUs: s,
              open: prevClose,
              high: prevClose,
              low: prevClose,
              close: prevClose,
              volume: 0n,
              notional: 0n,
              tradeCount: 0,
              vwap: null,
            });
            continue;
          }
          const volume = inBar.reduce((sum, t) => sum + BigInt(t.qty), 0n);
          const notional = inBar.reduce((sum, t) => sum + BigInt(t.price) * BigInt(t.qty), 0n);
          want.push({
            startUs: s,
            open: inBar[0]?.price ?? Number.NaN,
            high: Math.max(...inBar.map((t) => t.price)),
            low: Math.min(...inBar.map((t) => t.price)),
            close: last.price,
            volume,
            notional,
            tradeCount: inBar.length,
            vwap: new Exact(notional.toString()).div(new Exact((volume * 100n).toString())).toFixed(6),
          });
          prevClose = last.price;
        }
        expect(closed.map(({ symbol: _s, interval: _i, closed: _c, ...rest }) => rest)).toEqual(want);
        // contiguous, no holes, each bar closed once
        for (let i = 1; i < closed.length; i++) {
          expect(closed[i]?.startUs).toBe((closed[i - 1]?.startUs ?? 0) + lengthUs);
        }
        // every update is the bar's state so far, and the last update before a close equals the closed bar
        for (let i = 0; i < emitted.length; i++) {
          const c = emitted[i];
          if (c === undefined || c.closed || c.tradeCount === 0) continue;
          const next = emitted.slice(i + 1).find((x) => x.startUs === c.startUs);
          if (next?.closed) expect({ ...next, closed: false }).toEqual(c);
        }
        expect(b.recent(10_001)).toEqual([...closed, b.forming()]);
      }),
      { numRuns: 300 },
    );
  });
});
