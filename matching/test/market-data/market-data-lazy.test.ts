import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { EngineEvent } from '../../src/events.ts';
import type { Instrument } from '../../src/instrument.ts';
import {
  CANDLE_INTERVALS,
  CandleBuilder,
  MarketData,
  type MarketDataUpdate,
  TickerBuilder,
} from '../../src/market-data/index.ts';
import { AMZN, level, trade } from './make-events.ts';

const S = 1_000_000;
/** 2024-01-01T00:00:00Z */
const T0 = Date.UTC(2024, 0, 1) * 1000;

const INSTRUMENTS: Instrument[] = ['A', 'B', 'C', 'D', 'E'].map((symbol) => ({ ...AMZN, symbol }));

/**
 * `MarketData` as it was before it skipped builders that are not due (issue 13): every event and advance moves
 * every builder of every symbol. The lazy one must emit the same updates and answer the same.
 */
class EagerMarketData {
  readonly #bySymbol = new Map(
    INSTRUMENTS.map((i) => [
      i.symbol,
      { ticker: new TickerBuilder(i), candles: CANDLE_INTERVALS.map((c) => new CandleBuilder(i, c)) },
    ]),
  );
  #nowUs = Number.MIN_SAFE_INTEGER;

  constructor(readonly out: MarketDataUpdate[]) {}

  onEvent(e: EngineEvent): void {
    this.advanceTo(e.tsUs);
    const data = this.#bySymbol.get(e.symbol);
    if (data === undefined) return;
    if (e.type === 'trade') {
      for (const b of data.candles)
        for (const candle of b.onTrade(e)) this.out.push({ type: 'candle', candle });
      this.out.push({ type: 'ticker', ticker: data.ticker.onTrade(e) });
    } else if (e.type === 'level') {
      const ticker = data.ticker.onLevel(e);
      if (ticker !== null) this.out.push({ type: 'ticker', ticker });
    }
  }

  advanceTo(tsUs: number): void {
    if (tsUs <= this.#nowUs) return;
    this.#nowUs = tsUs;
    for (const data of this.#bySymbol.values()) {
      for (const b of data.candles)
        for (const candle of b.advanceTo(tsUs)) this.out.push({ type: 'candle', candle });
      const ticker = data.ticker.advanceTo(tsUs);
      if (ticker !== null) this.out.push({ type: 'ticker', ticker });
    }
  }

  ticker(symbol: string): unknown {
    return this.#bySymbol.get(symbol)?.ticker.ticker();
  }

  candles(symbol: string, interval: string): unknown {
    return this.#bySymbol
      .get(symbol)
      ?.candles.find((b) => b.interval === interval)
      ?.recent(10);
  }

  exportState(): unknown {
    return {
      nowUs: this.#nowUs,
      symbols: [...this.#bySymbol].map(([symbol, data]) => ({
        symbol,
        ticker: data.ticker.exportState(),
        candles: data.candles.map((b) => [b.interval, b.exportState()]),
      })),
    };
  }
}

type Step =
  | {
      readonly kind: 'trade' | 'level' | 'advance';
      readonly sym: number;
      readonly dtUs: number;
      readonly x: number;
    }
  | { readonly kind: 'query' | 'export'; readonly sym: number; readonly dtUs: 0; readonly x: 0 };

const dtUs = fc.oneof(
  fc.integer({ min: -2 * S, max: 2 * S }),
  fc.integer({ min: 0, max: 3 * 60 * S }),
  fc.integer({ min: 0, max: 2 * 86_400 * S }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('trade' as const, 'level' as const, 'advance' as const),
    sym: fc.nat({ max: INSTRUMENTS.length - 1 }),
    dtUs,
    x: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constantFrom('query' as const, 'export' as const),
    sym: fc.nat({ max: INSTRUMENTS.length - 1 }),
    dtUs: fc.constant(0 as const),
    x: fc.constant(0 as const),
  }),
);

test('skipping the builders that are not due changes no update, no answer and no exported state (issue 13)', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 300 }), fc.boolean(), (steps, restoreMidway) => {
      const lazyOut: MarketDataUpdate[] = [];
      let lazy = new MarketData(INSTRUMENTS, (u) => lazyOut.push(u));
      const eager = new EagerMarketData([]);
      let t = T0;
      steps.forEach((s, k) => {
        const symbol = (INSTRUMENTS[s.sym] as Instrument).symbol;
        t += s.dtUs;
        if (s.kind === 'trade' || s.kind === 'level') {
          const e =
            s.kind === 'trade'
              ? trade(t, 10_000 + s.x, s.x, symbol)
              : level(t, s.x % 2 === 0 ? 'buy' : 'sell', 10_000 + s.x, s.x % 7, symbol);
          lazy.onEvent(e);
          eager.onEvent(e);
        } else if (s.kind === 'advance') {
          lazy.advanceTo(t);
          eager.advanceTo(t);
        } else if (s.kind === 'query') {
          expect(lazy.ticker(symbol)).toEqual(eager.ticker(symbol));
          for (const interval of CANDLE_INTERVALS) {
            expect(lazy.candles(symbol, interval, 10)).toEqual(eager.candles(symbol, interval));
          }
        } else {
          expect(lazy.exportState()).toEqual(eager.exportState());
        }
        if (restoreMidway && k === Math.floor(steps.length / 2)) {
          const state = lazy.exportState();
          lazy = new MarketData(INSTRUMENTS, (u) => lazyOut.push(u));
          lazy.restoreState(state);
        }
      });
      expect(lazyOut).toEqual(eager.out);
      expect(lazy.exportState()).toEqual(eager.exportState());
      for (const i of INSTRUMENTS) expect(lazy.ticker(i.symbol)).toBeDefined();
    }),
    { numRuns: 200 },
  );
});
