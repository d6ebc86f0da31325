/**
 * Stable codes of the warnings the log reports while it recovers (replay/README.md lists them). A warning is
 * something the log fixed or worked around and kept a trace of; nothing is skipped silently.
 */
export const LOG_WARNING_CODES = {
  TORN_TAIL: 'a torn last record was cut off the last segment; its bytes are kept in a .broken file',
  TORN_TAIL_KEPT: 'a torn tail was found but left in place (read-only open, or a live writer owns the log)',
  INDEX_REBUILT: "a sealed segment's index sidecar was missing, stale or invalid and was rebuilt by a scan",
  STALE_LOCK: 'the lock of a writer that is no longer running was taken over',
  TEMP_FILE_REMOVED: 'an unfinished segment or index file left by a crash was deleted',
  COMPRESSED_LEFTOVER_REMOVED:
    'a sealed segment was there both whole (.twlog) and compressed (.twlogz, a crash before the .twlog was deleted); the .twlogz was deleted',
  COMPRESSION_FAILED:
    'compressing a sealed segment failed; it stays uncompressed (.twlog), whole and readable',
} as const;

/** A stable code of `LogWarning`. */
export type LogWarningCode = keyof typeof LOG_WARNING_CODES;

/** Something recovery did or found; `message` is one line naming the file and, where known, the byte offset. */
export interface LogWarning {
  readonly code: LogWarningCode;
  readonly message: string;
  readonly file: string;
  /** byte offset in `file`, or null */
  readonly offset: number | null;
}

/** Receives recovery warnings (the `onWarning` option). */
export type LogWarningHandler = (warning: LogWarning) => void;

/** The default `onWarning`: one line on stderr. */
export function warnToStderr(warning: LogWarning): void {
  process.stderr.write(`tickwire log: warning: ${warning.message}\n`);
}
