import type {
  AckMessage,
  BookUpdate,
  CandleUpdate,
  ErrorMessage,
  HeartbeatMessage,
  InstrumentInfo,
  PongMessage,
  ResetMessage,
  ServerMessage,
  SnapshotMessage,
  TickerUpdate,
  TradeUpdate,
  WelcomeMessage,
} from '../../src/protocol/index.ts';

/** 2025-11-22T06:00:00Z in µs: above 2^32, so it must go out as int64. */
export const TS_US = 1_763_791_200_000_000;

const welcome: WelcomeMessage = [
  0,
  {
    protocol: 'tickwire.v1',
    server: 'tickwire/0.1.0',
    session: 's1',
    heartbeatMs: 5000,
    mode: 'live',
    limits: {
      clientFrameBytes: 4096,
      channelsPerRequest: 50,
      subscriptionsPerConnection: 100,
      requestsPerSecond: 10,
      requestBurst: 20,
      connectionsPerIp: 100,
      queuedBytesPerConnection: 4 * 1024 * 1024,
    },
  },
];
const ack: AckMessage = [1, 7, { 'trades:BTC-USD': 1, 'book:BTC-USD:10': 2 }];
const error: ErrorMessage = [2, 8, 'UNKNOWN_SYMBOL', 'no such instrument', 'trades:XYZ'];
const errorNoId: ErrorMessage = [2, null, 'BAD_REQUEST', 'request must be a map', null];
const tradesSnapshot: SnapshotMessage = [3, 1, 41, TS_US, [[TS_US, 100, 6500125, 1500, 'b']]];
const tickerSnapshot: SnapshotMessage = [
  3,
  3,
  9,
  TS_US,
  [6500100, 250, 6500125, 1500, 6500125, 1500, 6400000, 6600000, 6390000, 123456789, 4321],
];
const bookSnapshot: SnapshotMessage = [
  3,
  2,
  12,
  TS_US,
  [
    2450029992,
    [[6500100, 250, 1]],
    [
      [6500125, 1500, 2],
      [6500200, 300, 1],
    ],
  ],
];
const candlesSnapshot: SnapshotMessage = [
  3,
  4,
  5,
  TS_US,
  [[TS_US - 60_000_000, 6500000, 6500200, 6499900, 6500125, 3000, 3, '65001.2500', true]],
];
/** BTC-USD as the samples list it: 2 price decimals, 5 quantity decimals. */
export const SAMPLE_BTC: InstrumentInfo = {
  symbol: 'BTC-USD',
  priceScale: 2,
  qtyScale: 5,
  tickSize: 1,
  lotSize: 1,
  minSize: 10,
  maxPrice: 100_000_000,
  maxSize: 10_000_000_000,
};
const instrumentsSnapshot: SnapshotMessage = [3, 0, 1, TS_US, [SAMPLE_BTC]];
const tradeUpdate: TradeUpdate = [4, 1, 42, TS_US, 101, 6500125, 1500, 's'];
const tickerUpdate: TickerUpdate = [
  4,
  3,
  10,
  TS_US,
  null,
  null,
  6500125,
  1500,
  null,
  null,
  null,
  null,
  null,
  0,
  0,
];
const bookUpdate: BookUpdate = [4, 2, 13, TS_US, 123456, [[6500100, 0, 0]], []];
const candleUpdate: CandleUpdate = [
  4,
  4,
  6,
  TS_US,
  TS_US,
  6500125,
  6500125,
  6500125,
  6500125,
  1500,
  1,
  '65001.2500',
  false,
];
const reset: ResetMessage = [5, 2, 'slow consumer'];
const heartbeat: HeartbeatMessage = [
  6,
  TS_US,
  [
    [1, 42],
    [2, 13],
  ],
];
const pong: PongMessage = [7, 9, TS_US];

/** One sample of every server message type and payload, by name. */
export const SAMPLES: Readonly<Record<string, ServerMessage>> = {
  welcome,
  ack,
  error,
  errorNoId,
  tradesSnapshot,
  tickerSnapshot,
  bookSnapshot,
  candlesSnapshot,
  instrumentsSnapshot,
  tradeUpdate,
  tickerUpdate,
  bookUpdate,
  candleUpdate,
  reset,
  heartbeat,
  pong,
};
