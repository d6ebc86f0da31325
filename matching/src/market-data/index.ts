/** Public surface of `matching/src/market-data`: candles and tickers derived from engine events. */
export {
  type Candle,
  CandleBuilder,
  type CandleBuilderOptions,
  type CandleBuilderState,
  type CandleRow,
  DEFAULT_CANDLE_HISTORY_LIMIT,
  DEFAULT_MAX_FLAT_BARS_PER_ADVANCE,
  VWAP_EXTRA_DECIMALS,
} from './candle-builder.ts';
export {
  bucketStartUs,
  CANDLE_INTERVAL_US,
  CANDLE_INTERVALS,
  type CandleInterval,
} from './candle-interval.ts';
export { carryOverMarketData } from './carry-over.ts';
export {
  MarketData,
  type MarketDataOptions,
  type MarketDataState,
  type MarketDataUpdate,
} from './market-data.ts';
export {
  changePct24h,
  TICKER_BUCKET_COUNT,
  TICKER_BUCKET_US,
  type Ticker,
  TickerBuilder,
  type TickerState,
} from './ticker.ts';
