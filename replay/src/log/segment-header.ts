import { Packr, Unpackr } from 'msgpackr';
import { PLAIN_MSGPACK_OPTIONS } from '../../../feed-server/src/protocol/index.ts';
import { crc32c } from './crc32c.ts';
import { LogError } from './log-error.ts';
import { readU32, readU64, writeU32, writeU64 } from './record-codec.ts';

/**
 * Segment header, little-endian (replay/README.md, "Segment header"):
 *
 * | offset | size | field                                          |
 * | -----: | ---: | ---------------------------------------------- |
 * |      0 |    8 | magic `89 54 57 4C 4F 47 0D 0A` ("\x89TWLOG\r\n") |
 * |      8 |    2 | u16 format version (1)                         |
 * |     10 |    2 | u16 reserved, 0                                |
 * |     12 |    4 | u32 metadataLength m                           |
 * |     16 |    8 | u64 firstSeq (equal to the file name)          |
 * |     24 |    m | metadata: one MessagePack map                  |
 * | 24 + m |    4 | u32 CRC32C of bytes 0 … 24 + m                 |
 */
export const SEGMENT_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x54, 0x57, 0x4c, 0x4f, 0x47, 0x0d, 0x0a);

/** The format version this code writes and reads. */
export const LOG_FORMAT_VERSION = 1;

/** Bytes of a segment header before the metadata. */
export const SEGMENT_HEADER_FIXED_BYTES = 24;

/** Largest metadata map accepted (1 MiB): a longer length field is corruption. */
export const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * Session metadata stored in every segment header: a MessagePack map of the caller's choosing (instruments,
 * seed, engine version, start time, …). Plain values only: strings, numbers, booleans, null, arrays, maps.
 */
export type LogMetadata = Readonly<Record<string, unknown>>;

/** A decoded segment header. */
export interface SegmentHeader {
  readonly version: number;
  readonly firstSeq: number;
  /** the metadata map exactly as stored, to compare segments byte for byte */
  readonly metadataBytes: Uint8Array;
  /** bytes of the whole header: where the first record starts */
  readonly headerBytes: number;
}

// The wire's standard MessagePack, so the bytes are portable; metadata integers read back as numbers.
const packr = new Packr(PLAIN_MSGPACK_OPTIONS);
const unpackr = new Unpackr({ ...PLAIN_MSGPACK_OPTIONS, int64AsType: 'number' });

/** MessagePack bytes of a metadata map. Throws `LogError` `BAD_OPTION` when it is not a plain object. */
export function encodeMetadata(metadata: LogMetadata): Uint8Array {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new LogError('BAD_OPTION', 'metadata must be a plain object');
  }
  const bytes: Uint8Array = packr.pack(metadata);
  if (bytes.length > MAX_METADATA_BYTES) {
    throw new LogError('BAD_OPTION', `metadata is ${bytes.length} bytes, more than ${MAX_METADATA_BYTES}`);
  }
  return bytes;
}

/** Decodes stored metadata; null when the bytes are not one MessagePack map. */
export function decodeMetadata(bytes: Uint8Array): LogMetadata | null {
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogMetadata) : null;
}

/** The bytes of a segment header. */
export function encodeSegmentHeader(firstSeq: number, metadataBytes: Uint8Array): Uint8Array {
  const m = metadataBytes.length;
  const b = new Uint8Array(SEGMENT_HEADER_FIXED_BYTES + m + 4);
  b.set(SEGMENT_MAGIC, 0);
  b[8] = LOG_FORMAT_VERSION;
  writeU32(b, 12, m);
  writeU64(b, 16, firstSeq);
  b.set(metadataBytes, SEGMENT_HEADER_FIXED_BYTES);
  writeU32(b, SEGMENT_HEADER_FIXED_BYTES + m, crc32c(b, 0, SEGMENT_HEADER_FIXED_BYTES + m));
  return b;
}

/**
 * How many bytes the header starting at `bytes[0]` takes, once its first 24 bytes are known (so the caller can
 * read the rest); `bytes` must hold at least 24 bytes. Throws like `decodeSegmentHeader`.
 */
export function segmentHeaderBytes(bytes: Uint8Array, file: string): number {
  checkFixedPart(bytes, bytes.length, file);
  return SEGMENT_HEADER_FIXED_BYTES + readU32(bytes, 12) + 4;
}

/**
 * Decodes and checks the header at the start of `bytes` (`fileBytes` is the size of the whole file). Throws
 * `LogError` `BAD_SEGMENT_HEADER` (short, wrong magic, impossible length, CRC, metadata not a map) or
 * `UNSUPPORTED_VERSION`, naming `file` and the offset of the failing field.
 */
export function decodeSegmentHeader(bytes: Uint8Array, fileBytes: number, file: string): SegmentHeader {
  checkFixedPart(bytes, fileBytes, file);
  const m = readU32(bytes, 12);
  const end = SEGMENT_HEADER_FIXED_BYTES + m;
  if (bytes.length < end + 4) {
    throw new LogError(
      'BAD_SEGMENT_HEADER',
      `segment header cut short (${bytes.length} of ${end + 4} bytes)`,
      {
        file,
        offset: 0,
      },
    );
  }
  if (crc32c(bytes, 0, end) !== readU32(bytes, end)) {
    throw new LogError('BAD_SEGMENT_HEADER', `segment header (bytes 0…${end + 4}) fails its CRC32C`, {
      file,
      offset: 0,
    });
  }
  const firstSeq = readU64(bytes, 16);
  if (firstSeq < 1) {
    throw new LogError('BAD_SEGMENT_HEADER', 'segment header has first seq 0 or above 2^53 - 1', {
      file,
      offset: 16,
    });
  }
  const metadataBytes = bytes.slice(SEGMENT_HEADER_FIXED_BYTES, end);
  if (decodeMetadata(metadataBytes) === null) {
    throw new LogError('BAD_SEGMENT_HEADER', 'segment metadata is not a MessagePack map', {
      file,
      offset: SEGMENT_HEADER_FIXED_BYTES,
    });
  }
  return { version: LOG_FORMAT_VERSION, firstSeq, metadataBytes, headerBytes: end + 4 };
}

function checkFixedPart(bytes: Uint8Array, fileBytes: number, file: string): void {
  if (bytes.length < SEGMENT_HEADER_FIXED_BYTES) {
    throw new LogError(
      'BAD_SEGMENT_HEADER',
      `file of ${fileBytes} bytes is shorter than a segment header (${SEGMENT_HEADER_FIXED_BYTES + 4} bytes at least)`,
      { file, offset: 0 },
    );
  }
  for (let i = 0; i < SEGMENT_MAGIC.length; i++) {
    if (bytes[i] !== SEGMENT_MAGIC[i]) {
      throw new LogError('BAD_SEGMENT_HEADER', 'not a tickwire log segment (wrong magic)', {
        file,
        offset: 0,
      });
    }
  }
  const version = (bytes[8] as number) | ((bytes[9] as number) << 8);
  if (version !== LOG_FORMAT_VERSION) {
    throw new LogError(
      'UNSUPPORTED_VERSION',
      `segment format version ${version}; this build reads version ${LOG_FORMAT_VERSION}`,
      { file, offset: 8 },
    );
  }
  const m = readU32(bytes, 12);
  if (m > MAX_METADATA_BYTES || SEGMENT_HEADER_FIXED_BYTES + m + 4 > fileBytes) {
    throw new LogError(
      'BAD_SEGMENT_HEADER',
      `segment metadata length ${m} is impossible in a file of ${fileBytes} bytes`,
      { file, offset: 12 },
    );
  }
}
