import { crc32c } from './crc32c.ts';
import { readU32, readU64, writeU32, writeU64 } from './record-codec.ts';

/**
 * The block table at the end of a compressed segment `<first seq>.twlogz` (replay/README.md, "Compressed
 * segment"), little-endian, at byte T:
 *
 * | offset | size | field                                                                              |
 * | -----: | ---: | ---------------------------------------------------------------------------------- |
 * |      0 |    8 | magic `89 54 57 42 4c 4b 0d 0a` (`\x89TWBLK\r\n`)                                  |
 * |      8 |    2 | u16 version, 1                                                                     |
 * |     10 |    1 | u8 codec, 1 = brotli                                                               |
 * |     11 |    1 | u8 reserved, 0                                                                     |
 * |     12 |    4 | u32 block count k (≥ 1)                                                            |
 * |     16 |    8 | u64 `rawBytes`: size of the segment uncompressed (header and records, as `.twlog`) |
 * |     24 | 24 k | k × (u64 raw offset, u64 stored offset, u32 stored length, u32 CRC32C of the stored bytes) |
 * | 24+24k |    8 | u64 T: where this table starts                                                     |
 * | 32+24k |    4 | u32 CRC32C of bytes T … T + 32 + 24k                                               |
 *
 * The file ends with the table, so a reader finds it from the last 12 bytes. Offsets are in the file
 * (stored) and in the segment as written (raw); block i holds the raw bytes [raw offset i, raw offset i + 1)
 * (the last one up to `rawBytes`).
 */
export const BLOCK_TABLE_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x54, 0x57, 0x42, 0x4c, 0x4b, 0x0d, 0x0a);
/** Codec byte of brotli (node:zlib). */
export const BROTLI_CODEC = 1;
const FIXED_BYTES = 24;
const ENTRY_BYTES = 24;
/** The table's last 12 bytes: its start and its CRC32C. */
export const BLOCK_TABLE_FOOTER_BYTES = 12;

/** A decoded block table: one entry per block, in raw (and stored) order. */
export interface BlockTable {
  /** size of the segment uncompressed: header and records */
  readonly rawBytes: number;
  readonly count: number;
  readonly rawOffset: Float64Array;
  readonly storedOffset: Float64Array;
  readonly storedLength: Float64Array;
  /** CRC32C of each block's stored (compressed) bytes */
  readonly crc: Uint32Array;
  /** where the table starts in the file: the end of the last block */
  readonly tableOffset: number;
}

/** Bytes of a table of `count` blocks. */
export function blockTableBytes(count: number): number {
  return FIXED_BYTES + ENTRY_BYTES * count + BLOCK_TABLE_FOOTER_BYTES;
}

/** The bytes of `table`. */
export function encodeBlockTable(table: BlockTable): Uint8Array {
  const k = table.count;
  const b = new Uint8Array(blockTableBytes(k));
  b.set(BLOCK_TABLE_MAGIC, 0);
  b[8] = 1;
  b[10] = BROTLI_CODEC;
  writeU32(b, 12, k);
  writeU64(b, 16, table.rawBytes);
  for (let i = 0; i < k; i++) {
    const at = FIXED_BYTES + ENTRY_BYTES * i;
    writeU64(b, at, table.rawOffset[i] as number);
    writeU64(b, at + 8, table.storedOffset[i] as number);
    writeU32(b, at + 16, table.storedLength[i] as number);
    writeU32(b, at + 20, table.crc[i] as number);
  }
  const end = b.length - BLOCK_TABLE_FOOTER_BYTES;
  writeU64(b, end, table.tableOffset);
  writeU32(b, end + 8, crc32c(b, 0, end + 8));
  return b;
}

/** Where the table of a file of `fileBytes` starts, from its last 12 bytes; a reason string when impossible. */
export function blockTableOffset(footer: Uint8Array, fileBytes: number): number | string {
  const t = readU64(footer, 0);
  const span = fileBytes - t - FIXED_BYTES - BLOCK_TABLE_FOOTER_BYTES;
  if (t < 0 || span < ENTRY_BYTES || span % ENTRY_BYTES !== 0) return 'block table offset out of range';
  return t;
}

/**
 * Decodes the table `b` (from its start to the end of the file) of a compressed segment whose records start
 * at `headerBytes` and checks it on its own: magic, version, codec, CRC32C, blocks contiguous from the header
 * to the table in both the raw and the stored bytes. Returns a reason string when it is not usable.
 */
export function decodeBlockTable(
  b: Uint8Array,
  tableOffset: number,
  headerBytes: number,
): BlockTable | string {
  if (b.length < blockTableBytes(1)) return 'block table shorter than one entry';
  const end = b.length - BLOCK_TABLE_FOOTER_BYTES;
  if (crc32c(b, 0, end + 8) !== readU32(b, end + 8)) return 'block table fails its CRC32C';
  for (let i = 0; i < BLOCK_TABLE_MAGIC.length; i++) {
    if (b[i] !== BLOCK_TABLE_MAGIC[i]) return 'block table has the wrong magic';
  }
  if (b[8] !== 1 || b[9] !== 0) return 'unknown block table version';
  if (b[10] !== BROTLI_CODEC) return `unknown codec ${b[10]}`;
  const count = readU32(b, 12);
  if (b.length !== blockTableBytes(count)) return 'block table length does not match its block count';
  if (readU64(b, end) !== tableOffset) return 'block table states another offset';
  const rawBytes = readU64(b, 16);
  const rawOffset = new Float64Array(count);
  const storedOffset = new Float64Array(count);
  const storedLength = new Float64Array(count);
  const crc = new Uint32Array(count);
  let rawAt = headerBytes;
  let storedAt = headerBytes;
  for (let i = 0; i < count; i++) {
    const at = FIXED_BYTES + ENTRY_BYTES * i;
    const raw = readU64(b, at);
    const stored = readU64(b, at + 8);
    if (i === 0 ? raw !== rawAt : raw <= rawAt) return `block ${i}: raw offset ${raw} out of order`;
    if (stored !== storedAt) return `block ${i}: stored offset ${stored}, expected ${storedAt}`;
    rawOffset[i] = raw;
    storedOffset[i] = stored;
    storedLength[i] = readU32(b, at + 16);
    crc[i] = readU32(b, at + 20);
    rawAt = raw;
    storedAt = stored + (storedLength[i] as number);
  }
  if (storedAt !== tableOffset)
    return `the blocks end at byte ${storedAt}, the table starts at ${tableOffset}`;
  if (!(rawBytes > rawAt)) return `raw size ${rawBytes} does not pass the last block's offset ${rawAt}`;
  return { rawBytes, count, rawOffset, storedOffset, storedLength, crc, tableOffset };
}
