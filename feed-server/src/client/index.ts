/**
 * The Tickwire feed SDK (`tickwire/client`): `FeedClient` and its events, `FeedRest` for the REST API, the
 * market data types both hand out (scaled integers with exact decimal strings beside them, `'buy'` / `'sell'`
 * sides), the local book and candle models, decimal formatting of scaled integers. Isomorphic: no `node:*` imports, the WebSocket is injected (browsers
 * use `globalThis.WebSocket`; Node users import `tickwire/client/node`, which defaults to `ws`).
 */

export type {
  BookDepth,
  BookLevel,
  CandleInterval,
  ConflateMs,
  InstrumentInfo,
  ReplayAction,
  ReplaySpeed,
  ReplayStatus,
  RestErrorCode,
  Welcome,
} from '../protocol/index.ts';
export { Backoff, type BackoffOptions, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from './backoff.ts';
export { type Candle, CandleMerger, DEFAULT_MAX_BARS } from './candle-merger.ts';
export type { FeedClientOptions } from './client-options.ts';
export type { FeedStream } from './event-stream.ts';
export { FeedClient } from './feed-client.ts';
export {
  FEED_CLIENT_ERROR_CODES,
  FeedClientError,
  type FeedClientErrorCode,
  type FeedClientErrorDetails,
  type Refusal,
} from './feed-client-error.ts';
export type {
  BookEvent,
  CandleEvent,
  ChannelEvent,
  ConnectionState,
  ErrorEvent,
  FeedEvent,
  FeedEventOf,
  FeedEventType,
  InstrumentsEvent,
  ReplayEvent,
  ResyncReason,
  StatusEvent,
  TickerEvent,
  TradeEvent,
} from './feed-events.ts';
export {
  type CandlesQuery,
  FeedRest,
  type FeedRestOptions,
  type FetchLike,
  type FetchResponseLike,
  type RestCallOptions,
  type TradesQuery,
} from './feed-rest.ts';
export type { FeedStats } from './feed-stats.ts';
export { DEFAULT_FIRST_CONNECT_TIMEOUT_MS } from './first-connect.ts';
export { LocalBook } from './local-book.ts';
export type {
  BookSnapshot,
  BookState,
  DecimalBookLevel,
  DecimalCandle,
  Scales,
  Ticker,
  Trade,
} from './market-data.ts';
export type { ReplayCommand } from './replay-command.ts';
export { restBaseUrl } from './rest-base-url.ts';
export { formatPrice, formatQty, formatScaled } from './scaled-decimal.ts';
export { type TradeSide, tradeSide } from './trade-side.ts';
export type {
  WebSocketCloseEventLike,
  WebSocketConstructor,
  WebSocketHandler,
  WebSocketLike,
  WebSocketMessageEventLike,
} from './websocket-like.ts';
