import { LogReader, type LogWarningHandler } from '../log/index.ts';
import { RECORD_TYPES } from './record-types.ts';
import { ReplayError } from './replay-error.ts';
import { ReplayState } from './replay-state.ts';
import { decodeKeyframe } from './session-codec.ts';
import { parseSessionMetadata, type SessionMetadata } from './session-metadata.ts';

/** A recorded session's state at its last record (see {@link readSessionEnd}). */
export interface SessionEnd {
  readonly metadata: SessionMetadata;
  /** the state after the last record: snapshots, REST answers, market data */
  readonly state: ReplayState;
  /** seq and feed time (µs) of the last record */
  readonly lastSeq: number;
  readonly endUs: number;
}

/** Records scanned back from the end for the last keyframe at first (the recorder writes one every 4,000). */
const FIRST_WINDOW = 8192;

/**
 * The state at the end of the session in `dir`, rebuilt from its last keyframe and the records after it: only
 * the tail of the log is read (the last segment is checked on open, and the keyframe is searched for backwards
 * in widening windows), so the cost does not grow with the session. Read-only: a torn tail is not cut off,
 * reading stops before it. Throws `LogError` or `ReplayError` (`NOT_A_SESSION`, `BAD_SESSION`, `NO_KEYFRAME`).
 */
export function readSessionEnd(dir: string, options: { onWarning?: LogWarningHandler } = {}): SessionEnd {
  const log = LogReader.open(dir, {
    repair: false,
    verify: 'tail',
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  try {
    const metadata = parseSessionMetadata(log.metadata, dir);
    const lastSeq = log.lastSeq;
    const keyframeSeq = lastKeyframe(log, dir);
    const state = new ReplayState(metadata);
    const c = log.cursor(keyframeSeq);
    if (!c.next() || c.type !== RECORD_TYPES.KEYFRAME) {
      throw new ReplayError('NO_KEYFRAME', `${dir}: record ${keyframeSeq} is not a keyframe`);
    }
    state.restore(decodeKeyframe(c.payload).state, keyframeSeq);
    while (c.next()) state.apply(c.seq, c.type, c.payload);
    return { metadata, state, lastSeq, endUs: log.lastTsUs ?? metadata.startUs };
  } finally {
    log.close();
  }
}

/** Seq of the log's last keyframe, scanning back from the end in windows that grow fourfold. */
function lastKeyframe(log: LogReader, dir: string): number {
  let to = log.lastSeq;
  let window = FIRST_WINDOW;
  while (to >= 1) {
    const from = Math.max(1, to - window + 1);
    let found = 0;
    const c = log.cursor(from);
    while (c.next() && c.seq <= to) if (c.type === RECORD_TYPES.KEYFRAME) found = c.seq;
    if (found > 0) return found;
    to = from - 1;
    window *= 4;
  }
  throw new ReplayError('NO_KEYFRAME', `${dir}: the session has no keyframe`);
}
