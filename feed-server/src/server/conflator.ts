import type { BookDepth, Channel, ConflateMs, TickerFields } from '../protocol/index.ts';
import { ConflatedBook } from './conflated-book.ts';
import type { DepthBookFrame } from './depth-book.ts';
import type { PublishedChannel, SnapshotState } from './published-channel.ts';

/**
 * What a conflated channel of one symbol samples: the ticker and the book its subscribers would see unconflated,
 * with versions that change whenever they do. The live producer and a replay both provide it.
 */
export interface ConflationInput {
  readonly tickerVersion: number;
  readonly lastTicker: TickerFields;
  readonly tickerTsUs: number;
  readonly bookVersion: number;
  readonly bookTsUs: number;
  /** the book at `depth` now, best first, with its checksum */
  bookAt(depth: BookDepth): DepthBookFrame;
}

interface Conflated {
  readonly channel: PublishedChannel;
  readonly input: ConflationInput;
  readonly intervalMs: ConflateMs;
  nextDueMs: number;
  /** ticker: the version last published; book: the book version last compared */
  sentVersion: number;
  /** ticker: what subscribers hold (the last published fields and their time) */
  sentTicker: TickerFields;
  sentTickerTsUs: number;
  /** book: what subscribers hold */
  readonly book: ConflatedBook | undefined;
  readonly depth: BookDepth;
}

/** Publishes a channel's next update: `[4, id, seq, tsUs, ...fields]`. */
export type ConflatedSend = (channel: PublishedChannel, tsUs: number, fields: readonly unknown[]) => void;

/**
 * The conflated variants of `ticker` and `book` (PROTOCOL.md §4, `@Nms`): the latest state at most once per
 * interval of the wall clock, with their own seqs; a conflated book's update is the net change since its last
 * one. A channel starts when first opened and is published from then on.
 */
export class Conflator {
  readonly #all: Conflated[] = [];

  /**
   * @param clockMs - the wall clock, ms: conflation is a delivery rate, so it runs on wall time even in a replay
   * @param send - publishes an update of a conflated channel
   */
  constructor(
    private readonly clockMs: () => number,
    private readonly send: ConflatedSend,
  ) {}

  /** Starts the conflated channel `channel` of a symbol, whose state `input` holds. */
  open(
    channel: Extract<Channel, { kind: 'ticker' | 'book' }>,
    input: ConflationInput,
    create: (state: () => SnapshotState) => PublishedChannel,
  ): PublishedChannel {
    const intervalMs = channel.conflateMs;
    if (intervalMs === null) throw new Error('assertion failed: not a conflated channel');
    const nowMs = this.clockMs();
    if (channel.kind === 'ticker') {
      const c: Conflated = {
        channel: create(() => ({ tsUs: c.sentTickerTsUs, data: c.sentTicker })),
        input,
        intervalMs,
        nextDueMs: nowMs + intervalMs,
        sentVersion: input.tickerVersion,
        sentTicker: input.lastTicker,
        sentTickerTsUs: input.tickerTsUs,
        book: undefined,
        depth: 10,
      };
      this.#all.push(c);
      return c.channel;
    }
    const book = new ConflatedBook(input.bookAt(channel.depth), input.bookTsUs);
    const c: Conflated = {
      channel: create(() => book.held()),
      input,
      intervalMs,
      nextDueMs: nowMs + intervalMs,
      sentVersion: input.bookVersion,
      sentTicker: input.lastTicker,
      sentTickerTsUs: 0,
      book,
      depth: channel.depth,
    };
    this.#all.push(c);
    return c.channel;
  }

  /** Publishes every conflated channel that is due at `nowMs` and has changed. */
  tick(nowMs: number): void {
    for (const c of this.#all) if (nowMs >= c.nextDueMs) this.#publish(c, nowMs);
  }

  #publish(c: Conflated, nowMs: number): void {
    c.nextDueMs = Math.max(c.nextDueMs + c.intervalMs, nowMs);
    const input = c.input;
    if (c.book === undefined) {
      if (c.sentVersion === input.tickerVersion) return;
      c.sentVersion = input.tickerVersion;
      c.sentTicker = input.lastTicker;
      c.sentTickerTsUs = input.tickerTsUs;
      this.send(c.channel, input.tickerTsUs, input.lastTicker);
      return;
    }
    if (c.sentVersion === input.bookVersion) return;
    c.sentVersion = input.bookVersion;
    const fields = c.book.advance(input.bookAt(c.depth), input.bookTsUs);
    if (fields !== null) this.send(c.channel, input.bookTsUs, fields);
  }
}
