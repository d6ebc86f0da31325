import type { Candle, CandleInterval, Instrument, Ticker } from '../../../matching/src/index.ts';
import type { BookDepth, BookLevel, Side } from '../protocol/index.ts';

/** The L2 book of one symbol at one depth, as served to a new subscriber or a REST client. */
export interface BookAtDepth {
  /** seq of the `book:SYMBOL:DEPTH` channel this state reflects (PROTOCOL.md §5) */
  readonly seq: number;
  /** engine time of the latest change, µs since the Unix epoch; 0 before any */
  readonly tsUs: number;
  /** PROTOCOL.md §12 CRC-32 of the top 10 levels per side */
  readonly checksum: number;
  /** `[price, qty, count]` scaled integers, best (highest) first */
  readonly bids: readonly BookLevel[];
  /** `[price, qty, count]` scaled integers, best (lowest) first */
  readonly asks: readonly BookLevel[];
}

/** One trade as kept for snapshots and REST. */
export interface TradeRecord {
  /** engine time, µs since the Unix epoch */
  readonly tsUs: number;
  /** the engine's trade id, increasing */
  readonly tradeId: number;
  /** scaled at the instrument's priceScale */
  readonly price: number;
  /** scaled at the instrument's qtyScale */
  readonly qty: number;
  /** the taker's side */
  readonly side: Side;
}

/**
 * Read access to the current market state, for REST and snapshots: what the feed's producer holds. Every
 * method is synchronous and returns `undefined` for a symbol that is not an instrument of this server.
 */
export interface MarketQuery {
  /** `welcome.session`: the sequence space of this server run */
  readonly session: string;
  /** live engine or replayed recording */
  readonly mode: 'live' | 'replay';
  /** the instruments, in configuration order */
  instruments(): readonly Instrument[];
  /** the current ticker */
  ticker(symbol: string): Ticker | undefined;
  /** the current L2 book at `depth` */
  book(symbol: string, depth: BookDepth): BookAtDepth | undefined;
  /** the most recent trades, oldest first, at most `limit` (the store keeps the last 1000) */
  trades(symbol: string, limit: number): readonly TradeRecord[] | undefined;
  /** the last `limit` bars at `interval`, oldest first, the forming bar last (the store keeps 1000 per interval) */
  candles(symbol: string, interval: CandleInterval, limit: number): readonly Candle[] | undefined;
  /** the feed's clock (engine time of the latest event or tick), µs since the Unix epoch */
  nowUs(): number;
}
