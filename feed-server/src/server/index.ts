/**
 * The public surface of feed-server/src/server for the other parts of Tickwire (the recorder and replay in
 * replay/, the CLI): what a producer needs to publish a feed and to serve it.
 */

export { DEFAULT_LIMITS } from '../protocol/index.ts';
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
export {
  type Attached,
  type FeedNetworkOptions,
  type FeedProducer,
  type FeedServerOptions,
  type LiveParts,
  type RunningFeed,
  type RunningFeedServer,
  serveFeed,
  startFeedServer,
  WS_PATH,
} from './feed-server.ts';
export type { ChannelHandle, ControlResult, EncodedSnapshot, FeedSink, FeedSource } from './feed-source.ts';
export { DEFAULT_GATEWAY_OPTIONS, Gateway, type GatewayOptions } from './gateway.ts';
export { type Aggregate, LadderSide } from './ladder-side.ts';
export type { BookAtDepth, MarketQuery, TradeRecord } from './market-query.ts';
export { PublishedChannel, type SnapshotState } from './published-channel.ts';
export type { RecordingDiskUsage } from './recording-disk.ts';
export { RECORDING_STATES, type RecordingState, type RecordingStatus } from './recording-status.ts';
export { SimulationDriver } from './simulation-driver.ts';
