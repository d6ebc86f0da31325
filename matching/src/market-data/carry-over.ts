import type { CandleBuilderState } from './candle-builder.ts';
import { bucketStartUs, type CandleInterval } from './candle-interval.ts';
import type { MarketDataState } from './market-data.ts';

/**
 * The market data a restarted feed starts from, given what the previous run recorded (`state`, as of its end)
 * and the time the new run starts (`startUs`, µs since the epoch). Pure: nothing is derived that was not
 * recorded.
 *
 * - Candles: the closed bars are kept as they are. A bar left forming whose interval ended before `startUs` is
 *   closed exactly as recorded (its OHLCV untouched; one without trades, never published, is dropped) and the builder waits for the new run's first trade to
 *   start the next bar: the time the feed was down gets no bars at all (a hole, not flat bars made up for
 *   it). A bar whose interval is still running at `startUs` (a 1d bar, or a 1m bar after a short restart)
 *   stays forming and goes on with the new run's trades, as its interval holds both.
 * - Ticker: the last trade and the 24 h window carry on; the best bid and ask are dropped, since the new run's
 *   book starts empty and its level events set them again.
 *
 * @example The caller (the composition root) passes the new run's start time; matching reads no clock.
 *
 * ```ts
 * const md = new MarketData(instruments, onUpdate);
 * md.restoreState(carryOverMarketData(recordedAtEnd, startUs));
 * ```
 */
export function carryOverMarketData(state: MarketDataState, startUs: number): MarketDataState {
  return {
    nowUs: state.nowUs,
    symbols: state.symbols.map((s) => ({
      symbol: s.symbol,
      ticker: { ...s.ticker, bids: [], asks: [] },
      candles: s.candles.map(([interval, c]) => [interval, carryCandles(interval, c, startUs)] as const),
    })),
  };
}

function carryCandles(interval: CandleInterval, c: CandleBuilderState, startUs: number): CandleBuilderState {
  const bar = c.bar;
  if (bar === null || bucketStartUs(startUs, interval) === bar[0]) return c;
  // A forming bar without trades was never published (flat bars go out only closed): not data to keep.
  const history = bar[7] === 0 ? c.history : [...c.history, bar];
  return { nowUs: c.nowUs, history, bar: null };
}
