import { LogReader, type LogReaderOptions } from '../log/index.ts';
import { RECORD_TYPES } from './record-types.ts';
import { ReplayError } from './replay-error.ts';
import { ReplayState } from './replay-state.ts';
import { decodeKeyframe, type Keyframe } from './session-codec.ts';
import { parseSessionMetadata, type SessionMetadata } from './session-metadata.ts';

/** Where a keyframe is. */
export interface KeyframeEntry {
  readonly seq: number;
  readonly tsUs: number;
}

/** Counts of one session, from the scan at open. */
export interface SessionCounts {
  readonly records: number;
  readonly commands: number;
  readonly messages: number;
  readonly keyframes: number;
  readonly ticks: number;
  readonly sources: number;
}

/**
 * A recorded session opened for replay: its metadata, the positions of its keyframes, and the state at any
 * point (`stateAt`), rebuilt from the keyframe before it. Opening reads the whole log once, checking every
 * record's CRC32C, so a session with a corrupt record is refused before anything is served.
 */
export class SessionReader {
  readonly metadata: SessionMetadata;
  readonly log: LogReader;
  readonly keyframes: readonly KeyframeEntry[];
  readonly counts: SessionCounts;
  #cached: ReplayState | undefined;

  private constructor(
    log: LogReader,
    metadata: SessionMetadata,
    keyframes: KeyframeEntry[],
    counts: SessionCounts,
  ) {
    this.log = log;
    this.metadata = metadata;
    this.keyframes = keyframes;
    this.counts = counts;
  }

  /** Opens `dir` (repairing a torn tail unless told not to); throws `LogError` or `ReplayError`. */
  static open(dir: string, options: LogReaderOptions = {}): SessionReader {
    const log = LogReader.open(dir, options);
    try {
      const metadata = parseSessionMetadata(log.metadata, dir);
      const keyframes: KeyframeEntry[] = [];
      const n = [0, 0, 0, 0, 0, 0];
      const c = log.cursor();
      while (c.next()) {
        n[c.type] = (n[c.type] ?? 0) + 1;
        if (c.type === RECORD_TYPES.KEYFRAME) keyframes.push({ seq: c.seq, tsUs: c.tsUs });
      }
      if (keyframes[0]?.seq !== 1) {
        throw new ReplayError('BAD_SESSION', `${dir}: a session starts with a keyframe, this one does not`);
      }
      const counts = {
        records: log.recordCount,
        commands: n[RECORD_TYPES.COMMAND] ?? 0,
        messages: n[RECORD_TYPES.MESSAGE] ?? 0,
        keyframes: n[RECORD_TYPES.KEYFRAME] ?? 0,
        ticks: n[RECORD_TYPES.TICK] ?? 0,
        sources: n[RECORD_TYPES.SOURCE] ?? 0,
      };
      return new SessionReader(log, metadata, keyframes, counts);
    } catch (error) {
      log.close();
      throw error;
    }
  }

  /** Seq of the last record. */
  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** Feed time of the first and last records, µs. */
  get startUs(): number {
    return this.log.firstTsUs ?? this.metadata.startUs;
  }

  get endUs(): number {
    return this.log.lastTsUs ?? this.metadata.startUs;
  }

  /**
   * The position at feed time `tsUs`: the seq of the last record with a time ≤ `tsUs` (so every record of the
   * inputs up to then, and nothing after); 0 before the first.
   */
  positionAt(tsUs: number): number {
    const next = this.log.seek(tsUs + 1);
    return next === undefined ? this.log.lastSeq : next.seq - 1;
  }

  /** The last keyframe at or before `position`. */
  keyframeAtOrBefore(position: number): KeyframeEntry {
    let lo = 0;
    let hi = this.keyframes.length - 1;
    if (hi < 0 || (this.keyframes[0] as KeyframeEntry).seq > position) {
      throw new ReplayError('NO_KEYFRAME', `no keyframe at or before record ${position}`);
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.keyframes[mid] as KeyframeEntry).seq <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.keyframes[lo] as KeyframeEntry;
  }

  /** The keyframe record at `seq`, decoded. */
  readKeyframe(seq: number): Keyframe {
    const c = this.log.cursor(seq);
    if (!c.next() || c.type !== RECORD_TYPES.KEYFRAME) {
      throw new ReplayError('NO_KEYFRAME', `record ${seq} is not a keyframe`);
    }
    return decodeKeyframe(c.payload);
  }

  /**
   * The state after the records up to `position` (≥ 1): from the state last asked for when it is on the way,
   * else from the keyframe before `position`. The returned state is shared and changes on the next call.
   */
  stateAt(position: number): ReplayState {
    const target = Math.max(1, Math.min(position, this.lastSeq));
    const kf = this.keyframeAtOrBefore(target);
    let state = this.#cached;
    if (state === undefined || state.position > target || state.position < kf.seq) {
      state = new ReplayState(this.metadata);
      state.restore(this.readKeyframe(kf.seq).state, kf.seq);
    }
    if (state.position < target) {
      const c = this.log.cursor(state.position + 1);
      while (c.seq < target && c.next()) state.apply(c.seq, c.type, c.payload);
    }
    this.#cached = state;
    return state;
  }

  close(): void {
    this.log.close();
  }
}
