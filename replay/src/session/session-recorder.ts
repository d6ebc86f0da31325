import { readdirSync } from 'node:fs';
import type { RecordingState, RecordingStatus } from '../../../feed-server/src/server/index.ts';
import type { Command } from '../../../matching/src/index.ts';
import {
  type FsyncPolicy,
  type LogWarningHandler,
  LogWriter,
  RECORD_HEADER_BYTES,
  type SegmentCompression,
} from '../log/index.ts';
import { segmentNames } from '../log/segment-files.ts';
import { RECORD_TYPES } from './record-types.ts';
import { writeRecordingSidecar } from './recording-sidecar.ts';
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

/**
 * Default bound on what the recorder holds in memory (bytes appended, not yet written): 64 MiB, about 20 s of
 * a `--rate 5000` session's records (~3 MB/s) or minutes of the default rate's, while a disk stalls.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Options of {@link SessionRecorder.create}. */
export interface SessionRecorderOptions {
  /** the session's directory (created; must not hold a log yet) */
  readonly dir: string;
  readonly metadata: SessionMetadata;
  readonly fsync?: FsyncPolicy;
  /** the producer's state now (called between commands, when a keyframe is due) */
  readonly keyframe: () => Keyframe;
  /**
   * the first keyframe already encoded (`encodeKeyframe`) from the state now, instead of one built from
   * `keyframe`: a roll builds it once for the session it closes and the one it opens (see {@link close})
   */
  readonly firstKeyframe?: Uint8Array;
  readonly onWarning?: LogWarningHandler;
  /** called once when a write or sync fails: the recorder stops recording, the feed goes on */
  readonly onError?: (error: unknown) => void;
  /**
   * called once when the recorder falls behind past `maxBufferedBytes`: it stops appending (the log stays a
   * whole prefix of the session) and counts what follows as dropped; the feed goes on
   */
  readonly onDegraded?: (reason: string) => void;
  /**
   * bound on bytes appended and not yet written; default none (`Infinity`): an offline writer (an import, a
   * benchmark) drives the recorder itself; `recordLiveSession` (what `serve` records with) sets
   * {@link DEFAULT_MAX_BUFFERED_BYTES}
   */
  readonly maxBufferedBytes?: number;
  /** the log's segment size (default the log's) */
  readonly segmentBytes?: number;
  /** how the log stores sealed segments (default the log's: brotli, the last one too when the session closes) */
  readonly compression?: SegmentCompression;
}

/**
 * Writes one session to its log (replay/README.md, "Sessions"): the input (commands and clock ticks, or an
 * import's source rows) and the output (every message of the recorded channels, as published), in the order
 * they happened, plus a keyframe at the start and whenever the policy says one is due. Synchronous on the hot
 * path: `LogWriter.append` copies into its buffer and a group commit writes it off the event loop.
 *
 * Each record's log time is the feed time of the input it belongs to (never decreasing), so a replay plays a
 * command and everything it caused at the same instant.
 *
 * Bounded (replay/README.md, "Recording under load"): when the bytes not yet written reach `maxBufferedBytes`
 * at the start of an input, the recorder stops appending and is `degraded`; a write failure makes it `failed`.
 * Either way the log ends after a whole input, the feed goes on, every record not written is counted in
 * `status().droppedRecords`, and a `recording.json` sidecar in the session directory says why.
 */
export class SessionRecorder {
  readonly dir: string;
  readonly metadata: SessionMetadata;
  readonly #writer: LogWriter;
  readonly #keyframe: () => Keyframe;
  readonly #everyRecords: number;
  readonly #everyUs: number;
  readonly #onError: (error: unknown) => void;
  readonly #onDegraded: (reason: string) => void;
  readonly #maxBufferedBytes: number;
  #tsUs: number;
  #bytes = 0;
  #lastKeyframeSeq = 0;
  #lastKeyframeUs: number;
  #state: RecordingState = 'recording';
  /** the state before `close` */
  #outcome: RecordingState = 'recording';
  #reason: string | null = null;
  #stoppedUs = 0;
  #dropped = 0;
  #writeErrors = 0;

  private constructor(writer: LogWriter, options: SessionRecorderOptions) {
    this.#writer = writer;
    this.dir = options.dir;
    this.metadata = options.metadata;
    this.#keyframe = options.keyframe;
    this.#everyRecords = options.metadata.keyframes.everyRecords;
    this.#everyUs = options.metadata.keyframes.everyUs;
    this.#onError = options.onError ?? ((e) => process.stderr.write(`recording stopped: ${String(e)}\n`));
    this.#onDegraded = options.onDegraded ?? ((why) => process.stderr.write(`recording degraded: ${why}\n`));
    this.#maxBufferedBytes = options.maxBufferedBytes ?? Number.POSITIVE_INFINITY;
    this.#tsUs = options.metadata.startUs;
    this.#lastKeyframeUs = this.#tsUs;
  }

  /** Opens the session's log and writes its first keyframe (the state before any input). */
  static async create(options: SessionRecorderOptions): Promise<SessionRecorder> {
    return SessionRecorder.createSync(options);
  }

  /**
   * {@link SessionRecorder.create}, synchronously: a live recording that rolls to a new session does it between
   * two engine commands, so that no published message falls between the two logs.
   */
  static createSync(options: SessionRecorderOptions): SessionRecorder {
    const k = options.metadata.keyframes;
    if (!(k.everyRecords >= 1 && k.everyUs >= 1)) {
      throw new ReplayError('BAD_OPTION', 'keyframe policy: everyRecords and everyUs must be at least 1');
    }
    const max = options.maxBufferedBytes;
    if (max !== undefined && !(max === Number.POSITIVE_INFINITY || (Number.isSafeInteger(max) && max >= 1))) {
      throw new ReplayError(
        'BAD_OPTION',
        `maxBufferedBytes must be a positive integer or Infinity, got ${max}`,
      );
    }
    if (holdsLog(options.dir)) {
      throw new ReplayError(
        'BAD_OPTION',
        `${options.dir} already holds a log; a session gets a new directory`,
      );
    }
    const writer = LogWriter.openSync(options.dir, {
      fsync: options.fsync ?? 'batch',
      metadata: options.metadata as unknown as Record<string, unknown>,
      ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
      ...(options.compression === undefined ? {} : { compression: options.compression }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    });
    const recorder = new SessionRecorder(writer, options);
    recorder.#writeKeyframe(options.firstKeyframe);
    return recorder;
  }

  /** Records written so far. */
  get records(): number {
    return this.#writer.lastSeq;
  }

  /** Bytes of the records appended so far (record headers and payloads; what a roll bound counts). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The feed time of the latest input, µs (the session's start before any). */
  get tsUs(): number {
    return this.#tsUs;
  }

  /** Recording (not degraded, failed or closed): what it is given is appended. Cheap: read at every step. */
  get recording(): boolean {
    return this.#state === 'recording' && this.#writer.error === undefined;
  }

  /** Records known to be on disk (see the log's fsync policy). */
  get durableRecords(): number {
    return this.#writer.durableSeq;
  }

  /** The recording's progress and health now (for `/metrics` and `/healthz`). */
  status(): RecordingStatus {
    const w = this.#writer;
    // A batch write fails off the event loop: it shows here at once, before the next append reports it.
    if (this.#state === 'recording' && w.error !== undefined) this.#fail(w.error);
    return {
      state: this.#state,
      dir: this.dir,
      appendedSeq: w.lastSeq,
      durableSeq: w.durableSeq,
      lagSeconds: Math.max(0, w.lastTsUs - w.durableTsUs) / 1e6,
      bufferedBytes: w.bufferedBytes,
      maxBufferedBytes: this.#maxBufferedBytes,
      droppedRecords: this.#dropped,
      writeErrors: this.#writeErrors,
      rolls: 0,
      rollFailures: 0,
      reason: this.#reason,
    };
  }

  /** Input: a command, just before the engine gets it. */
  command(cmd: Command): void {
    if (!this.#input(cmd.tsUs)) return;
    this.#append(RECORD_TYPES.COMMAND, encodeCommand(cmd));
  }

  /** Input: the feed's clock moves to `tsUs` with no command. */
  tick(tsUs: number): void {
    if (!this.#input(tsUs)) return;
    this.#append(RECORD_TYPES.TICK, encodeTick(tsUs));
  }

  /** Input of an import: one source row, at its time. */
  source(row: SourceRow): void {
    if (!this.#input(row.tsUs)) return;
    this.#append(RECORD_TYPES.SOURCE, encodeSource(row));
  }

  /** Output: one message of a recorded channel, exactly as published. */
  message(encoded: Uint8Array): void {
    this.#append(RECORD_TYPES.MESSAGE, encoded);
  }

  /** A point between inputs where the producer's state is whole: writes a keyframe when one is due. */
  step(): void {
    if (this.#state !== 'recording') return;
    const records = this.#writer.lastSeq - this.#lastKeyframeSeq;
    if (
      records >= this.#everyRecords ||
      (records > 0 && this.#tsUs - this.#lastKeyframeUs >= this.#everyUs)
    ) {
      this.#writeKeyframe();
    }
  }

  /**
   * Writes a last keyframe when anything followed the previous one, then closes the log (everything synced).
   * A degraded or failed recording gets no keyframe (its log ends where it stopped) and its sidecar is brought
   * up to date. Rejects with the write failure of a failed recording. The keyframe is appended synchronously,
   * before the first await.
   *
   * @param lastKeyframe - that keyframe already encoded from the state now (a roll's, shared with the new
   *   session's first), instead of one built from the `keyframe` option
   */
  async close(lastKeyframe?: Uint8Array): Promise<void> {
    if (this.#state === 'closed') return;
    this.status();
    if (this.#state === 'recording' && this.#writer.lastSeq > this.#lastKeyframeSeq) {
      this.#writeKeyframe(lastKeyframe);
    }
    this.#outcome = this.#state;
    this.#state = 'closed';
    try {
      await this.#writer.close();
    } catch (error) {
      if (this.#outcome === 'recording') {
        // The last write or sync failed at close: already rejected to the caller, not reported twice.
        this.#outcome = 'failed';
        this.#writeErrors++;
        this.#reason = error instanceof Error ? error.message : String(error);
        this.#stoppedUs = this.#tsUs;
      }
      throw error;
    } finally {
      if (this.#outcome !== 'recording') this.#writeSidecar();
    }
  }

  /** Starts an input at `tsUs`: false when it is not recorded (degraded or failed, or now over the bound). */
  #input(tsUs: number): boolean {
    if (tsUs > this.#tsUs) this.#tsUs = tsUs;
    if (this.#state === 'recording' && this.#writer.bufferedBytes >= this.#maxBufferedBytes) {
      this.#degrade(
        `fell behind the feed: ${this.#writer.bufferedBytes} bytes not yet written reached the bound of ${this.#maxBufferedBytes}; recording stopped after seq ${this.#writer.lastSeq}, the feed goes on`,
      );
    }
    if (this.#state === 'recording') return true;
    this.#dropped++;
    return false;
  }

  #degrade(reason: string): void {
    this.#state = 'degraded';
    this.#reason = reason;
    this.#stoppedUs = this.#tsUs;
    this.#writeSidecar();
    this.#onDegraded(reason);
  }

  /** A write or sync failed: stop appending, and say so once through `onError`. */
  #fail(error: unknown): void {
    this.#state = 'failed';
    this.#writeErrors++;
    this.#reason = error instanceof Error ? error.message : String(error);
    this.#stoppedUs = this.#tsUs;
    this.#writeSidecar();
    this.#onError(error);
  }

  #writeSidecar(): void {
    const state = this.#state === 'closed' ? this.#outcome : this.#state;
    if (state !== 'degraded' && state !== 'failed') return;
    const error = writeRecordingSidecar(this.dir, {
      state,
      reason: this.#reason ?? '',
      stoppedUs: this.#stoppedUs,
      lastSeq: this.#writer.lastSeq,
      droppedRecords: this.#dropped,
      writeErrors: this.#writeErrors,
    });
    // A failed recording's directory may be gone or its disk full: the failure is reported already, and this
    // is the same failure. A degraded one's sidecar should write: if it does not, that is a write error too.
    if (error !== undefined && state === 'degraded') {
      this.#writeErrors++;
      this.#onError(error);
    }
  }

  #writeKeyframe(encoded?: Uint8Array): void {
    this.#append(RECORD_TYPES.KEYFRAME, encoded ?? encodeKeyframe(this.#keyframe()));
    this.#lastKeyframeSeq = this.#writer.lastSeq;
    this.#lastKeyframeUs = this.#tsUs;
  }

  #append(type: number, payload: Uint8Array): void {
    if (this.#state !== 'recording') {
      this.#dropped++;
      return;
    }
    try {
      this.#writer.append(type, this.#tsUs, payload);
      this.#bytes += RECORD_HEADER_BYTES + payload.length;
    } catch (error) {
      this.#dropped++;
      this.#fail(error);
    }
  }
}

/** `dir` holds segments of a log already (a missing directory holds none). */
function holdsLog(dir: string): boolean {
  try {
    return segmentNames(readdirSync(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
