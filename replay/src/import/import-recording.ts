import { FeedPublisher, InProcessBus } from '../../../feed-server/src/server/index.ts';
import type { EngineEvent, Instrument } from '../../../matching/src/index.ts';
import type { SegmentCompression } from '../log/index.ts';
import { sessionMetadata } from '../session/record-live.ts';
import type { SourceRow } from '../session/session-codec.ts';
import type { SessionMetadata, SessionSource } from '../session/session-metadata.ts';
import { SessionRecorder } from '../session/session-recorder.ts';

/**
 * Keyframes of an imported day: every 10,000 records (a seek applies at most that many: ~25 ms; an import writes
 * one every ~1,500 rows, each ~5 ms of its time) or 30 min of feed time.
 */
export const IMPORT_KEYFRAME_POLICY = { everyRecords: 10_000, everyUs: 30 * 60e6 };

/**
 * An imported session being written: one instrument's producer (the live `FeedPublisher`, so ticker and candles
 * derive exactly as live) recorded as `tickwire serve` records, one source row at a time.
 */
export class ImportRecording {
  readonly #publisher: FeedPublisher;
  readonly #recorder: SessionRecorder;
  readonly #clock: { nowUs: number };

  private constructor(publisher: FeedPublisher, recorder: SessionRecorder, clock: { nowUs: number }) {
    this.#publisher = publisher;
    this.#recorder = recorder;
    this.#clock = clock;
  }

  /** A new session in `dir` for `instrument`, starting at `startUs`. */
  static async create(options: {
    readonly dir: string;
    readonly instrument: Instrument;
    readonly source: SessionSource;
    readonly startUs: number;
    readonly origin: NonNullable<SessionMetadata['origin']>;
    /** how the log stores its segments (default the log's: brotli) */
    readonly compression?: SegmentCompression | undefined;
  }): Promise<ImportRecording> {
    const bus = new InProcessBus((error) => {
      throw error;
    });
    const clock = { nowUs: options.startUs };
    const publisher = new FeedPublisher({
      instruments: [options.instrument],
      bus,
      clockMs: () => clock.nowUs / 1000,
    });
    const recorder = await SessionRecorder.create({
      dir: options.dir,
      fsync: 'none',
      ...(options.compression === undefined ? {} : { compression: options.compression }),
      metadata: sessionMetadata(
        publisher,
        options.source,
        options.startUs,
        { origin: options.origin },
        IMPORT_KEYFRAME_POLICY,
      ),
      keyframe: () => ({ state: publisher.exportState(), stateHash: null }),
      onError: (error) => {
        throw error;
      },
    });
    for (const c of publisher.channels())
      bus.subscribe(c.name, (_n, _s, encoded) => recorder.message(encoded));
    return new ImportRecording(publisher, recorder, clock);
  }

  /** Records records written so far. */
  get records(): number {
    return this.#recorder.records;
  }

  /**
   * One source row: recorded as the session's input, the feed's clock moved to its time, then the engine-like
   * events `events` produces fed to the producer as one command's.
   */
  row(source: SourceRow, events: () => Iterable<EngineEvent>): void {
    this.#clock.nowUs = source.tsUs;
    this.#recorder.source(source);
    this.#publisher.tick(source.tsUs);
    this.#publisher.publishCommand(events());
    this.#recorder.step();
  }

  /** Moves the clock to `endUs` (closing the bars before it) and closes the session, everything synced. */
  async finish(endUs: number): Promise<void> {
    this.#clock.nowUs = endUs;
    this.#recorder.tick(endUs);
    this.#publisher.tick(endUs);
    this.#recorder.step();
    await this.#recorder.close();
  }
}
