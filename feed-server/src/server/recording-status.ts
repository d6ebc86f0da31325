/** What a recorder is doing, as `/metrics` and `/healthz` show it. */
export type RecordingState =
  /** every record is appended; the log keeps up */
  | 'recording'
  /**
   * the recorder fell behind past its bound and stopped appending (the log is a whole prefix of the session);
   * the feed goes on, later records are counted as dropped
   */
  | 'degraded'
  /** a write or sync failed; the log holds what was durable before it; the feed goes on */
  | 'failed'
  /** the recording was closed (the server is stopping) */
  | 'closed';

/** Every `RecordingState`, for exhaustive gauges. */
export const RECORDING_STATES: readonly RecordingState[] = ['recording', 'degraded', 'failed', 'closed'];

/**
 * A recorder's progress, read at each `/metrics` scrape and `/healthz` request (replay/README.md, "Recording
 * under load"). Seqs are the log's record numbers.
 */
export interface RecordingStatus {
  readonly state: RecordingState;
  /** the session directory */
  readonly dir: string;
  /** seq of the last record appended (handed to the log writer) */
  readonly appendedSeq: number;
  /** seq of the last record known durable (see the log's fsync policy) */
  readonly durableSeq: number;
  /** feed time of the last appended record minus that of the last durable one, seconds */
  readonly lagSeconds: number;
  /** bytes appended and not yet written: what the recorder holds in memory */
  readonly bufferedBytes: number;
  /** the bound on `bufferedBytes`: reaching it degrades the recording */
  readonly maxBufferedBytes: number;
  /** records not written because the recording was degraded or had failed */
  readonly droppedRecords: number;
  /** write or sync failures (the first one stops the recording) */
  readonly writeErrors: number;
  /**
   * sessions closed at a roll bound (`serve --roll`) so far, each continued in a new session directory (`dir` is
   * the newest); `droppedRecords` and `writeErrors` count over all of them
   */
  readonly rolls: number;
  /**
   * rolls that could not open the new session directory (0 or 1): rolling stopped there and the recording went
   * on in the session `dir`, which then grows past the roll bound
   */
  readonly rollFailures: number;
  /** why the recording is degraded or failed; null while recording */
  readonly reason: string | null;
}
