import { LogError } from './log-error.ts';
import type { LogWarningHandler } from './log-warning.ts';
import type { LogMetadata } from './segment-header.ts';

/**
 * When appended records reach the disk (replay/README.md, "Durability"):
 * - `always`: `append` writes the record and fdatasyncs before it returns; it is durable when `append` returns.
 * - `batch`: group commit: records are buffered and written (one writev) + fdatasynced together, off the event
 *   loop, `batchMs` after the first waiting record or once 1 MiB is buffered; records appended during a flush go
 *   in the next one; `durableSeq` says how far that got.
 * - `none`: written on the same timer/size but never fsynced (only `close` syncs); `durableSeq` means "handed
 *   to the operating system": safe from a process crash, not from a power loss.
 */
export type FsyncPolicy = 'always' | 'batch' | 'none';

/**
 * How sealed segments are stored (replay/README.md, "Compressed segments"): `brotli` compresses each one in
 * the background once it is sealed (full, or the last one at `close`) into a `.twlogz`; `none` keeps `.twlog`.
 */
export type SegmentCompression = 'brotli' | 'none';

/** Options of `LogWriter.open`. */
export interface LogWriterOptions {
  /** durability policy (default 'batch') */
  readonly fsync?: FsyncPolicy;
  /** group-commit interval of 'batch' and write interval of 'none', in ms (default 2) */
  readonly batchMs?: number;
  /** a new segment is started before a record would take the current one past this size (default 64 MiB) */
  readonly segmentBytes?: number;
  /**
   * session metadata, stored in every segment header. Required to create a log; when opening an existing one
   * it may be left out, and if given must equal the stored metadata (else `METADATA_MISMATCH`).
   */
  readonly metadata?: LogMetadata;
  /**
   * 'brotli' (default): each sealed segment is compressed in the background into a `.twlogz` (one at a time,
   * never in the way of `append`), and `close` seals and compresses the last one too; a log reopened after
   * that goes on in a new segment. 'none': segments stay `.twlog`, and the last one grows again on reopen.
   */
  readonly compression?: SegmentCompression;
  /** recovery warnings; default a line on stderr */
  readonly onWarning?: LogWarningHandler;
}

/** Default segment size: 64 MiB. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Default group-commit interval. */
export const DEFAULT_BATCH_MS = 2;
/** Buffered bytes that start a write without waiting for the timer (also the size of a write buffer). */
export const FLUSH_BYTES = 1024 * 1024;
/** Smallest `segmentBytes` accepted. */
export const MIN_SEGMENT_BYTES = 1024;

/** `LogWriterOptions` checked, with their defaults. */
export interface WriterSettings {
  readonly fsync: FsyncPolicy;
  readonly batchMs: number;
  readonly segmentBytes: number;
  readonly compression: SegmentCompression;
}

/** Checks the options of `LogWriter.open` and fills in the defaults; throws `LogError` `BAD_OPTION`. */
export function checkWriterOptions(options: LogWriterOptions): WriterSettings {
  const fsyncPolicy = options.fsync ?? 'batch';
  if (fsyncPolicy !== 'always' && fsyncPolicy !== 'batch' && fsyncPolicy !== 'none') {
    throw new LogError('BAD_OPTION', `fsync must be always, batch or none, got ${String(fsyncPolicy)}`);
  }
  const batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
  if (!(Number.isFinite(batchMs) && batchMs >= 0 && batchMs <= 60_000)) {
    throw new LogError('BAD_OPTION', `batchMs must be from 0 to 60000, got ${batchMs}`);
  }
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!(Number.isSafeInteger(segmentBytes) && segmentBytes >= MIN_SEGMENT_BYTES)) {
    throw new LogError(
      'BAD_OPTION',
      `segmentBytes must be an integer ≥ ${MIN_SEGMENT_BYTES}, got ${segmentBytes}`,
    );
  }
  const compression = options.compression ?? 'brotli';
  if (compression !== 'brotli' && compression !== 'none') {
    throw new LogError('BAD_OPTION', `compression must be brotli or none, got ${String(compression)}`);
  }
  return { fsync: fsyncPolicy, batchMs, segmentBytes, compression };
}
