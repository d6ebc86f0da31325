/**
 * The disk the recording takes and what retention deleted (`tickwire serve --retain`), as `/metrics` shows it.
 * Read at each scrape.
 */
export interface RecordingDiskUsage {
  /** bytes of every recorded session in the data directory, the one being written included */
  readonly dataDirBytes: number;
  /** bytes of the session being written */
  readonly sessionBytes: number;
  /** sessions in the data directory, the one being written included */
  readonly sessions: number;
  /** bytes deleted by retention since the server started */
  readonly deletedBytes: number;
  /** sessions deleted by retention since the server started */
  readonly deletedSessions: number;
  /**
   * the data directory exceeds the retention's byte bound with nothing left that may be deleted: the session
   * being written is over the bound by itself (it is never deleted while written)
   */
  readonly overBound: boolean;
}
