import { LogReader } from './log-reader.ts';
import type { LogWarningHandler } from './log-warning.ts';
import { LogWriter } from './log-writer.ts';

/** Sizes of a log's segments: as written, and on disk. */
export interface LogStorage {
  readonly segments: number;
  readonly compressedSegments: number;
  /** header and record bytes, as written */
  readonly bytes: number;
  /** bytes of the segment files on disk */
  readonly storedBytes: number;
}

/** The sizes of an open log's segments. */
export function logStorage(reader: LogReader): LogStorage {
  const segs = reader.segments;
  return {
    segments: segs.length,
    compressedSegments: segs.filter((s) => s.compressed).length,
    bytes: segs.reduce((n, s) => n + s.bytes, 0),
    storedBytes: segs.reduce((n, s) => n + s.storedBytes, 0),
  };
}

/**
 * Compresses every segment of the finished log `dir` that is not compressed yet, the last one included
 * (`tickwire log compress`): what a writer with compression does as it seals segments and at `close`, done
 * to a log written without it (or left so by a crash). It opens the log as a writer does — takes its LOCK
 * (`LogError` `LOCKED` while another process writes it) and cuts a torn tail off into a `.broken` file —
 * then closes it. Returns the sizes before and after.
 */
export async function compressLog(
  dir: string,
  onWarning?: LogWarningHandler,
): Promise<{ readonly before: LogStorage; readonly after: LogStorage }> {
  const sizes = (): LogStorage => {
    const r = LogReader.open(dir, { repair: false, ...(onWarning === undefined ? {} : { onWarning }) });
    try {
      return logStorage(r);
    } finally {
      r.close();
    }
  };
  const before = sizes();
  const w = await LogWriter.open(dir, {
    compression: 'brotli',
    fsync: 'batch',
    ...(onWarning === undefined ? {} : { onWarning }),
  });
  await w.close();
  return { before, after: sizes() };
}
