import type {
  BookDepth,
  BookLevel,
  CandleInterval,
  InstrumentInfo,
  ReplayStatus,
  Side,
} from '../protocol/index.ts';
import type { Candle } from './candle-merger.ts';
import type { FeedClientError } from './feed-client-error.ts';
import type { BookState } from './local-book.ts';

/*
 * The one event union of the SDK (as tardis-node has one): data of every channel, connection status, gaps
 * and resyncs, errors. Streams and listeners hand out these same readonly objects. Prices and quantities are
 * the wire's scaled integers (format them with `formatPrice` / `formatQty`); `tsUs` is the engine's time of
 * the event in µs since the Unix epoch; `seq` is the channel's sequence number (PROTOCOL.md §5).
 */

/** Fields every channel data event has. */
interface ChannelEventBase {
  /** the channel's canonical name, e.g. `book:BTC-USD:10` */
  readonly channel: string;
  /** the channel seq this event reflects; for events from a snapshot, the snapshot's seq */
  readonly seq: number;
  /** engine time of the event, µs since the Unix epoch */
  readonly tsUs: number;
  /** true when the event comes from a snapshot (after subscribing or a resync), false for a live update */
  readonly snapshot: boolean;
}

/** One trade of a `trades:SYMBOL` channel. */
export interface TradeEvent extends ChannelEventBase {
  readonly type: 'trade';
  readonly symbol: string;
  /** per-symbol trade id, increasing */
  readonly tradeId: number;
  /** scaled at the instrument's priceScale */
  readonly price: number;
  /** scaled at the instrument's qtyScale */
  readonly qty: number;
  /** taker side, not resting side: `"b"` a buyer lifted the ask, `"s"` a seller hit the bid */
  readonly side: Side;
}

/** The ticker of a `ticker:SYMBOL` channel after a change. `null` = unknown (no bid, no trade yet…). */
export interface TickerEvent extends ChannelEventBase {
  readonly type: 'ticker';
  readonly symbol: string;
  readonly bid: number | null;
  readonly bidQty: number | null;
  readonly ask: number | null;
  readonly askQty: number | null;
  /** price of the last trade */
  readonly last: number | null;
  readonly lastQty: number | null;
  /** price 24 h ago; the 24 h change is `last − open24h` */
  readonly open24h: number | null;
  readonly high24h: number | null;
  readonly low24h: number | null;
  /** Σ qty over 24 h, scaled at qtyScale */
  readonly volume24h: number;
  /** trades over 24 h */
  readonly trades24h: number;
}

/**
 * The local book of a `book:SYMBOL:DEPTH` channel after a snapshot or an update, its checksum verified.
 * `book` is the live book, not a copy: read it before awaiting, or keep `book.toSnapshot()`-style copies.
 */
export interface BookEvent extends ChannelEventBase {
  readonly type: 'book';
  readonly symbol: string;
  readonly depth: BookDepth;
  /** the maintained book, levels best first */
  readonly book: BookState;
  /** the levels this update changed (qty 0 = removed); null for a snapshot */
  readonly changes: { readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] } | null;
}

/** A bar of a `candles:SYMBOL:INTERVAL` channel, emitted in order (see `CandleMerger`). */
export interface CandleEvent extends ChannelEventBase {
  readonly type: 'candle';
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** the bar: the forming one on each trade, then once more with `closed` true */
  readonly bar: Candle;
  /** every bar emitted so far on the channel, each in its latest version, oldest first (live) */
  readonly bars: readonly Candle[];
}

/** The `instruments` channel's list: symbols with their scales and sizes. */
export interface InstrumentsEvent extends ChannelEventBase {
  readonly type: 'instruments';
  readonly instruments: readonly InstrumentInfo[];
}

/** Where a replay server's replay stands (the `replay` channel, PROTOCOL.md §16): state, speed, clock, range. */
export interface ReplayEvent extends ChannelEventBase {
  readonly type: 'replay';
  readonly status: ReplayStatus;
}

/** Data of a channel. */
export type ChannelEvent =
  | TradeEvent
  | TickerEvent
  | BookEvent
  | CandleEvent
  | InstrumentsEvent
  | ReplayEvent;

/** Why a channel is being resynchronized. */
export type ResyncReason =
  /** an update's seq was not the last seq + 1: messages were lost */
  | 'gap'
  /** a heartbeat announced a seq beyond the last one seen: messages were lost */
  | 'heartbeat'
  /** the local book's §12 checksum differs from the server's */
  | 'checksum'
  /** the server sent `reset` (slow consumer, resume impossible): a snapshot follows */
  | 'reset';

/** The connection's state, as `FeedClient.state` reports it. */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * A change of the connection or of one channel's synchronization:
 * - `connecting`: a WebSocket is being opened (attempt 1 is the first connection);
 * - `live`: the server's `welcome` arrived; subscriptions are being (re)sent, resuming where they left off;
 * - `resyncing`: a channel lost messages or was reset: its data pauses until a fresh snapshot;
 * - `reconnecting`: the connection closed; the next attempt starts after `delayMs`;
 * - `closed`: the client stopped: by `close()`, or `fatal` for a close code that must not be retried.
 */
export type StatusEvent =
  | { readonly type: 'status'; readonly status: 'connecting'; readonly attempt: number }
  | {
      readonly type: 'status';
      readonly status: 'live';
      /** `welcome.session`: the server's sequence space */
      readonly session: string;
      /** whether the feed is the live engine or a replayed recording */
      readonly mode: 'live' | 'replay';
      /** true when subscriptions are being resumed from an earlier connection */
      readonly resumed: boolean;
    }
  | {
      readonly type: 'status';
      readonly status: 'resyncing';
      readonly channel: string;
      readonly reason: ResyncReason;
      /** the seq that was due (last seq + 1), or null when no seq was known */
      readonly expectedSeq: number | null;
      /** the seq that arrived (or the heartbeat announced), or null */
      readonly receivedSeq: number | null;
      /** human-readable detail, e.g. the server's reset reason */
      readonly message: string;
    }
  | {
      readonly type: 'status';
      readonly status: 'reconnecting';
      /** reconnect attempts since the last stable connection, from 1 */
      readonly attempt: number;
      readonly delayMs: number;
      /** the WebSocket close code (1006 when the connection failed without one) */
      readonly closeCode: number;
      readonly closeReason: string;
    }
  | {
      readonly type: 'status';
      readonly status: 'closed';
      readonly closeCode: number;
      readonly closeReason: string;
      /** true for 1008, 4001, 4002, 4003 (origin, authentication): the client will not reconnect */
      readonly fatal: boolean;
    };

/** An error that belongs to no pending promise or stream: an unsolicited `error` message, a protocol violation. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: FeedClientError | Error;
}

/** Every event a `FeedClient` produces. */
export type FeedEvent = ChannelEvent | StatusEvent | ErrorEvent;

/** An event type, e.g. `'trade'` or `'status'`. */
export type FeedEventType = FeedEvent['type'];

/** The event of a type: `FeedEventOf<'trade'>` is `TradeEvent`. */
export type FeedEventOf<T extends FeedEventType> = Extract<FeedEvent, { readonly type: T }>;
