import type { Limits } from './limits.ts';
import type { RequestErrorCode } from './protocol-error.ts';

/*
 * The wire messages of PROTOCOL.md §11. Units everywhere: prices and quantities are integers scaled by the
 * instrument's priceScale / qtyScale (§3); `tsUs`/`startUs` are microseconds since the Unix epoch (UTC);
 * `seq` counts from 1 per channel; `channelId` is the server's small integer for a channel name.
 */

/** `subscribe` request: subscribe to `channels`, optionally resuming after a reconnect (§5). */
export interface SubscribeRequest {
  readonly op: 'subscribe';
  /** client request id, 0 ≤ id < 2^31, echoed in the answer */
  readonly id: number;
  /** channel names as sent (parse each with `parseChannel`), 1 to 50 */
  readonly channels: readonly string[];
  /** resume point: the `welcome.session` seen before, and the last seq seen per channel name */
  readonly resume?: ResumePoint;
}

/** Where a reconnecting client left off (§5). */
export interface ResumePoint {
  /** `welcome.session` of the connection being resumed */
  readonly session: string;
  /** channel name → last seq seen (non-negative safe integer) */
  readonly seqs: ReadonlyMap<string, number>;
}

/** `unsubscribe` request. */
export interface UnsubscribeRequest {
  readonly op: 'unsubscribe';
  /** client request id, 0 ≤ id < 2^31 */
  readonly id: number;
  /** channel names as sent, 1 to 50 */
  readonly channels: readonly string[];
}

/** `ping` request, answered by `pong`. */
export interface PingRequest {
  readonly op: 'ping';
  /** client request id, 0 ≤ id < 2^31 */
  readonly id: number;
}

/** What a `replay` request asks of a replay server (§16). */
export type ReplayAction = 'play' | 'pause' | 'speed' | 'seek' | 'step';

/** A replay speed: a multiple of recorded time, or `'max'` (as fast as the subscribers read). */
export type ReplaySpeed = number | 'max';

/** `replay` request: controls a replay server's playback, for every client watching (§16). */
export interface ReplayRequest {
  readonly op: 'replay';
  /** client request id, 0 ≤ id < 2^31 */
  readonly id: number;
  readonly action: ReplayAction;
  /** `speed`: the new speed (0.01 to 10000, or 'max') */
  readonly speed?: ReplaySpeed;
  /** `seek`: the feed time to jump to, µs since the epoch (clamped to the replay's range) */
  readonly tsUs?: number;
  /** `step`: how many inputs to play (1 to 10000; default 1) */
  readonly count?: number;
}

/** A validated client request (§11, a map on the wire). */
export type Request = SubscribeRequest | UnsubscribeRequest | PingRequest | ReplayRequest;

/**
 * The tag of each server message, its first array element (§11): the one definition of the numbers, which the
 * message types below, the codecs, the server and the SDK all read.
 */
export const MESSAGE_TYPES = {
  welcome: 0,
  ack: 1,
  error: 2,
  snapshot: 3,
  update: 4,
  reset: 5,
  heartbeat: 6,
  pong: 7,
} as const;

/** `"b"` buy / bid, `"s"` sell / ask; a trade's side is the taker's. */
export type Side = 'b' | 's';

/** Body of `welcome`. */
export interface Welcome {
  /** subprotocol version, `"tickwire.v1"` */
  readonly protocol: string;
  /** server name and version, free text */
  readonly server: string;
  /** the server's sequence space; changes when the server restarts (§5) */
  readonly session: string;
  /** interval of `heartbeat` messages, milliseconds */
  readonly heartbeatMs: number;
  /** whether the feed is the live engine or a replayed recording */
  readonly mode: 'live' | 'replay';
  readonly limits: Limits;
}

/** `[0, welcome]`: the first message of a connection. */
export type WelcomeMessage = readonly [type: typeof MESSAGE_TYPES.welcome, welcome: Welcome];
/** `[1, id, {channelName: channelId}]`: answer to subscribe/unsubscribe with the channels it concerned. */
export type AckMessage = readonly [
  type: typeof MESSAGE_TYPES.ack,
  id: number,
  channels: Readonly<Record<string, number>>,
];
/** `[2, id | null, code, message, channel | null]`: a refused request (§10). */
export type ErrorMessage = readonly [
  type: typeof MESSAGE_TYPES.error,
  id: number | null,
  code: RequestErrorCode,
  message: string,
  channel: string | null,
];

/** One trade in a `trades` snapshot. */
export type TradeRow = readonly [tsUs: number, tradeId: number, price: number, qty: number, side: Side];
/** Fields of a `trades` update after `tsUs`. */
export type TradeFields = readonly [tradeId: number, price: number, qty: number, side: Side];
/** Fields of a `ticker` update after `tsUs`, and its snapshot data. Prices/quantities scaled; null = unknown. */
export type TickerFields = readonly [
  bid: number | null,
  bidQty: number | null,
  ask: number | null,
  askQty: number | null,
  last: number | null,
  lastQty: number | null,
  open24h: number | null,
  high24h: number | null,
  low24h: number | null,
  /** Σ qty over 24 h, scaled at qtyScale */
  volume24h: number,
  /** trades over 24 h */
  trades24h: number,
];
/** One book level: scaled price, scaled quantity (0 = removed, in updates), order count. */
export type BookLevel = readonly [price: number, qty: number, count: number];
/** Fields of a `book` update (changed levels) and its snapshot data (best first); checksum per §12. */
export type BookFields = readonly [checksum: number, bids: readonly BookLevel[], asks: readonly BookLevel[]];
/**
 * Fields of a `candles` update and one snapshot bar: `startUs` µs, prices scaled, `volume` scaled at qtyScale,
 * `vwap` an exact decimal string at priceScale + 4 decimals (null for a bar without trades), `closed` true once
 * the interval has ended.
 */
export type CandleFields = readonly [
  startUs: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  trades: number,
  vwap: string | null,
  closed: boolean,
];
/** One instrument of the `instruments` snapshot; sizes scaled at qtyScale, prices at priceScale. */
export interface InstrumentInfo {
  readonly symbol: string;
  /** decimal digits of prices: decimal price = integer × 10^-priceScale */
  readonly priceScale: number;
  /** decimal digits of quantities */
  readonly qtyScale: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minSize: number;
  readonly maxPrice: number;
  readonly maxSize: number;
}

/** Where a replay stands: the `replay` channel's snapshot and update payload (§16). */
export interface ReplayStatus {
  readonly state: 'playing' | 'paused' | 'ended';
  readonly speed: ReplaySpeed;
  /** the replay clock: feed time now playing, µs since the epoch */
  readonly clockUs: number;
  /** the part of the recording being replayed (`--from`/`--to`), µs */
  readonly fromUs: number;
  readonly toUs: number;
  /** the whole recording's span, µs */
  readonly startUs: number;
  readonly endUs: number;
  /** whether the replay starts over at `fromUs` when it reaches `toUs` */
  readonly loop: boolean;
  /** the current sequence space (`welcome.session` changes with every seek, §16) */
  readonly session: string;
  /**
   * the recorded exchange's IANA time zone (`"America/New_York"` for a LOBSTER NASDAQ day), for showing times
   * as the exchange's clock read them; absent when the session has none (a simulator session, which runs on UTC)
   */
  readonly timeZone?: string;
}

/** `data` of a snapshot, by channel kind. */
export type SnapshotData =
  | readonly TradeRow[]
  | TickerFields
  | BookFields
  | readonly CandleFields[]
  | readonly InstrumentInfo[]
  | ReplayStatus;

/** `[3, channelId, seq, tsUs, data]`: full state; `seq` is that of the last update it reflects. */
export type SnapshotMessage<D extends SnapshotData = SnapshotData> = readonly [
  type: typeof MESSAGE_TYPES.snapshot,
  channelId: number,
  seq: number,
  tsUs: number,
  data: D,
];

/** Header of an update: `[4, channelId, seq, tsUs]`. */
export type UpdateHead = readonly [
  type: typeof MESSAGE_TYPES.update,
  channelId: number,
  seq: number,
  tsUs: number,
];
/** `[4, channelId, seq, tsUs, ...TradeFields]`. */
export type TradeUpdate = readonly [...UpdateHead, ...TradeFields];
/** `[4, channelId, seq, tsUs, ...TickerFields]`. */
export type TickerUpdate = readonly [...UpdateHead, ...TickerFields];
/** `[4, channelId, seq, tsUs, ...BookFields]`. */
export type BookUpdate = readonly [...UpdateHead, ...BookFields];
/** `[4, channelId, seq, tsUs, ...CandleFields]`. */
export type CandleUpdate = readonly [...UpdateHead, ...CandleFields];
/** `[4, channelId, seq, tsUs, status]` of the `replay` channel. */
export type ReplayUpdate = readonly [...UpdateHead, status: ReplayStatus];
/** Any update; which one follows from the channel the `channelId` was acked for. */
export type UpdateMessage = TradeUpdate | TickerUpdate | BookUpdate | CandleUpdate | ReplayUpdate;

/** `[5, channelId, reason]`: discard local state of the channel; a snapshot follows. */
export type ResetMessage = readonly [type: typeof MESSAGE_TYPES.reset, channelId: number, reason: string];
/** `[6, tsUs, [[channelId, seq], ...]]`: each subscribed channel's latest seq, on an idle connection. */
export type HeartbeatMessage = readonly [
  type: typeof MESSAGE_TYPES.heartbeat,
  tsUs: number,
  seqs: readonly (readonly [channelId: number, seq: number])[],
];
/** `[7, id, tsUs]`: answer to `ping`. */
export type PongMessage = readonly [type: typeof MESSAGE_TYPES.pong, id: number, tsUs: number];

/** Any server message (§11). */
export type ServerMessage =
  | WelcomeMessage
  | AckMessage
  | ErrorMessage
  | SnapshotMessage
  | UpdateMessage
  | ResetMessage
  | HeartbeatMessage
  | PongMessage;
