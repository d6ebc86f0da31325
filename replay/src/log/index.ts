/** The public surface of replay/src/log/: the append-only, segmented, checksummed record log. */
export { compressLog, type LogStorage, logStorage } from './compress-log.ts';
export { crc32c } from './crc32c.ts';
export { LogCursor, READ_CHUNK_BYTES } from './log-cursor.ts';
export { LOG_ERROR_CODES, LogError, type LogErrorCode, type LogErrorContext } from './log-error.ts';
export {
  type LogPosition,
  LogReader,
  type LogReaderOptions,
  type LogRecord,
  type LogSegmentInfo,
} from './log-reader.ts';
export { type LogSummary, type RecordObserver, summarizeLog } from './log-summary.ts';
export {
  LOG_WARNING_CODES,
  type LogWarning,
  type LogWarningCode,
  type LogWarningHandler,
  warnToStderr,
} from './log-warning.ts';
export { LogWriter } from './log-writer.ts';
export {
  DEFAULT_BATCH_MS,
  DEFAULT_SEGMENT_BYTES,
  FLUSH_BYTES,
  type FsyncPolicy,
  type LogWriterOptions,
  MIN_SEGMENT_BYTES,
  type SegmentCompression,
} from './log-writer-options.ts';
export { encodeRecord, MAX_PAYLOAD_BYTES, RECORD_HEADER_BYTES } from './record-codec.ts';
export {
  encodeSegmentHeader,
  LOG_FORMAT_VERSION,
  type LogMetadata,
  SEGMENT_MAGIC,
} from './segment-header.ts';
export { INDEX_EVERY_BYTES, INDEX_EVERY_RECORDS } from './sparse-index.ts';
export type { TornTail } from './torn-tail.ts';
