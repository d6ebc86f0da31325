import type {
  BookFields,
  BookLevel,
  BookUpdate,
  CandleFields,
  CandleUpdate,
  Channel,
  InstrumentInfo,
  ReplayStatus,
  SnapshotMessage,
  TickerFields,
  TickerUpdate,
  TradeRow,
  TradeUpdate,
  UpdateMessage,
} from '../protocol/index.ts';
import { CandleMerger } from './candle-merger.ts';
import { CandleBar, TickerEventObject, TradeEventObject } from './decimal-events.ts';
import type { ChannelEvent, ResyncReason, StatusEvent } from './feed-events.ts';
import { LocalBook } from './local-book.ts';
import type { DecimalCandle, Scales } from './market-data.ts';
import { tradeSide } from './trade-side.ts';

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
 * The sequencing and local state of one subscribed channel (PROTOCOL.md §5, §11, §12), independent of the
 * connection: it turns snapshots and updates into events, in seq order and only in seq order. An update whose
 * seq is not the last + 1, a heartbeat announcing a later seq, or a book whose checksum differs from the
 * server's starts a resync: a `resyncing` status, `requestResync`, and no data until the next snapshot.
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
  private readonly symbol: string;
  /** the last trade id delivered: a resync's snapshot in the same session skips the trades already seen */
  private lastTradeId = -1;
  /** acked as a resume: `synced` (resumed) is due with the first update or heartbeat that confirms it */
  private resumePending = false;
  /** the symbol's scales, taken at each snapshot (a new server session may list other instruments) */
  private scales: Scales | undefined;

  constructor(name: string, channel: Channel, sink: ChannelFeedSink, maxBars?: number) {
    this.name = name;
    this.channel = channel;
    this.sink = sink;
    this.symbol = channel.kind === 'instruments' || channel.kind === 'replay' ? '' : channel.symbol;
    this.book = channel.kind === 'book' ? new LocalBook(channel.depth) : null;
    this.candles = channel.kind === 'candles' ? new CandleMerger<DecimalCandle>(maxBars) : null;
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
    this.book?.clear();
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
    const tsUs = msg[3];
    const sameSession = session === this.session;
    const generation = this.generation;
    this.seq = seq;
    this.session = session;
    this.phase = 'live';
    if (this.symbol !== '') this.scales = this.sink.scales?.(this.symbol);
    const ch = this.channel;
    switch (ch.kind) {
      case 'trades': {
        const rows = msg[4] as readonly TradeRow[];
        const skipUpTo = sameSession ? this.lastTradeId : -1;
        for (const r of rows) {
          if (r[1] <= skipUpTo) continue;
          this.lastTradeId = r[1];
          this.sink.emit(
            new TradeEventObject(
              this.name,
              ch.symbol,
              seq,
              generation,
              r[0],
              true,
              r[1],
              r[2],
              r[3],
              tradeSide(r[4]),
              this.scales,
            ),
          );
        }
        return true;
      }
      case 'ticker':
        this.emitTicker(msg[4] as TickerFields, 0, seq, tsUs, true);
        return true;
      case 'book': {
        const [checksum, bids, asks] = msg[4] as BookFields;
        const book = this.book as LocalBook;
        book.scales = this.scales;
        book.reset(bids, asks);
        if (this.checksumDiffers(checksum, seq)) return false;
        this.sink.emit({
          type: 'book',
          channel: this.name,
          symbol: ch.symbol,
          depth: ch.depth,
          seq,
          generation,
          tsUs,
          snapshot: true,
          book: book.view(),
          changes: null,
        });
        return true;
      }
      case 'candles': {
        const merger = this.candles as CandleMerger<DecimalCandle>;
        const emit = merger.replace(
          (msg[4] as readonly CandleFields[]).map((f) => new CandleBar(ch.symbol, f, this.scales)),
        );
        for (const bar of emit) {
          this.sink.emit({
            type: 'candle',
            channel: this.name,
            symbol: ch.symbol,
            interval: ch.interval,
            seq,
            generation,
            tsUs,
            snapshot: true,
            bar,
            bars: merger.bars,
          });
        }
        return true;
      }
      case 'instruments':
        this.sink.emit({
          type: 'instruments',
          channel: this.name,
          seq,
          generation,
          tsUs,
          snapshot: true,
          instruments: msg[4] as readonly InstrumentInfo[],
        });
        return true;
      case 'replay':
        this.sink.emit({
          type: 'replay',
          channel: this.name,
          seq,
          generation,
          tsUs,
          snapshot: true,
          status: msg[4] as ReplayStatus,
        });
        return true;
    }
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
    const tsUs = msg[3];
    const generation = this.generation;
    const ch = this.channel;
    switch (ch.kind) {
      case 'trades': {
        const m = msg as TradeUpdate;
        this.lastTradeId = m[4];
        this.sink.emit(
          new TradeEventObject(
            this.name,
            ch.symbol,
            seq,
            generation,
            tsUs,
            false,
            m[4],
            m[5],
            m[6],
            tradeSide(m[7]),
            this.scales,
          ),
        );
        break;
      }
      case 'ticker':
        this.emitTicker(msg as TickerUpdate, 4, seq, tsUs, false);
        break;
      case 'book': {
        const m = msg as BookUpdate;
        const bids: readonly BookLevel[] = m[5];
        const asks: readonly BookLevel[] = m[6];
        const book = this.book as LocalBook;
        book.apply(bids, asks);
        if (this.checksumDiffers(m[4], seq)) return;
        this.sink.emit({
          type: 'book',
          channel: this.name,
          symbol: ch.symbol,
          depth: ch.depth,
          seq,
          generation,
          tsUs,
          snapshot: false,
          book: book.view(),
          changes: { bids, asks },
        });
        break;
      }
      case 'candles': {
        const m = msg as CandleUpdate;
        const bar = new CandleBar(ch.symbol, m.slice(4) as unknown as CandleFields, this.scales);
        const merger = this.candles as CandleMerger<DecimalCandle>;
        if (!merger.apply(bar)) break;
        this.sink.emit({
          type: 'candle',
          channel: this.name,
          symbol: ch.symbol,
          interval: ch.interval,
          seq,
          generation,
          tsUs,
          snapshot: false,
          bar,
          bars: merger.bars,
        });
        break;
      }
      case 'instruments':
        // v1 has no instruments updates (§4); the seq still counts.
        break;
      case 'replay':
        this.sink.emit({
          type: 'replay',
          channel: this.name,
          seq,
          generation,
          tsUs,
          snapshot: false,
          status: msg[4] as unknown as ReplayStatus,
        });
        break;
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
    this.lastTradeId = -1;
    this.resumePending = false;
    this.book?.clear();
    this.candles?.clear();
    this.generation++;
  }

  private checksumDiffers(expected: number, seq: number): boolean {
    const actual = (this.book as LocalBook).checksum();
    if (actual === expected) return false;
    this.resync('checksum', null, seq, `book checksum ${actual} ≠ server's ${expected} at seq ${seq}`);
    return true;
  }

  /** A ticker event from the 11 ticker fields starting at `at` of `f` (a snapshot's data or an update). */
  private emitTicker(
    f: TickerFields | TickerUpdate,
    at: 0 | 4,
    seq: number,
    tsUs: number,
    snapshot: boolean,
  ): void {
    this.sink.emit(
      new TickerEventObject(
        this.name,
        this.symbol,
        seq,
        this.generation,
        tsUs,
        snapshot,
        f as readonly (number | null)[],
        at,
        this.scales,
      ),
    );
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
