import type { Channel, ChannelKind, ReplayRequest, RequestErrorCode } from '../protocol/index.ts';

/** A channel as the gateway knows it: its canonical name, session-wide id and delivery class. */
export interface ChannelHandle {
  /** canonical name (PROTOCOL.md §13) */
  readonly name: string;
  /** the small integer of `ack` and of every message of the channel (PROTOCOL.md §11) */
  readonly id: number;
  /** the channel's kind (the part of its name before the first `:`) */
  readonly kind: ChannelKind;
  /**
   * whether a slow consumer may skip to the latest state (ticker and book, PROTOCOL.md §7); the others (trades,
   * candles, instruments) are closed with 4008 instead
   */
  readonly conflatable: boolean;
}

/** An encoded snapshot message and the seq of the last update it reflects. */
export interface EncodedSnapshot {
  readonly seq: number;
  /** `[3, channelId, seq, tsUs, data]`, encoded once; shared, never mutated */
  readonly encoded: Uint8Array;
}

/**
 * What the gateway asks of the producer besides the bus: snapshots and resume buffers. Everything the gateway
 * needs of market state goes through here, so the gateway holds no engine state and a distributed bus can later
 * put it in another process. Synchronous: in-process, a snapshot taken between two `publish` calls is exactly
 * consistent with the seqs that follow it on the bus.
 */
export interface FeedSource {
  /** `welcome.session`: the sequence space of this run (PROTOCOL.md §5) */
  readonly session: string;
  /** live engine or replayed recording */
  readonly mode: 'live' | 'replay';
  /** symbols of this feed, for `parseChannel`'s `knownSymbols` */
  readonly symbols: ReadonlySet<string>;
  /**
   * The channel for a parsed name (already checked against `symbols`), starting a conflated channel's production
   * on first use; from then on it is published for the rest of the session.
   */
  open(channel: Channel): ChannelHandle;
  /** The channel's current snapshot (encoded once per seq, shared by every subscriber who asks at that seq). */
  snapshot(handle: ChannelHandle): EncodedSnapshot;
  /** The encoded updates after `afterSeq`, or `'reset'` when they are no longer all buffered (PROTOCOL.md §5). */
  since(handle: ChannelHandle, afterSeq: number): readonly Uint8Array[] | 'reset';
  /** Seq of the channel's latest update; 0 before any. */
  lastSeq(handle: ChannelHandle): number;
  /** Replay control (PROTOCOL.md §16): absent on a live feed, whose gateway answers `NOT_REPLAY`. */
  control?(request: ReplayRequest): ControlResult;
  /** Called once by the gateway that serves this source, with what the source may ask of it. */
  attach?(sink: FeedSink): void;
}

/** The answer to a replay request: done, or refused with a §10 code. */
export type ControlResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: RequestErrorCode; readonly message: string };

/** What a producer may ask of the gateway serving it: a replay paces itself by it and jumps with it. */
export interface FeedSink {
  /** whether output waits: a flush is pending, or some connection's socket holds more than `bytes` unsent */
  backlogged(bytes: number): boolean;
  /** writes what is pending now instead of at the end of the flush window (a replay at max speed) */
  flush(): void;
  /**
   * The channels `affected` jumped (a replay's seek): each of their subscriptions gets `reset` and a fresh
   * snapshot, and their fan-outs take the new seqs. Messages still pending for the old position are dropped.
   */
  rewind(reason: string, affected: (channel: ChannelHandle) => boolean): void;
}
