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
import type { ChannelEvent } from './feed-events.ts';
import { LocalBook } from './local-book.ts';
import type { DecimalCandle, Scales } from './market-data.ts';
import { tradeSide } from './trade-side.ts';

/*
 * Per-channel decoding (PROTOCOL.md §11): one decoder per channel kind turns the snapshots and updates that
 * `ChannelFeed` has put in sequence into the SDK's events, keeping what the kind needs to do so (the local
 * book, the candle series, the last trade id). Sequencing is not theirs: they see only messages to apply.
 */

/** Where a decoder's events go (the channel's `ChannelFeedSink`). */
export interface DecodedEventSink {
  emit(event: ChannelEvent): void;
}

/** A local book whose §12 checksum is not the server's: the channel must resync. */
export interface ChecksumMismatch {
  /** the local book's checksum */
  readonly actual: number;
  /** the server's */
  readonly expected: number;
}

/** The decoding of one channel kind. */
export interface ChannelDecoder {
  /** the local book of a `book` channel */
  readonly book?: LocalBook;
  /** the bar series of a `candles` channel */
  readonly candles?: CandleMerger<DecimalCandle>;
  /**
   * Replaces the state with a snapshot's and emits its events. `sameSession`: the snapshot continues the
   * session of the state it replaces (a resync), so what was delivered already is not delivered again.
   */
  snapshot(
    msg: SnapshotMessage,
    generation: number,
    sameSession: boolean,
    scales: Scales | undefined,
  ): ChecksumMismatch | undefined;
  /** Applies the next update in sequence and emits its event, if it makes one. */
  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): ChecksumMismatch | undefined;
  /** Messages were lost: drop the state that cannot be trusted until the next snapshot. */
  lost(): void;
  /** Forgets everything (a server reset, a new session): the next snapshot is delivered in full. */
  discard(): void;
}

/** The decoder of `channel`'s kind; its events are named `name`. */
export function channelDecoder(
  name: string,
  channel: Channel,
  sink: DecodedEventSink,
  maxBars?: number,
): ChannelDecoder {
  switch (channel.kind) {
    case 'trades':
      return new TradesDecoder(name, channel.symbol, sink);
    case 'ticker':
      return new TickerDecoder(name, channel.symbol, sink);
    case 'book':
      return new BookDecoder(name, channel, sink);
    case 'candles':
      return new CandlesDecoder(name, channel, sink, maxBars);
    case 'instruments':
      return new InstrumentsDecoder(name, sink);
    case 'replay':
      return new ReplayDecoder(name, sink);
  }
}

/** `trades:SYMBOL`: a snapshot's recent trades (those not delivered yet), then each trade. */
class TradesDecoder implements ChannelDecoder {
  /** the last trade id delivered: a resync's snapshot in the same session skips the trades already seen */
  private lastTradeId = -1;
  private scales: Scales | undefined;

  constructor(
    private readonly name: string,
    private readonly symbol: string,
    private readonly sink: DecodedEventSink,
  ) {}

  snapshot(
    msg: SnapshotMessage,
    generation: number,
    sameSession: boolean,
    scales: Scales | undefined,
  ): undefined {
    this.scales = scales;
    const seq = msg[2];
    const skipUpTo = sameSession ? this.lastTradeId : -1;
    for (const r of msg[4] as readonly TradeRow[]) {
      if (r[1] <= skipUpTo) continue;
      this.lastTradeId = r[1];
      this.sink.emit(
        new TradeEventObject(
          this.name,
          this.symbol,
          seq,
          generation,
          r[0],
          true,
          r[1],
          r[2],
          r[3],
          tradeSide(r[4]),
          scales,
        ),
      );
    }
  }

  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): undefined {
    const m = msg as TradeUpdate;
    this.lastTradeId = m[4];
    this.sink.emit(
      new TradeEventObject(
        this.name,
        this.symbol,
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
  }

  lost(): void {}

  discard(): void {
    this.lastTradeId = -1;
  }
}

/** `ticker:SYMBOL`: the ticker after each change. */
class TickerDecoder implements ChannelDecoder {
  private scales: Scales | undefined;

  constructor(
    private readonly name: string,
    private readonly symbol: string,
    private readonly sink: DecodedEventSink,
  ) {}

  snapshot(msg: SnapshotMessage, generation: number, _same: boolean, scales: Scales | undefined): undefined {
    this.scales = scales;
    this.emit(msg[4] as TickerFields, 0, msg[2], msg[3], generation, true);
  }

  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): undefined {
    this.emit(msg as TickerUpdate, 4, seq, tsUs, generation, false);
  }

  lost(): void {}

  discard(): void {}

  /** A ticker event from the 11 ticker fields starting at `at` of `f` (a snapshot's data or an update). */
  private emit(
    f: TickerFields | TickerUpdate,
    at: 0 | 4,
    seq: number,
    tsUs: number,
    generation: number,
    snapshot: boolean,
  ): void {
    this.sink.emit(
      new TickerEventObject(
        this.name,
        this.symbol,
        seq,
        generation,
        tsUs,
        snapshot,
        f as readonly (number | null)[],
        at,
        this.scales,
      ),
    );
  }
}

/** `book:SYMBOL:DEPTH`: the local book after its snapshot and each update, checksum verified (§12). */
class BookDecoder implements ChannelDecoder {
  readonly book: LocalBook;

  constructor(
    private readonly name: string,
    private readonly channel: Extract<Channel, { kind: 'book' }>,
    private readonly sink: DecodedEventSink,
  ) {
    this.book = new LocalBook(channel.depth);
  }

  snapshot(
    msg: SnapshotMessage,
    generation: number,
    _same: boolean,
    scales: Scales | undefined,
  ): ChecksumMismatch | undefined {
    const [checksum, bids, asks] = msg[4] as BookFields;
    const book = this.book;
    book.scales = scales;
    book.reset(bids, asks);
    const mismatch = this.verified(checksum);
    if (mismatch === undefined) this.emit(msg[2], msg[3], generation, true, null);
    return mismatch;
  }

  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): ChecksumMismatch | undefined {
    const m = msg as BookUpdate;
    const bids: readonly BookLevel[] = m[5];
    const asks: readonly BookLevel[] = m[6];
    this.book.apply(bids, asks);
    const mismatch = this.verified(m[4]);
    if (mismatch === undefined) this.emit(seq, tsUs, generation, false, { bids, asks });
    return mismatch;
  }

  lost(): void {
    this.book.clear();
  }

  discard(): void {
    this.book.clear();
  }

  private verified(expected: number): ChecksumMismatch | undefined {
    const actual = this.book.checksum();
    return actual === expected ? undefined : { actual, expected };
  }

  private emit(
    seq: number,
    tsUs: number,
    generation: number,
    snapshot: boolean,
    changes: { readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] } | null,
  ): void {
    const ch = this.channel;
    this.sink.emit({
      type: 'book',
      channel: this.name,
      symbol: ch.symbol,
      depth: ch.depth,
      seq,
      generation,
      tsUs,
      snapshot,
      book: this.book.view(),
      changes,
    });
  }
}

/** `candles:SYMBOL:INTERVAL`: bars merged so that none goes back in time (see `CandleMerger`). */
class CandlesDecoder implements ChannelDecoder {
  readonly candles: CandleMerger<DecimalCandle>;
  private scales: Scales | undefined;

  constructor(
    private readonly name: string,
    private readonly channel: Extract<Channel, { kind: 'candles' }>,
    private readonly sink: DecodedEventSink,
    maxBars?: number,
  ) {
    this.candles = new CandleMerger<DecimalCandle>(maxBars);
  }

  snapshot(msg: SnapshotMessage, generation: number, _same: boolean, scales: Scales | undefined): undefined {
    this.scales = scales;
    const symbol = this.channel.symbol;
    const bars = (msg[4] as readonly CandleFields[]).map((f) => new CandleBar(symbol, f, scales));
    for (const bar of this.candles.replace(bars)) this.emit(bar, msg[2], msg[3], generation, true);
  }

  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): undefined {
    const fields = (msg as CandleUpdate).slice(4) as unknown as CandleFields;
    const bar = new CandleBar(this.channel.symbol, fields, this.scales);
    if (this.candles.apply(bar)) this.emit(bar, seq, tsUs, generation, false);
  }

  lost(): void {}

  discard(): void {
    this.candles.clear();
  }

  private emit(bar: DecimalCandle, seq: number, tsUs: number, generation: number, snapshot: boolean): void {
    const ch = this.channel;
    this.sink.emit({
      type: 'candle',
      channel: this.name,
      symbol: ch.symbol,
      interval: ch.interval,
      seq,
      generation,
      tsUs,
      snapshot,
      bar,
      bars: this.candles.bars,
    });
  }
}

/** `instruments`: the list of the snapshot; v1 has no instruments updates (§4), their seq still counts. */
class InstrumentsDecoder implements ChannelDecoder {
  constructor(
    private readonly name: string,
    private readonly sink: DecodedEventSink,
  ) {}

  snapshot(msg: SnapshotMessage, generation: number): undefined {
    this.sink.emit({
      type: 'instruments',
      channel: this.name,
      seq: msg[2],
      generation,
      tsUs: msg[3],
      snapshot: true,
      instruments: msg[4] as readonly InstrumentInfo[],
    });
  }

  update(): undefined {}

  lost(): void {}

  discard(): void {}
}

/** `replay`: where a replay server's replay stands (§16), at each change. */
class ReplayDecoder implements ChannelDecoder {
  constructor(
    private readonly name: string,
    private readonly sink: DecodedEventSink,
  ) {}

  snapshot(msg: SnapshotMessage, generation: number): undefined {
    this.emit(msg[2], msg[3], generation, true, msg[4] as ReplayStatus);
  }

  update(msg: UpdateMessage, seq: number, tsUs: number, generation: number): undefined {
    this.emit(seq, tsUs, generation, false, msg[4] as unknown as ReplayStatus);
  }

  lost(): void {}

  discard(): void {}

  private emit(seq: number, tsUs: number, generation: number, snapshot: boolean, status: ReplayStatus): void {
    this.sink.emit({ type: 'replay', channel: this.name, seq, generation, tsUs, snapshot, status });
  }
}
