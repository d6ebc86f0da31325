import {
  type BookDepth,
  type Channel,
  formatChannel,
  type ReplayRequest,
  type ReplaySpeed,
  type ReplayStatus,
  requestError,
} from '../../../feed-server/src/protocol/index.ts';
import {
  type BookAtDepth,
  type Bus,
  type ChannelHandle,
  ChannelLog,
  type ChannelLogLimits,
  type ConflationInput,
  Conflator,
  type ControlResult,
  type EncodedSnapshot,
  type FeedSink,
  type FeedSource,
  type MarketQuery,
  PublishedChannel,
  type TradeRecord,
} from '../../../feed-server/src/server/index.ts';
import type { Candle, CandleInterval, Instrument, Ticker } from '../../../matching/src/index.ts';
import type { LogCursor } from '../log/index.ts';
import {
  type MessageHead,
  RECORD_TYPES,
  ReplayError,
  type ReplayState,
  readMessageHead,
  type SessionReader,
  sessionTimeZone,
} from '../session/index.ts';
import { ReplayClock } from './replay-clock.ts';

/** Options of {@link ReplayFeed}. */
export interface ReplayFeedOptions {
  readonly reader: SessionReader;
  readonly bus: Bus;
  /** default 1 */
  readonly speed?: ReplaySpeed;
  /** the part of the recording to replay, feed time µs (default: all of it) */
  readonly fromUs?: number;
  readonly toUs?: number;
  /** start over at `fromUs` after `toUs` (default false) */
  readonly loop?: boolean;
  /** start paused (default false: playing) */
  readonly paused?: boolean;
  /** the wall clock, ms (default `Date.now`) */
  readonly wallMs?: () => number;
  readonly logLimits?: Partial<ChannelLogLimits>;
  /** told when the replay reaches `toUs` without `loop`, and of errors that stop it */
  readonly onEnd?: () => void;
  readonly onError?: (error: unknown) => void;
}

/** A channel of the recording: its resume buffer is filled from the log as it plays. */
interface RecordedChannel extends ChannelHandle {
  readonly log: ChannelLog;
  /** the symbol whose conflated channels sample this one: ticker and book:full count changes */
  readonly counts: SymbolCounts | undefined;
  readonly countsAs: 'ticker' | 'book' | undefined;
}

interface SymbolCounts {
  ticker: number;
  book: number;
}

interface Lookahead {
  seq: number;
  tsUs: number;
  type: number;
  payload: Uint8Array;
}

/** At `'max'`, how much a connection may hold unsent before the replay waits for it. */
const MAX_SPEED_BACKLOG_BYTES = 1024 * 1024;
/** Most records one turn of the event loop plays. */
const RECORDS_PER_TURN = 20_000;
/** Most time one turn plays for, ms. */
const TURN_BUDGET_MS = 10;
/** The replay status is published at least this often while playing, ms. */
const STATUS_EVERY_MS = 1000;

/**
 * A recorded session served as a feed (PROTOCOL.md §16): the recorded messages go out on the bus exactly as
 * recorded, on the replay clock, with the same channels, ids and seqs as live; snapshots, resume buffers and REST
 * come from the state rebuilt at the current point (`SessionReader.stateAt`). One clock for every client:
 * play, pause, speed, seek and step act on the replay, and the `replay` channel reports where it stands.
 *
 * A seek starts a new sequence space (`session` changes): every subscription gets `reset` and a snapshot at the
 * new point.
 */
export class ReplayFeed implements FeedSource, MarketQuery {
  readonly mode = 'replay' as const;
  readonly symbols: ReadonlySet<string>;
  readonly fromUs: number;
  readonly toUs: number;
  readonly loop: boolean;
  /** the recorded exchange's IANA time zone (an imported day), reported in the status; undefined for none */
  readonly timeZone: string | undefined;
  readonly #reader: SessionReader;
  readonly #bus: Bus;
  readonly #wallMs: () => number;
  readonly #logLimits: Partial<ChannelLogLimits> | undefined;
  readonly #byName = new Map<string, RecordedChannel>();
  readonly #byId: (RecordedChannel | undefined)[] = [];
  readonly #counts = new Map<string, SymbolCounts>();
  readonly #extra = new Map<string, PublishedChannel>();
  readonly #replayChannel: PublishedChannel;
  readonly #conflator: Conflator;
  readonly #clock: ReplayClock;
  readonly #onEnd: () => void;
  readonly #onError: (error: unknown) => void;
  readonly #head: MessageHead = { channelId: 0, seq: 0 };
  #nextId: number;
  #epoch = 0;
  #position = 1;
  #cursor: LogCursor;
  #next: Lookahead | null = null;
  #ended = false;
  #started = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #sink: FeedSink | undefined;
  #lastStatusMs = 0;
  #snapshots = new Map<string, { readonly position: number; readonly snapshot: EncodedSnapshot }>();

  constructor(options: ReplayFeedOptions) {
    const reader = options.reader;
    this.#reader = reader;
    this.#bus = options.bus;
    this.#wallMs = options.wallMs ?? Date.now;
    this.#logLimits = options.logLimits;
    this.#onEnd = options.onEnd ?? (() => {});
    this.#onError = options.onError ?? ((e) => process.stderr.write(`replay stopped: ${String(e)}\n`));
    this.fromUs = Math.max(options.fromUs ?? reader.startUs, reader.startUs);
    this.toUs = Math.min(options.toUs ?? reader.endUs, reader.endUs);
    if (this.toUs < this.fromUs) {
      throw new ReplayError('BAD_TIME', 'the replay range is empty: --to is before --from');
    }
    this.loop = options.loop ?? false;
    const meta = reader.metadata;
    this.timeZone = sessionTimeZone(meta);
    this.symbols = new Set(meta.instruments.map((i) => i.symbol));
    for (const s of this.symbols) this.#counts.set(s, { ticker: 0, book: 0 });
    let maxId = 0;
    for (const [id, name] of meta.channels) {
      const kind = name.split(':')[0] as RecordedChannel['kind'];
      const symbol = name.split(':')[1];
      const counts = symbol === undefined ? undefined : this.#counts.get(symbol);
      const channel: RecordedChannel = {
        name,
        id,
        kind,
        conflatable: kind === 'ticker' || kind === 'book',
        log: new ChannelLog(options.logLimits),
        counts,
        countsAs: kind === 'ticker' ? 'ticker' : name.endsWith(':full') ? 'book' : undefined,
      };
      this.#byName.set(name, channel);
      this.#byId[id] = channel;
      maxId = Math.max(maxId, id);
    }
    this.#nextId = maxId + 1;
    this.#replayChannel = new PublishedChannel('replay', this.#nextId++, false, () => ({
      data: this.status(),
    }));
    this.#extra.set('replay', this.#replayChannel);
    this.#conflator = new Conflator(this.#wallMs, (channel, tsUs, fields) =>
      this.#send(channel, tsUs, fields),
    );
    this.#clock = new ReplayClock(this.fromUs, options.speed ?? 1, this.#wallMs);
    this.#cursor = reader.log.cursor(1);
    this.#jumpTo(this.fromUs, null);
    if (options.paused !== true) this.#clock.play();
  }

  /** `welcome.session`: the recording's session and the number of seeks so far. */
  get session(): string {
    return `${this.#reader.metadata.session}~${this.#epoch}`;
  }

  /** Seq of the last record played. */
  get position(): number {
    return this.#position;
  }

  /** Where the replay stands (the `replay` channel's payload). */
  status(): ReplayStatus {
    return {
      state: this.#ended ? 'ended' : this.#clock.playing ? 'playing' : 'paused',
      speed: this.#clock.speed,
      clockUs: Math.min(Math.max(this.#clock.nowUs(), this.fromUs), this.toUs),
      fromUs: this.fromUs,
      toUs: this.toUs,
      startUs: this.#reader.startUs,
      endUs: this.#reader.endUs,
      loop: this.loop,
      session: this.session,
      ...(this.timeZone === undefined ? {} : { timeZone: this.timeZone }),
    };
  }

  /** Starts the playback loop (the server calls it once listening). */
  start(): void {
    this.#started = true;
    this.#schedule(0);
  }

  /** Stops the playback loop. */
  stop(): void {
    this.#started = false;
    this.#cancel();
  }

  // ---- FeedSource ----

  attach(sink: FeedSink): void {
    this.#sink = sink;
  }

  open(channel: Channel): ChannelHandle {
    const name = formatChannel(channel);
    const handle = this.#byName.get(name) ?? this.#extra.get(name);
    if (handle !== undefined) return handle;
    if (channel.kind !== 'ticker' && channel.kind !== 'book') {
      throw requestError('UNKNOWN_CHANNEL', `channel ${name} is not in this recording`, { channel: name });
    }
    const created = this.#conflator.open(
      channel,
      this.#conflationInput(channel.symbol),
      (state) => new PublishedChannel(name, this.#nextId++, true, state, this.#logLimits),
    );
    this.#extra.set(name, created);
    return created;
  }

  snapshot(handle: ChannelHandle): EncodedSnapshot {
    const extra = this.#extra.get(handle.name);
    if (extra !== undefined) return extra.snapshot();
    const cached = this.#snapshots.get(handle.name);
    if (cached?.position === this.#position) return cached.snapshot;
    const snapshot = this.#state().snapshot(handle.name);
    this.#snapshots.set(handle.name, { position: this.#position, snapshot });
    return snapshot;
  }

  since(handle: ChannelHandle, afterSeq: number): readonly Uint8Array[] | 'reset' {
    const log = this.#logOf(handle);
    log.expire(this.#wallMs());
    return log.since(afterSeq);
  }

  lastSeq(handle: ChannelHandle): number {
    return this.#logOf(handle).lastSeq;
  }

  control(request: ReplayRequest): ControlResult {
    switch (request.action) {
      case 'play':
        if (this.#ended) this.#jumpTo(this.fromUs, 'replay started over');
        this.#clock.play();
        break;
      case 'pause':
        this.#clock.pause();
        break;
      case 'speed':
        this.#clock.setSpeed(request.speed ?? 1);
        break;
      case 'seek': {
        const tsUs = request.tsUs ?? this.fromUs;
        if (tsUs < this.fromUs || tsUs > this.toUs) {
          return {
            ok: false,
            code: 'BAD_REQUEST',
            message: `seek to ${iso(tsUs)}: the replay spans ${iso(this.fromUs)} to ${iso(this.toUs)}`,
          };
        }
        this.#jumpTo(tsUs, `seek to ${iso(tsUs)}`);
        break;
      }
      case 'step':
        this.#clock.pause();
        this.#step(request.count ?? 1);
        break;
    }
    this.#publishStatus();
    this.#schedule(0);
    return { ok: true };
  }

  // ---- MarketQuery ----

  instruments(): readonly Instrument[] {
    return this.#reader.metadata.instruments;
  }

  ticker(symbol: string): Ticker | undefined {
    return this.#state().ticker(symbol);
  }

  book(symbol: string, depth: BookDepth): BookAtDepth | undefined {
    return this.#state().book(symbol, depth);
  }

  trades(symbol: string, limit: number): readonly TradeRecord[] | undefined {
    return this.#state().trades(symbol, limit);
  }

  candles(symbol: string, interval: CandleInterval, limit: number): readonly Candle[] | undefined {
    return this.#state().candles(symbol, interval, limit);
  }

  nowUs(): number {
    return this.#state().nowUs();
  }

  // ---- playback ----

  #state(): ReplayState {
    return this.#reader.stateAt(this.#position);
  }

  #logOf(handle: ChannelHandle): ChannelLog {
    const recorded = this.#byName.get(handle.name);
    if (recorded !== undefined) return recorded.log;
    const extra = this.#extra.get(handle.name);
    if (extra === undefined) throw new Error(`assertion failed: unknown channel ${handle.name}`);
    return extra.log;
  }

  /** Moves to feed time `tsUs`: the state there, each channel's seq from there, a new sequence space. */
  #jumpTo(tsUs: number, reason: string | null): void {
    const position = Math.max(1, this.#reader.positionAt(tsUs));
    const state = this.#reader.stateAt(position);
    this.#position = position;
    for (const channel of this.#byName.values()) channel.log.resetTo(state.seqOf(channel.name) ?? 0);
    for (const counts of this.#counts.values()) {
      counts.ticker++;
      counts.book++;
    }
    this.#snapshots.clear();
    this.#cursor = this.#reader.log.cursor(position + 1);
    this.#advanceLookahead();
    this.#clock.jump(tsUs);
    this.#ended = false;
    if (reason !== null) {
      this.#epoch++;
      // The recorded channels jump; the replay channel and the conflated ones go on with their own seqs (a
      // conflated update is the net change from what its subscribers hold, wherever the replay went).
      this.#sink?.rewind(reason, (channel) => this.#byName.has(channel.name));
    }
  }

  #advanceLookahead(): void {
    const c = this.#cursor;
    if (!c.next()) {
      this.#next = null;
      return;
    }
    this.#next = { seq: c.seq, tsUs: c.tsUs, type: c.type, payload: c.payload };
  }

  #schedule(delayMs: number): void {
    if (!this.#started || this.#timer !== undefined) return;
    if (delayMs === 0) this.#timer = setImmediate(() => this.#turn());
    else this.#timer = setTimeout(() => this.#turn(), delayMs);
  }

  #cancel(): void {
    const t = this.#timer;
    this.#timer = undefined;
    if (t === undefined) return;
    clearTimeout(t as NodeJS.Timeout);
    clearImmediate(t as NodeJS.Immediate);
  }

  /** One turn of the event loop: plays what is due, then waits for the next. */
  #turn(): void {
    this.#timer = undefined;
    try {
      this.#play();
    } catch (error) {
      this.#ended = true;
      this.#clock.pause();
      this.#publishStatus();
      this.#onError(error);
      return;
    }
    const nowMs = this.#wallMs();
    this.#conflator.tick(nowMs);
    if (this.#clock.playing && !this.#ended && nowMs - this.#lastStatusMs >= STATUS_EVERY_MS) {
      this.#publishStatus();
    }
    if (!this.#clock.playing || this.#ended) {
      this.#schedule(50);
      return;
    }
    this.#schedule(this.#clock.speed === 'max' ? 0 : 5);
  }

  #play(): void {
    if (!this.#clock.playing || this.#ended) return;
    const max = this.#clock.speed === 'max';
    if (max && this.#sink?.backlogged(MAX_SPEED_BACKLOG_BYTES) === true) return;
    const dueUs = Math.min(max ? Number.POSITIVE_INFINITY : this.#clock.nowUs(), this.toUs);
    const deadline = performance.now() + TURN_BUDGET_MS;
    for (let n = 1; ; n++) {
      const next = this.#next;
      if (next === null || next.tsUs > this.toUs) {
        this.#end();
        return;
      }
      if (next.tsUs > dueUs) return;
      this.#playNext();
      if (max) this.#clock.reached(next.tsUs);
      if (n >= RECORDS_PER_TURN || (n % 256 === 0 && performance.now() > deadline)) {
        // At max there is no clock to wait for: write now, and the next turn waits only for the client.
        if (max) this.#sink?.flush();
        return;
      }
    }
  }

  #end(): void {
    if (this.loop) {
      this.#jumpTo(this.fromUs, 'replay looped to its start');
      this.#publishStatus();
      return;
    }
    this.#clock.jump(this.toUs);
    this.#clock.pause();
    this.#ended = true;
    this.#publishStatus();
    this.#onEnd();
  }

  /** Plays `count` inputs and what each caused, then stops. */
  #step(count: number): void {
    for (let i = 0; i < count; i++) {
      const first = this.#next;
      if (first === null || first.tsUs > this.toUs) return;
      this.#playNext();
      let next = this.#next as Lookahead | null;
      while (next !== null && !isInput(next.type) && next.tsUs <= this.toUs) {
        this.#playNext();
        next = this.#next;
      }
      this.#clock.reached(first.tsUs);
    }
  }

  #playNext(): void {
    const r = this.#next as Lookahead;
    this.#position = r.seq;
    if (r.type === RECORD_TYPES.MESSAGE) {
      const head = readMessageHead(r.payload, this.#head);
      const channel = this.#byId[head.channelId];
      if (channel === undefined) {
        throw new ReplayError(
          'BAD_RECORD',
          `record ${r.seq}: message of unknown channel id ${head.channelId}`,
        );
      }
      const seq = channel.log.append(r.payload, this.#wallMs());
      if (seq !== head.seq) {
        throw new ReplayError(
          'BAD_RECORD',
          `record ${r.seq}: ${channel.name} seq ${head.seq}, expected ${seq}`,
        );
      }
      if (channel.countsAs !== undefined && channel.counts !== undefined) channel.counts[channel.countsAs]++;
      this.#bus.publish(channel.name, seq, r.payload);
    }
    this.#advanceLookahead();
  }

  #send(channel: PublishedChannel, tsUs: number, fields: readonly unknown[]): void {
    const { seq, encoded } = channel.update(tsUs, fields, this.#wallMs());
    this.#bus.publish(channel.name, seq, encoded);
  }

  #publishStatus(): void {
    this.#lastStatusMs = this.#wallMs();
    const status = this.status();
    this.#send(this.#replayChannel, status.clockUs, [status]);
  }

  #conflationInput(symbol: string): ConflationInput {
    const counts = this.#counts.get(symbol) as SymbolCounts;
    const at = (): ConflationInput => this.#state().conflationInput(symbol) as ConflationInput;
    return {
      get tickerVersion() {
        return counts.ticker;
      },
      get bookVersion() {
        return counts.book;
      },
      get lastTicker() {
        return at().lastTicker;
      },
      get tickerTsUs() {
        return at().tickerTsUs;
      },
      get bookTsUs() {
        return at().bookTsUs;
      },
      bookAt: (depth) => at().bookAt(depth),
    };
  }
}

function isInput(type: number): boolean {
  return type === RECORD_TYPES.COMMAND || type === RECORD_TYPES.TICK || type === RECORD_TYPES.SOURCE;
}

function iso(tsUs: number): string {
  return new Date(Math.floor(tsUs / 1000)).toISOString();
}
