import type { Candle, CandleInterval, Side, Ticker } from '../../matching/src/index.ts';

/** The four kinds of channel the feed publishes. */
export type MessageKind = 'trade' | 'l2' | 'ticker' | 'candle';

/** Every `MessageKind`, in the order the report lists them. */
export const MESSAGE_KINDS: readonly MessageKind[] = ['trade', 'l2', 'ticker', 'candle'];

/** One public trade. Prices and quantities are scaled integers of the channel's instrument. */
export interface TradeData {
  /** per-instrument trade id, contiguous from 1 */
  readonly tradeId: number;
  /** the maker's price, scaled */
  readonly price: number;
  /** scaled quantity */
  readonly qty: number;
  /** taker side, not resting side */
  readonly takerSide: Side;
}

/** The new aggregate of one L2 price level; `qty` 0 removes the level. */
export interface LevelData {
  /** book side: `buy` = bids, `sell` = asks */
  readonly side: Side;
  /** scaled price */
  readonly price: number;
  /** scaled aggregate quantity; 0 = level gone */
  readonly qty: number;
  /** resting orders at the level */
  readonly count: number;
}

/** A ticker as published: `Ticker` without what the envelope already says (symbol, time). */
export type TickerData = Omit<Ticker, 'symbol' | 'tsUs'>;

/**
 * A candle as published: `Candle` without what the channel says (symbol, interval) and without `vwap`,
 * which a client derives exactly as `notional / volume`.
 */
export type CandleData = Omit<Candle, 'symbol' | 'interval' | 'vwap'>;

/** The payload of a channel message; which one is told by the channel's kind. */
export type ChannelData = TradeData | LevelData | TickerData | CandleData;

/** One channel message, the unit every encoding under test carries. */
export interface FeedMessage {
  /** channel name, e.g. `trades.BTC-USD`, `l2.BTC-USD`, `ticker.BTC-USD`, `candles.1m.BTC-USD` */
  readonly channel: string;
  /** per-channel sequence number, contiguous from 1 */
  readonly seq: number;
  /** time of the engine event behind the message, µs since the Unix epoch */
  readonly tsUs: number;
  readonly data: ChannelData;
}

/** What a codec needs to know of a channel: its kind, its numeric id and its instrument's scales. */
export interface ChannelInfo {
  readonly name: string;
  /** small integer standing for the name on the wire (assigned in order of first use, from 0) */
  readonly id: number;
  readonly kind: MessageKind;
  readonly symbol: string;
  /** set for candle channels */
  readonly interval: CandleInterval | null;
  /** decimals of a price */
  readonly priceScale: number;
  /** decimals of a quantity */
  readonly qtyScale: number;
}
