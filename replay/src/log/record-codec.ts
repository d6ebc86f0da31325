import { crc32c } from './crc32c.ts';

/**
 * Record framing, little-endian (replay/README.md, "Record"):
 *
 * | offset | size | field                                                            |
 * | -----: | ---: | ---------------------------------------------------------------- |
 * |      0 |    4 | u32 payloadLength                                                |
 * |      4 |    4 | u32 CRC32C of bytes 8 … 25 + payloadLength (everything after it) |
 * |      8 |    8 | u64 seq                                                          |
 * |     16 |    8 | u64 tsUs                                                         |
 * |     24 |    1 | u8 type                                                          |
 * |     25 |    n | payload                                                          |
 */
export const RECORD_HEADER_BYTES = 25;

/** The largest payload a record may carry (64 MiB); a longer length field is corruption or a torn write. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Where the CRC-covered bytes of a record start. */
const CRC_FROM = 8;
const TWO_32 = 0x1_0000_0000;
/** u64 values above 2^53 - 1 are refused: seqs and microsecond times fit in a double exactly below it. */
const MAX_HIGH_WORD = 0x1f_ffff;

/** Outcome of `checkRecord` (numbers, so the hot loop allocates nothing). */
export const RecordCheck = {
  OK: 0,
  /** fewer than 25 bytes left before `end` */
  SHORT_HEADER: 1,
  /** payloadLength above `MAX_PAYLOAD_BYTES` */
  BAD_LENGTH: 2,
  /** the payload runs past `end` */
  SHORT_PAYLOAD: 3,
  /** the CRC32C does not match */
  BAD_CRC: 4,
  /** CRC-valid, but seq or tsUs above 2^53 - 1 (never written by `LogWriter`) */
  BAD_NUMBER: 5,
} as const;

/** A `RecordCheck` value. */
export type RecordCheckResult = (typeof RecordCheck)[keyof typeof RecordCheck];

/** Writes a little-endian u32. */
export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

/** Writes a safe non-negative integer as a little-endian u64. */
export function writeU64(b: Uint8Array, at: number, v: number): void {
  const lo = v >>> 0;
  writeU32(b, at, lo);
  writeU32(b, at + 4, (v - lo) / TWO_32);
}

/** Reads a little-endian u32. */
export function readU32(b: Uint8Array, at: number): number {
  return (
    ((b[at] as number) |
      ((b[at + 1] as number) << 8) |
      ((b[at + 2] as number) << 16) |
      ((b[at + 3] as number) << 24)) >>>
    0
  );
}

/** Reads a little-endian u64 as a number; -1 when it is above 2^53 - 1. */
export function readU64(b: Uint8Array, at: number): number {
  const hi = readU32(b, at + 4);
  return hi > MAX_HIGH_WORD ? -1 : hi * TWO_32 + readU32(b, at);
}

/** Bytes a record with this payload length takes. */
export function recordBytes(payloadLength: number): number {
  return RECORD_HEADER_BYTES + payloadLength;
}

/**
 * Encodes one record into `target` at `at` (which must have room for `recordBytes(payload.length)`) and
 * returns the offset after it. The caller has checked the arguments.
 */
export function encodeRecord(
  target: Uint8Array,
  at: number,
  seq: number,
  tsUs: number,
  type: number,
  payload: Uint8Array,
): number {
  const n = payload.length;
  writeU32(target, at, n);
  writeU64(target, at + 8, seq);
  writeU64(target, at + 16, tsUs);
  target[at + 24] = type;
  target.set(payload, at + RECORD_HEADER_BYTES);
  const end = at + RECORD_HEADER_BYTES + n;
  writeU32(target, at + 4, crc32c(target, at + CRC_FROM, end));
  return end;
}

/**
 * Checks the record framed at `b[at]`, with `end` the end of the valid bytes: the length, that it fits, its
 * CRC32C, and that seq and tsUs are safe integers. Sequence and time order are the caller's to check.
 */
export function checkRecord(b: Uint8Array, at: number, end: number): RecordCheckResult {
  if (end - at < RECORD_HEADER_BYTES) return RecordCheck.SHORT_HEADER;
  const n = readU32(b, at);
  if (n > MAX_PAYLOAD_BYTES) return RecordCheck.BAD_LENGTH;
  const recordEnd = at + RECORD_HEADER_BYTES + n;
  if (recordEnd > end) return RecordCheck.SHORT_PAYLOAD;
  if (crc32c(b, at + CRC_FROM, recordEnd) !== readU32(b, at + 4)) return RecordCheck.BAD_CRC;
  if (readU64(b, at + 8) < 0 || readU64(b, at + 16) < 0) return RecordCheck.BAD_NUMBER;
  return RecordCheck.OK;
}

/** Why a record failed `checkRecord`, in words. */
export function describeCheck(result: RecordCheckResult): string {
  switch (result) {
    case RecordCheck.OK:
      return 'valid';
    case RecordCheck.SHORT_HEADER:
      return 'record header cut short';
    case RecordCheck.BAD_LENGTH:
      return `payload length above ${MAX_PAYLOAD_BYTES}`;
    case RecordCheck.SHORT_PAYLOAD:
      return 'record cut short';
    case RecordCheck.BAD_CRC:
      return 'CRC32C mismatch';
    case RecordCheck.BAD_NUMBER:
      return 'seq or tsUs above 2^53 - 1';
  }
}

/** The payload length of the record at `at` (read without checking). */
export function payloadLengthAt(b: Uint8Array, at: number): number {
  return readU32(b, at);
}

/** The seq of the record at `at` (-1 if above 2^53 - 1). */
export function seqAt(b: Uint8Array, at: number): number {
  return readU64(b, at + 8);
}

/** The tsUs of the record at `at` (-1 if above 2^53 - 1). */
export function tsUsAt(b: Uint8Array, at: number): number {
  return readU64(b, at + 16);
}

/** The type of the record at `at`. */
export function typeAt(b: Uint8Array, at: number): number {
  return b[at + 24] as number;
}
