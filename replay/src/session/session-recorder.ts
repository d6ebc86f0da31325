import type { Command } from '../../../matching/src/index.ts';
import { type FsyncPolicy, type LogWarningHandler, LogWriter } from '../log/index.ts';
import { RECORD_TYPES } from './record-types.ts';
import { ReplayError } from './replay-error.ts';
import {
  encodeCommand,
  encodeKeyframe,
  encodeSource,
  encodeTick,
  type Keyframe,
  type SourceRow,
} from './session-codec.ts';
import type { SessionMetadata } from './session-metadata.ts';

/**
 * Default keyframe policy: at most 4,000 records or 5 min of feed time between two keyframes. The record bound
 * bounds a seek (at most 4,000 records to apply after the keyframe: ~10 ms; a keyframe is ~30 KiB deflated,
 * ~10% of a busy session's bytes); the time bound only keeps a quiet session
 * from going without one.
 */
export const DEFAULT_KEYFRAME_POLICY = { everyRecords: 4000, everyUs: 300_000_000 } as const;

/** Options of {@link SessionRecorder.create}. */
export interface SessionRecorderOptions {
  /** the session's directory (created; must not hold a log yet) */
  readonly dir: string;
  readonly metadata: SessionMetadata;
  readonly fsync?: FsyncPolicy;
  /** the producer's state now (called between commands, when a keyframe is due) */
  readonly keyframe: () => Keyframe;
  readonly onWarning?: LogWarningHandler;
  /** called once when a write or sync fails: the recorder stops recording, the feed goes on */
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes one session to its log (replay/README.md, "Sessions"): the input (commands and clock ticks, or an
 * import's source rows) and the output (every message of the recorded channels, as published), in the order
 * they happened, plus a keyframe at the start and whenever the policy says one is due. Synchronous on the hot
 * path: `LogWriter.append` copies into its buffer and a group commit writes it off the event loop.
 *
 * Each record's log time is the feed time of the input it belongs to (never decreasing), so a replay plays a
 * command and everything it caused at the same instant.
 */
export class SessionRecorder {
  readonly dir: string;
  readonly metadata: SessionMetadata;
  readonly #writer: LogWriter;
  readonly #keyframe: () => Keyframe;
  readonly #everyRecords: number;
  readonly #everyUs: number;
  readonly #onError: (error: unknown) => void;
  #tsUs: number;
  #lastKeyframeSeq = 0;
  #lastKeyframeUs: number;
  #failed = false;

  private constructor(writer: LogWriter, options: SessionRecorderOptions) {
    this.#writer = writer;
    this.dir = options.dir;
    this.metadata = options.metadata;
    this.#keyframe = options.keyframe;
    this.#everyRecords = options.metadata.keyframes.everyRecords;
    this.#everyUs = options.metadata.keyframes.everyUs;
    this.#onError = options.onError ?? ((e) => process.stderr.write(`recording stopped: ${String(e)}\n`));
    this.#tsUs = options.metadata.startUs;
    this.#lastKeyframeUs = this.#tsUs;
  }

  /** Opens the session's log and writes its first keyframe (the state before any input). */
  static async create(options: SessionRecorderOptions): Promise<SessionRecorder> {
    const k = options.metadata.keyframes;
    if (!(k.everyRecords >= 1 && k.everyUs >= 1)) {
      throw new ReplayError('BAD_OPTION', 'keyframe policy: everyRecords and everyUs must be at least 1');
    }
    const writer = await LogWriter.open(options.dir, {
      fsync: options.fsync ?? 'batch',
      metadata: options.metadata as unknown as Record<string, unknown>,
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    });
    if (writer.lastSeq !== 0) {
      await writer.close();
      throw new ReplayError(
        'BAD_OPTION',
        `${options.dir} already holds a log; a session gets a new directory`,
      );
    }
    const recorder = new SessionRecorder(writer, options);
    recorder.#writeKeyframe();
    return recorder;
  }

  /** Records written so far. */
  get records(): number {
    return this.#writer.lastSeq;
  }

  /** Records known to be on disk (see the log's fsync policy). */
  get durableRecords(): number {
    return this.#writer.durableSeq;
  }

  /** Input: a command, just before the engine gets it. */
  command(cmd: Command): void {
    this.#input(cmd.tsUs);
    this.#append(RECORD_TYPES.COMMAND, encodeCommand(cmd));
  }

  /** Input: the feed's clock moves to `tsUs` with no command. */
  tick(tsUs: number): void {
    this.#input(tsUs);
    this.#append(RECORD_TYPES.TICK, encodeTick(tsUs));
  }

  /** Input of an import: one source row, at its time. */
  source(row: SourceRow): void {
    this.#input(row.tsUs);
    this.#append(RECORD_TYPES.SOURCE, encodeSource(row));
  }

  /** Output: one message of a recorded channel, exactly as published. */
  message(encoded: Uint8Array): void {
    this.#append(RECORD_TYPES.MESSAGE, encoded);
  }

  /** A point between inputs where the producer's state is whole: writes a keyframe when one is due. */
  step(): void {
    if (this.#failed) return;
    const records = this.#writer.lastSeq - this.#lastKeyframeSeq;
    if (
      records >= this.#everyRecords ||
      (records > 0 && this.#tsUs - this.#lastKeyframeUs >= this.#everyUs)
    ) {
      this.#writeKeyframe();
    }
  }

  /** Writes a last keyframe when anything followed the previous one, then closes the log (everything synced). */
  async close(): Promise<void> {
    if (!this.#failed && this.#writer.lastSeq > this.#lastKeyframeSeq) this.#writeKeyframe();
    await this.#writer.close();
  }

  #input(tsUs: number): void {
    if (tsUs > this.#tsUs) this.#tsUs = tsUs;
  }

  #writeKeyframe(): void {
    this.#append(RECORD_TYPES.KEYFRAME, encodeKeyframe(this.#keyframe()));
    this.#lastKeyframeSeq = this.#writer.lastSeq;
    this.#lastKeyframeUs = this.#tsUs;
  }

  #append(type: number, payload: Uint8Array): void {
    if (this.#failed) return;
    try {
      this.#writer.append(type, this.#tsUs, payload);
    } catch (error) {
      this.#failed = true;
      this.#onError(error);
    }
  }
}
