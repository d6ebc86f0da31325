/**
 * The Tickwire feed SDK (`tickwire/client`): `FeedClient` and its events, the local book and candle models,
 * decimal formatting of scaled integers. Isomorphic: no `node:*` imports, the WebSocket is injected (browsers
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
  Side,
  Welcome,
} from '../protocol/index.ts';
export { Backoff, type BackoffOptions, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from './backoff.ts';
export { type Candle, CandleMerger, DEFAULT_MAX_BARS } from './candle-merger.ts';
export type { FeedStream } from './event-stream.ts';
export { FeedClient, type FeedClientOptions, type FeedStats } from './feed-client.ts';
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
export { DEFAULT_FIRST_CONNECT_TIMEOUT_MS } from './first-connect.ts';
export { type BookState, LocalBook } from './local-book.ts';
export type { ReplayCommand } from './replay-command.ts';
export { formatPrice, formatQty, formatScaled } from './scaled-decimal.ts';
export type {
  WebSocketCloseEventLike,
  WebSocketConstructor,
  WebSocketHandler,
  WebSocketLike,
  WebSocketMessageEventLike,
} from './websocket-like.ts';
