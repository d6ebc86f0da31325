/**
 * The public surface of feed-server/src/server for the other parts of Tickwire (the recorder and replay in
 * replay/, the CLI): the producer, the bus and the gateway. The HTTP server that hosts them is in ../http.
 */

export { DEFAULT_LIMITS } from '../protocol/index.ts';
export {
  assertTokenSecret,
  CLOCK_SKEW_SECONDS,
  MAX_SUBJECT_LENGTH,
  MAX_TOKEN_BYTES,
  MIN_SECRET_BYTES,
  type MintTokenOptions,
  mintToken,
  TOKEN_FAILURE_CLOSE,
  TOKEN_PREFIX,
  type TokenClaims,
  type TokenFailureCode,
  type TokenVerification,
  tokenFromRequest,
  tokenSubjectProblem,
  verifyToken,
} from './auth-token.ts';
export { type Bus, type BusHandler, InProcessBus } from './bus.ts';
export {
  candleFields,
  instrumentInfo,
  sameFields,
  tickerFields,
  tradeRows,
} from './channel-data.ts';
export { ChannelLog, type ChannelLogLimits, DEFAULT_CHANNEL_LOG_LIMITS } from './channel-log.ts';
export { ConflatedBook } from './conflated-book.ts';
export { type ConflationInput, Conflator } from './conflator.ts';
export { DepthBook, type DepthBookFrame } from './depth-book.ts';
export { EngineFeed } from './engine-feed.ts';
export { FeedMetrics } from './feed-metrics.ts';
export {
  CANDLE_SNAPSHOT,
  FeedPublisher,
  type FeedPublisherOptions,
  type FeedState,
  type SymbolFeedState,
  TRADE_HISTORY,
  TRADE_SNAPSHOT,
} from './feed-publisher.ts';
export type { ChannelHandle, ControlResult, EncodedSnapshot, FeedSink, FeedSource } from './feed-source.ts';
export { DEFAULT_GATEWAY_OPTIONS, Gateway, type GatewayOptions } from './gateway.ts';
export { type Aggregate, LadderSide } from './ladder-side.ts';
export type { BookAtDepth, MarketQuery, TradeRecord } from './market-query.ts';
export { PublishedChannel, type SnapshotState } from './published-channel.ts';
export type { RecordingDiskUsage } from './recording-disk.ts';
export { RECORDING_STATES, type RecordingState, type RecordingStatus } from './recording-status.ts';
export {
  SERVER_CONFIG_ERROR_CODES,
  ServerConfigError,
  type ServerConfigErrorCode,
} from './server-config-error.ts';
export { SimulationDriver } from './simulation-driver.ts';
export { loadTlsOptions, type TlsFiles, type TlsServerOptions } from './tls-options.ts';
