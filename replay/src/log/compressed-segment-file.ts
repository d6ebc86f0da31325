import fs from 'node:fs';
import zlib from 'node:zlib';
import {
  BLOCK_TABLE_FOOTER_BYTES,
  type BlockTable,
  blockTableOffset,
  decodeBlockTable,
} from './block-table.ts';
import { crc32c } from './crc32c.ts';
import { readFully } from './file-io.ts';
import { LogError } from './log-error.ts';

/**
 * A compressed segment `<first seq>.twlogz` read as the segment it was: `read` takes raw offsets (those of the
 * `.twlog`, which the index sidecar stores) and decompresses the block that holds them. The header is stored
 * as is in front of the blocks; every block starts at a record (an index entry), so a record never spans two
 * blocks and `block(i)` holds whole records. The last block decompressed is kept: a cursor reading on, or a
 * record read twice, decompresses it once. Each block's CRC32C is checked before it is decompressed, and its
 * size after; a failure is `LogError` `CORRUPT_BLOCK` naming the file, the block and its stored offset.
 */
export class CompressedSegmentFile {
  readonly compressed = true;
  readonly path: string;
  readonly fd: number;
  /** size of the segment uncompressed: header and records */
  readonly size: number;
  /** bytes on disk */
  readonly storedBytes: number;
  private readonly table: BlockTable;
  private cachedBlock = -1;
  private cachedBytes: Uint8Array = new Uint8Array(0);

  private constructor(path: string, fd: number, storedBytes: number, table: BlockTable) {
    this.path = path;
    this.fd = fd;
    this.storedBytes = storedBytes;
    this.table = table;
    this.size = table.rawBytes;
  }

  /**
   * Reads the block table of the open file `fd`, whose records start at `headerBytes` (its segment header
   * is read first, as for any segment). Throws `LogError` `CORRUPT_BLOCK` when the table is not usable.
   */
  static open(path: string, fd: number, headerBytes: number): CompressedSegmentFile {
    let storedBytes: number;
    try {
      storedBytes = fs.fstatSync(fd).size;
    } catch (err) {
      throw new LogError('IO_FAILED', `cannot stat: ${(err as Error).message}`, { file: path, cause: err });
    }
    const footer = new Uint8Array(BLOCK_TABLE_FOOTER_BYTES);
    const footerAt = storedBytes - BLOCK_TABLE_FOOTER_BYTES;
    let table: BlockTable | string = 'shorter than a block table';
    if (footerAt >= headerBytes) {
      readFully(fd, footer, 0, footer.length, footerAt, path);
      const at = blockTableOffset(footer, storedBytes);
      if (typeof at === 'string' || at < headerBytes)
        table = typeof at === 'string' ? at : 'block table offset out of range';
      else {
        const b = new Uint8Array(storedBytes - at);
        readFully(fd, b, 0, b.length, at, path);
        table = decodeBlockTable(b, at, headerBytes);
      }
    }
    if (typeof table === 'string') {
      throw new LogError('CORRUPT_BLOCK', `${table}: the compressed segment cannot be read`, {
        file: path,
        offset: Math.max(0, footerAt),
      });
    }
    return new CompressedSegmentFile(path, fd, storedBytes, table);
  }

  /** Where the records start (the end of the stored header). */
  get headerBytes(): number {
    return this.table.rawOffset[0] as number;
  }

  /** Number of blocks. */
  get blockCount(): number {
    return this.table.count;
  }

  /** Index of the block holding raw offset `position` (≥ the header's end). */
  blockAt(position: number): number {
    const raw = this.table.rawOffset;
    let lo = 0;
    let hi = this.table.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((raw[mid] as number) <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Raw offset where block `i` starts. */
  blockStart(i: number): number {
    return this.table.rawOffset[i] as number;
  }

  /**
   * Block `i` decompressed: a buffer that is never reused (views into it stay valid). Throws `LogError`
   * `CORRUPT_BLOCK` when its stored bytes fail their CRC32C or do not decompress to its size.
   */
  block(i: number): Uint8Array {
    if (i === this.cachedBlock) return this.cachedBytes;
    const t = this.table;
    const storedAt = t.storedOffset[i] as number;
    const stored = new Uint8Array(t.storedLength[i] as number);
    const n = readFully(this.fd, stored, 0, stored.length, storedAt, this.path);
    const rawLength =
      (i + 1 < t.count ? (t.rawOffset[i + 1] as number) : t.rawBytes) - (t.rawOffset[i] as number);
    const where = `block ${i} of ${t.count} (records from raw byte ${t.rawOffset[i]})`;
    if (n < stored.length || crc32c(stored) !== t.crc[i]) {
      throw new LogError('CORRUPT_BLOCK', `${where} fails its CRC32C`, { file: this.path, offset: storedAt });
    }
    let raw: Buffer;
    try {
      // One output chunk the size of the block: no growing and concatenating of 16 KiB chunks (~1.5× faster).
      // (node:zlib's smallest chunk is 64 bytes: a block of one small record is smaller.)
      raw = zlib.brotliDecompressSync(stored, {
        chunkSize: Math.max(64, rawLength + 1),
        maxOutputLength: rawLength + 1,
      });
    } catch (err) {
      throw new LogError('CORRUPT_BLOCK', `${where} does not decompress: ${(err as Error).message}`, {
        file: this.path,
        offset: storedAt,
        cause: err,
      });
    }
    if (raw.length !== rawLength) {
      throw new LogError('CORRUPT_BLOCK', `${where} decompresses to ${raw.length} bytes, not ${rawLength}`, {
        file: this.path,
        offset: storedAt,
      });
    }
    // A plain Uint8Array view: its subarray() is cheaper than Buffer's.
    this.cachedBytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    this.cachedBlock = i;
    return this.cachedBytes;
  }

  /**
   * Reads up to `length` bytes at raw offset `position` into `buffer[offset…]` (the header stored as is, the
   * rest from the blocks); returns the bytes read (fewer only at the end of the segment).
   */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    let done = 0;
    const header = this.headerBytes;
    if (position < header) {
      done = readFully(this.fd, buffer, offset, Math.min(length, header - position), position, this.path);
      if (done < Math.min(length, header - position)) return done;
    }
    while (done < length && position + done < this.size) {
      const at = position + done;
      const i = this.blockAt(at);
      const b = this.block(i);
      const from = at - this.blockStart(i);
      const n = Math.min(length - done, b.length - from);
      buffer.set(b.subarray(from, from + n), offset + done);
      done += n;
    }
    return done;
  }

  close(): void {
    fs.closeSync(this.fd);
    this.cachedBytes = new Uint8Array(0);
    this.cachedBlock = -1;
  }
}
