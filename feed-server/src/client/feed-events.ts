import type {
  BookDepth,
  BookLevel,
  CandleInterval,
  InstrumentInfo,
  ReplayStatus,
} from '../protocol/index.ts';
import type { FeedClientError } from './feed-client-error.ts';
import type { BookState, DecimalCandle, Ticker, Trade } from './market-data.ts';

/*
 * The one event union of the SDK (as tardis-node has one): data of every channel, connection status, gaps
 * and resyncs, errors. Streams and listeners hand out these same readonly objects. Prices and quantities are
 * the wire's scaled integers under the protocol's names, with exact decimal strings beside them under the
 * name + `Decimal` (`price` and `priceDecimal`; see `market-data.ts`); sides are `'buy'` / `'sell'`; `tsUs` is
 * the engine's time of the event in µs since the Unix epoch; `seq` is the channel's sequence number
 * (PROTOCOL.md §5).
 */

/** Fields every channel data event has. */
interface ChannelEventBase {
  /** the channel's canonical name, e.g. `book:BTC-USD:10` */
  readonly channel: string;
  /** the channel seq this event reflects; for events from a snapshot, the snapshot's seq */
  readonly seq: number;
  /**
   * the channel's state generation: 1 from the first snapshot, one more each time the server reset the
   * channel (a replay seek or loop, a resume it could not serve, a slow consumer's book or ticker) or its
   * session changed across a reconnect (a restart). An event of a new generation does not continue the ones
   * before it — seqs, trade ids and bar times may start over or jump — so drop what you derived from the
   * older generation; its first events are the snapshot's (`snapshot: true`), delivered in full.
   */
  readonly generation: number;
  /** engine time of the event, µs since the Unix epoch */
  readonly tsUs: number;
  /** true when the event comes from a snapshot (after subscribing or a resync), false for a live update */
  readonly snapshot: boolean;
}

/**
 * One trade of a `trades:SYMBOL` channel: `price` / `qty` scaled, `priceDecimal` / `qtyDecimal` exact strings,
 * `side` the taker's, `'buy'` or `'sell'` (see `Trade`).
 */
export interface TradeEvent extends ChannelEventBase, Trade {
  readonly type: 'trade';
}

/**
 * The ticker of a `ticker:SYMBOL` channel after a change (see `Ticker`: each price and quantity with its
 * `…Decimal` string). `null` = unknown (no bid, no trade yet…).
 */
export interface TickerEvent extends ChannelEventBase, Ticker {
  readonly type: 'ticker';
}

/**
 * The local book of a `book:SYMBOL:DEPTH` channel after a snapshot or an update, its checksum verified.
 * `book` is the book as of this event, immutable: a queued event read later, or kept, still shows it (the SDK
 * shares the levels between events and copies a side only when an update changes it).
 */
export interface BookEvent extends ChannelEventBase {
  readonly type: 'book';
  readonly symbol: string;
  readonly depth: BookDepth;
  /**
   * the book as of this event, levels best first (`bids`, `asks`: scaled; `bidsDecimal`, `asksDecimal`: exact
   * strings); later updates do not change it
   */
  readonly book: BookState;
  /** the levels this update changed (qty 0 = removed); null for a snapshot */
  readonly changes: { readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] } | null;
}

/** A bar of a `candles:SYMBOL:INTERVAL` channel, emitted in order (see `CandleMerger`). */
export interface CandleEvent extends ChannelEventBase {
  readonly type: 'candle';
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** the bar, with its decimal strings: the forming one on each trade, then once more with `closed` true */
  readonly bar: DecimalCandle;
  /**
   * every bar emitted so far on the channel (in this generation), each in its latest version as of this event
   * (for a snapshot's events: as of the whole snapshot, whose seq they share), oldest first; never changed later
   */
  readonly bars: readonly DecimalCandle[];
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
  /**
   * the server sent `reset` (a replay seek or loop, a resume it could not serve, a slow consumer): the local
   * state is discarded, a new generation starts with the snapshot that follows
   */
  | 'reset'
  /**
   * the server's session changed across a reconnect (it restarted): the channel cannot resume; its state is
   * discarded and a new generation starts with a fresh snapshot
   */
  | 'session';

/** The connection's state, as `FeedClient.state` reports it. */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * A change of the connection or of one channel's synchronization:
 * - `connecting`: a WebSocket is being opened (attempt 1 is the first connection);
 * - `live`: the server's `welcome` arrived; subscriptions are being (re)sent (`resumed` says whether they can
 *   resume where they left off; each channel's outcome follows as its own `synced` or `resyncing` status);
 * - `resyncing`: a channel lost messages, was reset, or its server session changed: its data pauses until a
 *   fresh snapshot;
 * - `synced`: a channel is in sequence again, `resumed` from its last seq or from a snapshot;
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
      /**
       * true when this connection continues the previous connection's session, so that channels resume from
       * their last seq; false on the first connection and after a server restart (the session changed: each
       * channel that had data gets a `resyncing` status with reason `session`). Whether a channel did resume
       * is its own `synced` status (`resumed: true`) or `resyncing` status (reason `reset`).
       */
      readonly resumed: boolean;
      /** the previous connection's `welcome.session`, null on the first connection */
      readonly previousSession: string | null;
    }
  | {
      readonly type: 'status';
      readonly status: 'synced';
      readonly channel: string;
      /** the channel's seq from which data goes on */
      readonly seq: number;
      /** the generation of the data that follows (see `ChannelEventBase.generation`) */
      readonly generation: number;
      /**
       * true when the channel continued from its last seq after a reconnect with nothing lost (the server
       * sent the missed updates); false when a snapshot (just delivered as `snapshot: true` events) set it
       */
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
