import { describe, expect, test } from 'vitest';
import {
  DEFAULT_INSTRUMENT_SPECS,
  defineInstrument,
  type EngineEvent,
  MarketData,
  type MarketDataUpdate,
  MarketSimulator,
  MatchingEngine,
  MatchingError,
} from '../../src/index.ts';

const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);

/** Engine events of `count` simulator commands (seeded), with a clock tick after every `tickEvery` commands. */
function stream(seed: number, count: number, tickEvery: number): ({ tick: number } | EngineEvent)[] {
  const out: ({ tick: number } | EngineEvent)[] = [];
  const simulator = new MarketSimulator({
    seed,
    instruments,
    ordersPerSecond: 50,
    startUs: 1_767_225_600_000_000,
  });
  const engine = new MatchingEngine(instruments, (e) => {
    simulator.onEvent(e);
    out.push(e);
  });
  for (let i = 0; i < count; i++) {
    const cmd = simulator.next();
    engine.submit(cmd);
    // Ticks ahead of the next command, as the live driver's clock runs ahead of the events.
    if (i % tickEvery === 0) out.push({ tick: cmd.tsUs + 37_000 });
  }
  return out;
}

function feed(md: MarketData, items: readonly ({ tick: number } | EngineEvent)[]): void {
  for (const item of items) {
    if ('tick' in item) md.advanceTo(item.tick);
    else md.onEvent(item);
  }
}

/** What a MarketData shows: tickers and every interval's recent bars. */
function view(md: MarketData): unknown {
  return instruments.map((i) => ({
    ticker: md.ticker(i.symbol),
    candles: (['1s', '1m', '5m', '15m', '1h', '1d'] as const).map((iv) => md.candles(i.symbol, iv, 1000)),
  }));
}

describe('MarketData state export', () => {
  test.each([
    [1, 20_000, 7, 4_000],
    [2, 20_000, 50, 13_000],
    [3, 30_000, 3, 29_000],
  ])('seed %i: restored at a cut, it emits exactly what the original emits from there on', (seed, n, every, cut) => {
    const items = stream(seed, n, every);
    const outA: MarketDataUpdate[] = [];
    const a = new MarketData(instruments, (u) => outA.push(u));
    feed(a, items.slice(0, cut));
    // Through JSON, as a keyframe stores it: plain data only.
    const state = JSON.parse(JSON.stringify(a.exportState()));
    const outB: MarketDataUpdate[] = [];
    const b = new MarketData(instruments, (u) => outB.push(u));
    b.restoreState(state);
    expect(view(b)).toEqual(view(a));
    outA.length = 0;
    feed(a, items.slice(cut));
    feed(b, items.slice(cut));
    expect(outB.length).toBeGreaterThan(1000);
    expect(outB).toEqual(outA);
    expect(view(b)).toEqual(view(a));
    // And exporting again gives the same state.
    expect(b.exportState()).toEqual(a.exportState());
  });

  test('a day later, after the 24 h window rolled, the restored ticker still agrees', () => {
    const items = stream(4, 5_000, 10);
    const a = new MarketData(instruments, () => {});
    feed(a, items);
    const b = new MarketData(instruments, () => {});
    b.restoreState(JSON.parse(JSON.stringify(a.exportState())));
    const last = items.at(-1) as EngineEvent;
    for (const t of [last.tsUs + 3_600_000_000, last.tsUs + 86_400_000_000, last.tsUs + 90_000_000_000]) {
      a.advanceTo(t);
      b.advanceTo(t);
      expect(view(b)).toEqual(view(a));
    }
  });

  test('a state restores only into market data of the same symbols', () => {
    const a = new MarketData(instruments, () => {});
    const b = new MarketData(instruments.slice(0, 2), () => {});
    expect(() => b.restoreState(a.exportState())).toThrow(MatchingError);
  });
});
