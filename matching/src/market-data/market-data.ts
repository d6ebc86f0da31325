import type { EngineEvent } from '../events.ts';
import type { Instrument } from '../instrument.ts';
import { MatchingError } from '../matching-error.ts';
import {
  type Candle,
  CandleBuilder,
  type CandleBuilderOptions,
  type CandleBuilderState,
} from './candle-builder.ts';
import { CANDLE_INTERVALS, type CandleInterval } from './candle-interval.ts';
import { type Ticker, TickerBuilder, type TickerState } from './ticker.ts';

/**
 * Everything a `MarketData` holds, as plain data (MessagePack- and JSON-safe: bigints are decimal strings), so a
 * recorded session can restore it at a keyframe and go on exactly as the original would.
 */
export interface MarketDataState {
  readonly nowUs: number;
  /** per symbol, in configuration order */
  readonly symbols: readonly {
    readonly symbol: string;
    readonly ticker: TickerState;
    /** `[interval, state]` per configured interval */
    readonly candles: readonly (readonly [CandleInterval, CandleBuilderState])[];
  }[];
}

/** What `MarketData` derives from the engine's events: a new ticker or a new state of a candle. */
export type MarketDataUpdate =
  | { readonly type: 'ticker'; readonly ticker: Ticker }
  | { readonly type: 'candle'; readonly candle: Candle };

/** Tuning of `MarketData`: which intervals to build, and the `CandleBuilder` options for each. */
export interface MarketDataOptions extends CandleBuilderOptions {
  /** candle intervals to build (default: all of `CANDLE_INTERVALS`); built and emitted shortest first */
  readonly intervals?: readonly CandleInterval[];
}

interface SymbolData {
  readonly ticker: TickerBuilder;
  readonly candles: ReadonlyMap<CandleInterval, CandleBuilder>;
}

/**
 * Market data of one engine: a `TickerBuilder` and one `CandleBuilder` per interval for every instrument, fed
 * from the engine's events. Pure and synchronous: updates go to `onUpdate` before `onEvent` / `advanceTo`
 * returns.
 *
 * Time is global, as the engine's is: any event's `tsUs` (of any symbol, any type) first advances every
 * symbol, so a trade on one symbol closes the bars of the others. Then:
 * - `trade`: the symbol's candle updates (shortest interval first), then its ticker;
 * - `level`: the ticker, when the best bid or ask changed;
 * - other events, and events of unknown symbols: time only.
 *
 * `advanceTo` (a clock tick) emits, per symbol in configuration order, the closed bars (shortest interval
 * first, oldest first) and then the ticker when trades left its 24 h window.
 *
 * The cost of time follows the events, not the number of instruments: builders are walked only when the
 * earliest of their next bar ends and minute boundaries (`nextDueUs`) has come — bar ends are aligned to the
 * epoch, so that is once per shortest interval for all of them — and a builder skipped meanwhile is brought to
 * the current time before it is used or exported. Moving a builder's clock short of its `nextDueUs` emits
 * nothing, so the updates, their order and the exported state are those of advancing every builder every time.
 */
export class MarketData {
  readonly #bySymbol = new Map<string, SymbolData>();
  readonly #onUpdate: (u: MarketDataUpdate) => void;
  #nowUs = Number.MIN_SAFE_INTEGER;
  /** no builder emits on advancing to a time before this; every builder is walked at or after it */
  #nextDueUs = Number.MIN_SAFE_INTEGER;

  /**
   * Builders for `instruments`. Throws `MatchingError` (`BAD_INSTRUMENT`) when a symbol is listed twice and
   * `RangeError` on a bad option.
   */
  constructor(
    instruments: readonly Instrument[],
    onUpdate: (u: MarketDataUpdate) => void,
    options: MarketDataOptions = {},
  ) {
    this.#onUpdate = onUpdate;
    const wanted = new Set(options.intervals ?? CANDLE_INTERVALS);
    const intervals = CANDLE_INTERVALS.filter((i) => wanted.has(i));
    for (const instrument of instruments) {
      if (this.#bySymbol.has(instrument.symbol)) {
        throw new MatchingError('BAD_INSTRUMENT', `symbol ${instrument.symbol} is configured twice`);
      }
      this.#bySymbol.set(instrument.symbol, {
        ticker: new TickerBuilder(instrument),
        candles: new Map(intervals.map((i) => [i, new CandleBuilder(instrument, i, options)])),
      });
    }
  }

  /** Derives the updates one engine event causes (see the class description for which and in what order). */
  onEvent(e: EngineEvent): void {
    this.advanceTo(e.tsUs);
    const data = this.#bySymbol.get(e.symbol);
    if (data === undefined || (e.type !== 'trade' && e.type !== 'level')) return;
    // The event may be stamped before the feed's time: it counts where the builders' time is, as it always did.
    this.#catchUp(data);
    if (e.type === 'trade') {
      for (const builder of data.candles.values()) this.#emitCandles(builder.onTrade(e));
      this.#onUpdate({ type: 'ticker', ticker: data.ticker.onTrade(e) });
    } else {
      const ticker = data.ticker.onLevel(e);
      if (ticker !== null) this.#onUpdate({ type: 'ticker', ticker });
    }
    // A first trade starts a bar, a first event a minute: the symbol's next due time may now be earlier.
    this.#nextDueUs = Math.min(this.#nextDueUs, nextDueOf(data));
  }

  /**
   * Moves every symbol's time to `tsUs`, emitting closed bars and rolled 24 h tickers. An earlier or equal time
   * does nothing. Throws `RangeError` when `tsUs` is not a safe integer.
   */
  advanceTo(tsUs: number): void {
    if (!Number.isSafeInteger(tsUs)) throw new RangeError(`tsUs ${tsUs} is not a safe integer`);
    if (tsUs <= this.#nowUs) return;
    this.#nowUs = tsUs;
    if (tsUs < this.#nextDueUs) return;
    let nextDueUs = Number.MAX_SAFE_INTEGER;
    for (const data of this.#bySymbol.values()) {
      this.#advanceBuilders(data, tsUs);
      nextDueUs = Math.min(nextDueUs, nextDueOf(data));
    }
    this.#nextDueUs = nextDueUs;
  }

  /** The whole state (see {@link MarketDataState}). */
  exportState(): MarketDataState {
    for (const data of this.#bySymbol.values()) this.#catchUp(data);
    return {
      nowUs: this.#nowUs,
      symbols: [...this.#bySymbol].map(([symbol, data]) => ({
        symbol,
        ticker: data.ticker.exportState(),
        candles: [...data.candles].map(([interval, builder]) => [interval, builder.exportState()] as const),
      })),
    };
  }

  /**
   * Replaces the state with an exported one. Throws `MatchingError` (`BAD_INSTRUMENT`) when the state's symbols
   * or intervals are not exactly this instance's: a state restores only into market data configured alike.
   */
  restoreState(state: MarketDataState): void {
    const symbols = state.symbols.map((s) => s.symbol);
    if (symbols.join(',') !== [...this.#bySymbol.keys()].join(',')) {
      throw new MatchingError(
        'BAD_INSTRUMENT',
        `state of symbols ${symbols.join(',')} does not fit this market data`,
      );
    }
    for (const s of state.symbols) {
      const data = this.#bySymbol.get(s.symbol) as SymbolData;
      const intervals = s.candles.map(([interval]) => interval);
      if (intervals.join(',') !== [...data.candles.keys()].join(',')) {
        throw new MatchingError(
          'BAD_INSTRUMENT',
          `state of ${s.symbol} has intervals ${intervals.join(',')}`,
        );
      }
      data.ticker.restoreState(s.ticker);
      for (const [interval, candleState] of s.candles) data.candles.get(interval)?.restoreState(candleState);
    }
    this.#nowUs = state.nowUs;
    // Walk every builder on the next advance, which recomputes the due time from the restored builders.
    this.#nextDueUs = Number.MIN_SAFE_INTEGER;
  }

  /** The symbol's current ticker; undefined for a symbol that is not configured. */
  ticker(symbol: string): Ticker | undefined {
    const data = this.#bySymbol.get(symbol);
    if (data === undefined) return undefined;
    this.#catchUp(data);
    return data.ticker.ticker();
  }

  /**
   * The symbol's last `limit` bars at `interval`, oldest first, the forming bar last (see
   * `CandleBuilder.recent`); undefined for a symbol or interval that is not configured.
   */
  candles(symbol: string, interval: CandleInterval, limit: number): Candle[] | undefined {
    const data = this.#bySymbol.get(symbol);
    if (data === undefined) return undefined;
    this.#catchUp(data);
    return data.candles.get(interval)?.recent(limit);
  }

  /**
   * Brings one symbol's builders, which `advanceTo` may have skipped, to the current time. That emits nothing:
   * while the time is before `#nextDueUs` it is before every builder's `nextDueUs`. Otherwise (no event yet, or
   * a restored state not advanced since) no builder was skipped, and they stay as they are.
   */
  #catchUp(data: SymbolData): void {
    if (this.#nowUs >= this.#nextDueUs) return;
    this.#advanceBuilders(data, this.#nowUs);
  }

  #advanceBuilders(data: SymbolData, tsUs: number): void {
    for (const builder of data.candles.values()) this.#emitCandles(builder.advanceTo(tsUs));
    const ticker = data.ticker.advanceTo(tsUs);
    if (ticker !== null) this.#onUpdate({ type: 'ticker', ticker });
  }

  #emitCandles(candles: readonly Candle[]): void {
    for (const candle of candles) this.#onUpdate({ type: 'candle', candle });
  }
}

/** The earliest time one of the symbol's builders emits on an advance. */
function nextDueOf(data: SymbolData): number {
  let due = data.ticker.nextDueUs();
  for (const builder of data.candles.values()) due = Math.min(due, builder.nextDueUs());
  return due;
}
