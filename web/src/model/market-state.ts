import type { BookState, Candle, InstrumentInfo, TickerEvent } from 'tickwire/client';
import { CANDLE_INTERVAL_US } from 'tickwire/protocol';
import { ChartBars } from './chart-bars.ts';
import { ConnectionModel } from './connection-model.ts';
import { type TapeTrade, TradeTape } from './trade-tape.ts';
import type { Selection } from './view-state.ts';

/** A part of the page that a change makes stale. */
export type Part =
  | 'instruments'
  | 'selection'
  | 'chart'
  | 'ticker'
  | 'book'
  | 'tape'
  | 'status'
  | 'mode'
  | 'notice';

/**
 * Everything the page shows, as plain data: the feed layer writes it as messages arrive, the view reads it
 * once per animation frame. Each write marks the parts it changed and calls `onChange` (the frame scheduler):
 * a burst of messages costs a few assignments each and one render.
 */
export class MarketState {
  instruments: readonly InstrumentInfo[] = [];
  selection: Selection | null = null;
  /** the selected symbol's instrument (its scales), once the instruments are known */
  instrument: InstrumentInfo | undefined = undefined;
  /** the bars of the selected symbol and interval */
  chart: ChartBars | null = null;
  ticker: TickerEvent | null = null;
  /** the selected symbol's book as of its latest event (the SDK's immutable view: no copy per update) */
  book: BookState | null = null;
  readonly tape = new TradeTape();
  readonly connection = new ConnectionModel();
  /** `welcome.mode` of the current connection */
  mode: 'live' | 'replay' = 'live';
  /** engine time of the latest data event, µs: the replay clock */
  lastEventUs: number | null = null;
  /** a problem to show that stops nothing (a refused channel, history that failed to load) */
  notice: string | null = null;
  private readonly dirty = new Set<Part>();
  private readonly onChange: () => void;

  constructor(onChange: () => void = () => {}) {
    this.onChange = onChange;
  }

  /** Marks parts stale and asks for a render. */
  touch(...parts: Part[]): void {
    for (const p of parts) this.dirty.add(p);
    this.onChange();
  }

  /** The stale parts, cleared: the view renders them. */
  takeDirty(): ReadonlySet<Part> {
    const out = new Set(this.dirty);
    this.dirty.clear();
    return out;
  }

  setInstruments(list: readonly InstrumentInfo[]): void {
    this.instruments = list;
    this.instrument =
      this.selection === null ? undefined : list.find((i) => i.symbol === this.selection?.symbol);
    this.touch('instruments', 'chart', 'ticker', 'book', 'tape');
  }

  /**
   * Shows another symbol or interval: a new, empty chart; the ticker, book and tape start over when the symbol
   * changed.
   */
  select(selection: Selection): void {
    const symbolChanged = this.selection?.symbol !== selection.symbol;
    this.selection = selection;
    this.instrument = this.instruments.find((i) => i.symbol === selection.symbol);
    this.chart = new ChartBars(CANDLE_INTERVAL_US[selection.interval]);
    if (symbolChanged) {
      this.ticker = null;
      this.book = null;
      this.tape.clear();
    }
    this.touch('selection', 'chart', 'ticker', 'book', 'tape');
  }

  /**
   * The chart starts over for the same selection (the feed reset its candles: a replay seek or loop): a new,
   * empty chart, and no event time, so that the replay clock may go back.
   */
  restartChart(): void {
    const selection = this.selection;
    if (selection === null) return;
    this.chart = new ChartBars(CANDLE_INTERVAL_US[selection.interval]);
    this.lastEventUs = null;
    this.touch('chart', 'mode');
  }

  /** The tape starts over (the feed reset its trades: a replay seek or loop). */
  restartTape(): void {
    this.tape.clear();
    this.touch('tape');
  }

  putBar(bar: Candle, epoch: number): void {
    if (this.chart?.put(bar, epoch) === true) this.touch('chart');
  }

  putBars(bars: readonly Candle[], epoch: number): void {
    if (this.chart?.putAll(bars, epoch) === true) this.touch('chart');
  }

  setTicker(t: TickerEvent): void {
    this.ticker = t;
    this.touch('ticker');
  }

  setBook(book: BookState | null): void {
    this.book = book;
    this.touch('book');
  }

  pushTrade(t: TapeTrade): void {
    this.tape.push(t);
    this.touch('tape');
  }

  setNotice(text: string | null): void {
    if (this.notice === text) return;
    this.notice = text;
    this.touch('notice');
  }

  setMode(mode: 'live' | 'replay'): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.touch('mode');
  }

  eventTime(tsUs: number): void {
    if (this.lastEventUs === null || tsUs > this.lastEventUs) this.lastEventUs = tsUs;
  }
}
