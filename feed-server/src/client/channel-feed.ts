import type { Channel, SnapshotMessage, UpdateMessage } from '../protocol/index.ts';
import type { CandleMerger } from './candle-merger.ts';
import { type ChannelDecoder, type ChecksumMismatch, channelDecoder } from './channel-decoders.ts';
import type { ChannelEvent, ResyncReason, StatusEvent } from './feed-events.ts';
import type { LocalBook } from './local-book.ts';
import type { DecimalCandle, Scales } from './market-data.ts';

/**
 * Where a channel stands:
 * - `subscribing`: a subscribe request is on its way (or waits for the connection);
 * - `awaiting_snapshot`: acked without a resume point, or reset: updates are dropped until a snapshot;
 * - `live`: updates are applied when their seq is the last seq + 1;
 * - `resyncing`: messages were lost or the book diverged: updates are dropped until the resubscription's
 *   snapshot.
 */
export type ChannelPhase = 'subscribing' | 'awaiting_snapshot' | 'live' | 'resyncing';

/** What a `ChannelFeed` reports to: the client, or a test. */
export interface ChannelFeedSink {
  /** a data event in order, or a `resyncing` status */
  emit(event: ChannelEvent | StatusEvent): void;
  /** the channel must be resubscribed to get a fresh snapshot (gap, heartbeat gap, checksum mismatch) */
  requestResync(feed: ChannelFeed): void;
  /**
   * the scales of `symbol` from the `instruments` snapshot, for the events' decimal strings; the client
   * subscribes `instruments` ahead of every other channel, so they are known before any data arrives
   */
  scales?(symbol: string): Scales | undefined;
}

/**
 * The sequencing of one subscribed channel (PROTOCOL.md §5, §12), independent of the connection: it hands
 * snapshots and updates to its kind's decoder (`channel-decoders.ts`, which keeps the local state and makes
 * the events), in seq order and only in seq order. An update whose seq is not the last + 1, a heartbeat
 * announcing a later seq, or a book whose checksum differs from the server's starts a resync: a `resyncing`
 * status, `requestResync`, and no data until the next snapshot.
 *
 * A `reset` message (or a new server session after a reconnect) starts the channel over: its local state is
 * discarded (book, bars, the trades already delivered), `generation` goes up, and the snapshot that follows is
 * delivered in full — a replay seek, a loop or a server restart is a new start, not a gap. Whenever the channel
 * is in sequence again it says how: a `synced` status, `resumed` when it continued from its last seq without a
 * snapshot (confirmed by the first update or heartbeat after the resume), else after a snapshot.
 */
export class ChannelFeed {
  readonly name: string;
  readonly channel: Channel;
  phase: ChannelPhase = 'subscribing';
  /** seq of the last snapshot or update applied; null before the first snapshot */
  seq: number | null = null;
  /** the server session (`welcome.session`) `seq` belongs to: a resume names it (§5) */
  session: string | null = null;
  /** resyncs since the last update that applied cleanly (the client backs off repeated ones) */
  consecutiveResyncs = 0;
  /**
   * Starts at 1 and goes up each time the channel's state is discarded (a server `reset`, a new server
   * session): every data event carries it, so that no consumer can take the start of a new sequence space for
   * the continuation of the old one.
   */
  generation = 1;
  /** the local book of a `book` channel */
  readonly book: LocalBook | null;
  /** the bar series of a `candles` channel */
  readonly candles: CandleMerger<DecimalCandle> | null;
  private readonly sink: ChannelFeedSink;
  private readonly decoder: ChannelDecoder;
  private readonly symbol: string;
  /** acked as a resume: `synced` (resumed) is due with the first update or heartbeat that confirms it */
  private resumePending = false;

  constructor(name: string, channel: Channel, sink: ChannelFeedSink, maxBars?: number) {
    this.name = name;
    this.channel = channel;
    this.sink = sink;
    this.symbol = channel.kind === 'instruments' || channel.kind === 'replay' ? '' : channel.symbol;
    this.decoder = channelDecoder(name, channel, sink, maxBars);
    this.book = this.decoder.book ?? null;
    this.candles = this.decoder.candles ?? null;
  }

  /** The subscribe request was acked; `resumed` when it carried this channel's seq in `resume`. */
  subscribed(resumed: boolean): void {
    const resuming = resumed && this.seq !== null;
    this.phase = resuming ? 'live' : 'awaiting_snapshot';
    this.resumePending = resuming;
  }

  /** The connection is gone; the channel will be resubscribed (resuming from `seq`) on the next one. */
  disconnected(): void {
    this.phase = 'subscribing';
  }

  /** A heartbeat announced the channel's latest seq: beyond ours means messages were lost. */
  heartbeat(seq: number): void {
    if (this.phase !== 'live' || this.seq === null) return;
    if (seq > this.seq) {
      this.resync('heartbeat', this.seq + 1, seq, `heartbeat announced seq ${seq}, last seen ${this.seq}`);
    } else if (this.resumePending && seq === this.seq) {
      this.confirmResume();
    }
  }

  /** The server reset the channel: discard the local state and accept the snapshot that follows in full. */
  reset(reason: string): void {
    this.phase = 'awaiting_snapshot';
    this.discard();
    this.sink.emit(this.status('reset', null, null, `server reset: ${reason}`));
  }

  /**
   * The server's session changed across a reconnect (a restart): its seqs and trade ids start over, so the
   * channel cannot resume; its state is discarded and it is subscribed afresh.
   */
  sessionChanged(previous: string, next: string): void {
    if (this.seq === null) return;
    this.discard();
    this.sink.emit(
      this.status('session', null, null, `the server's session changed from ${previous} to ${next}`),
    );
  }

  /** Starts a resync of this channel (also used by the client when it must drop the channel's state). */
  resync(
    reason: ResyncReason,
    expectedSeq: number | null,
    receivedSeq: number | null,
    message: string,
  ): void {
    this.phase = 'resyncing';
    this.consecutiveResyncs++;
    this.decoder.lost();
    this.sink.emit(this.status(reason, expectedSeq, receivedSeq, message));
    if (reason !== 'reset') this.sink.requestResync(this);
  }

  /** A snapshot: always accepted; it replaces the local state and sets the seq. */
  snapshot(msg: SnapshotMessage, session: string): void {
    this.resumePending = false;
    if (!this.applySnapshot(msg, session)) return;
    this.sink.emit({
      type: 'status',
      status: 'synced',
      channel: this.name,
      seq: msg[2],
      generation: this.generation,
      resumed: false,
    });
  }

  /** Applies a snapshot and emits its data; false when the book it gave fails its checksum. */
  private applySnapshot(msg: SnapshotMessage, session: string): boolean {
    const seq = msg[2];
    const sameSession = session === this.session;
    this.seq = seq;
    this.session = session;
    this.phase = 'live';
    // Taken at each snapshot: a new server session may list other instruments.
    const scales = this.symbol === '' ? undefined : this.sink.scales?.(this.symbol);
    const mismatch = this.decoder.snapshot(msg, this.generation, sameSession, scales);
    if (mismatch === undefined) return true;
    this.checksumResync(mismatch, seq);
    return false;
  }

  /** An update: applied and emitted only when it is the next seq of a live channel. */
  update(msg: UpdateMessage): void {
    if (this.phase !== 'live') return;
    const seq = msg[2];
    const last = this.seq as number;
    // Already applied (a snapshot can overtake updates sent before it): not a gap, nothing to deliver.
    if (seq <= last) return;
    if (seq !== last + 1) {
      this.resync('gap', last + 1, seq, `update seq ${seq} after ${last}`);
      return;
    }
    if (this.resumePending) this.confirmResume();
    this.seq = seq;
    const mismatch = this.decoder.update(msg, seq, msg[3], this.generation);
    if (mismatch !== undefined) {
      this.checksumResync(mismatch, seq);
      return;
    }
    this.consecutiveResyncs = 0;
  }

  /** The resumed channel got its first confirmation from the server: it continues from its last seq. */
  private confirmResume(): void {
    this.resumePending = false;
    this.sink.emit({
      type: 'status',
      status: 'synced',
      channel: this.name,
      seq: this.seq as number,
      generation: this.generation,
      resumed: true,
    });
  }

  /** Forgets everything the channel held: a new start, in a new generation. */
  private discard(): void {
    this.seq = null;
    this.session = null;
    this.resumePending = false;
    this.decoder.discard();
    this.generation++;
  }

  private checksumResync({ actual, expected }: ChecksumMismatch, seq: number): void {
    this.resync('checksum', null, seq, `book checksum ${actual} ≠ server's ${expected} at seq ${seq}`);
  }

  private status(
    reason: ResyncReason,
    expectedSeq: number | null,
    receivedSeq: number | null,
    message: string,
  ): StatusEvent {
    return {
      type: 'status',
      status: 'resyncing',
      channel: this.name,
      reason,
      expectedSeq,
      receivedSeq,
      message,
    };
  }
}
