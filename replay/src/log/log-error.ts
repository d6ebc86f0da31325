/**
 * Stable codes of the errors `replay/src/log/` throws (replay/README.md lists them; a test keeps the two in
 * step). Data errors name the file and the byte offset where the log stops being trustworthy.
 */
export const LOG_ERROR_CODES = {
  NOT_A_LOG: 'the directory does not exist or holds no segment files',
  BAD_SEGMENT_HEADER: 'a segment header is short, has the wrong magic or fails its CRC32C',
  UNSUPPORTED_VERSION: 'a segment was written in a format version this code does not read',
  METADATA_MISMATCH: 'segments of one log carry different metadata, or the writer was given other metadata',
  CORRUPT_RECORD:
    'a record is cut short, has an impossible length or fails its CRC32C, and is not a torn tail',
  CORRUPT_BLOCK:
    'a compressed segment (.twlogz) has a bad block table, or a block that fails its CRC32C or does not decompress to its size',
  SEQ_GAP: 'a record or segment does not carry the next sequence number',
  TS_DECREASING: 'a record has a lower timestamp than the one before it',
  LOCKED: 'another live process is writing to the log',
  IO_FAILED: 'reading or writing a file failed; after a failed write or sync the writer is closed',
  BAD_OPTION: 'an option of the writer or reader is out of range',
  BAD_APPEND: 'append was given a bad type, timestamp or payload',
  CLOSED: 'the writer or reader was used after close, or after a write failure',
} as const;

/** A stable code of `LogError`. */
export type LogErrorCode = keyof typeof LOG_ERROR_CODES;

/** Where a `LogError` happened, and what caused it. */
export interface LogErrorContext {
  /** the file concerned (a segment, an index, the lock), absent when none */
  readonly file?: string;
  /** byte offset in `file` where the problem starts */
  readonly offset?: number;
  readonly cause?: unknown;
}

/**
 * The one error class of `replay/src/log/`. `code` is stable; `file` and `offset` say where, and the message
 * starts with them: `"<file> at byte <offset>: <what>"`.
 */
export class LogError extends Error {
  override readonly name = 'LogError';
  readonly code: LogErrorCode;
  /** the file concerned, or null */
  readonly file: string | null;
  /** byte offset in `file`, or null */
  readonly offset: number | null;

  constructor(code: LogErrorCode, message: string, context: LogErrorContext = {}) {
    const where =
      context.file === undefined
        ? ''
        : context.offset === undefined
          ? `${context.file}: `
          : `${context.file} at byte ${context.offset}: `;
    super(`${where}${message}`, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file ?? null;
    this.offset = context.offset ?? null;
  }
}
