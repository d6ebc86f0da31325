import {
  carryOverMarketData,
  type Instrument,
  MarketData,
  type MarketDataState,
} from '../../../matching/src/index.ts';
import type { LogWarningHandler } from '../log/index.ts';
import { DataDirListing } from './data-dir-listing.ts';
import { readSessionEnd, type SessionEnd } from './session-end.ts';

/** Where a new live session continues from: the previous recorded session's end (see {@link continueFromDataDir}). */
export interface SessionContinuation {
  /** the session continued: its directory, `welcome.session` and the feed time of its last record (µs) */
  readonly from: { readonly dir: string; readonly session: string; readonly endUs: number };
  /**
   * the market data the new session starts from, for exactly the new session's instruments: the recorded
   * candle history and ticker windows carried over to the new start (`carryOverMarketData`); a symbol the
   * previous session did not trade, or traded with another specification, starts empty
   */
  readonly marketData: MarketDataState;
  /**
   * the simulator's starting fair price per symbol, scaled: the last recorded trade price, else the middle of
   * the recorded best bid and ask (rounded down to a tick); symbols with neither are left out
   */
  readonly initialPrices: Readonly<Record<string, number>>;
}

/** Options of {@link continueFromDataDir}. */
export interface ContinueOptions {
  /** the new session's instruments */
  readonly instruments: readonly Instrument[];
  /** the new session's start, µs since the epoch: bars whose interval ended before it are closed */
  readonly startUs: number;
  /** told about each newer session directory that could not be continued, and why (default: nothing) */
  readonly onSkip?: (dir: string, reason: string) => void;
  readonly onWarning?: LogWarningHandler;
}

/**
 * How a live session recorded into `dataDir` continues the ones before it: the newest session `serve`
 * recorded there that can be read (simulator sessions only; a directory that cannot be read is skipped and
 * reported) gives its end state, read from its last keyframe and tail only. Null when there is none: a fresh
 * data directory starts from nothing.
 */
export function continueFromDataDir(dataDir: string, options: ContinueOptions): SessionContinuation | null {
  const sessions = DataDirListing.read(dataDir).recordedSessions();
  for (let i = sessions.length - 1; i >= 0; i--) {
    const { dir } = sessions[i] as (typeof sessions)[number];
    let end: SessionEnd;
    try {
      end = readSessionEnd(dir, options.onWarning === undefined ? {} : { onWarning: options.onWarning });
    } catch (error) {
      options.onSkip?.(dir, error instanceof Error ? error.message : String(error));
      continue;
    }
    if (end.metadata.source !== 'simulator') {
      options.onSkip?.(dir, `an imported session (${end.metadata.source}), not a simulator's`);
      continue;
    }
    return continuation(dir, end, options);
  }
  return null;
}

function continuation(dir: string, end: SessionEnd, options: ContinueOptions): SessionContinuation {
  const recorded = end.state.exportMarketData();
  const before = new Map(end.metadata.instruments.map((i) => [i.symbol, i]));
  const fresh = new MarketData(options.instruments, () => {}).exportState();
  const initialPrices: Record<string, number> = {};
  const symbols = fresh.symbols.map((empty) => {
    const inst = options.instruments.find((i) => i.symbol === empty.symbol) as Instrument;
    const same = sameSpec(before.get(empty.symbol), inst);
    const kept = same ? recorded.symbols.find((s) => s.symbol === empty.symbol) : undefined;
    if (kept === undefined) return empty;
    const price = startingPrice(end, inst);
    if (price !== undefined) initialPrices[inst.symbol] = price;
    return kept;
  });
  return {
    from: { dir, session: end.metadata.session, endUs: end.endUs },
    marketData: carryOverMarketData({ nowUs: recorded.nowUs, symbols }, options.startUs),
    initialPrices,
  };
}

function sameSpec(a: Instrument | undefined, b: Instrument): boolean {
  return (
    a !== undefined &&
    a.priceScale === b.priceScale &&
    a.qtyScale === b.qtyScale &&
    a.tickSize === b.tickSize &&
    a.lotSize === b.lotSize
  );
}

function startingPrice(end: SessionEnd, inst: Instrument): number | undefined {
  const t = end.state.ticker(inst.symbol);
  if (t === undefined) return undefined;
  if (t.last !== null) return t.last;
  if (t.bestBid === null || t.bestAsk === null) return undefined;
  const mid = Math.floor((t.bestBid + t.bestAsk) / 2 / inst.tickSize) * inst.tickSize;
  return mid > 0 ? mid : undefined;
}
