import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { blockTableBytes, encodeBlockTable } from './block-table.ts';
import { crc32c } from './crc32c.ts';
import { fsyncDir, writeFully } from './file-io.ts';
import { compressedPathOf, TEMP_SUFFIX } from './segment-files.ts';
import type { SparseIndex } from './sparse-index.ts';

/**
 * A block holds the records from one index entry up to the first entry at least this far on: each block
 * decompresses on its own, so a seek decompresses one (~1 ms), and 256 KiB is where brotli 5 stops gaining
 * much (bench/README.md, "Recorded bytes per command": 273 B/command in 256 KiB blocks).
 */
export const BLOCK_TARGET_BYTES = 256 * 1024;
/** brotli quality: 5 compresses a session to 45% at ~0.3% of a core at the default rate (bench/RESULTS.md). */
export const BROTLI_QUALITY = 5;

const brotliCompress = promisify(zlib.brotliCompress);
const openAsync = promisify(fs.open);
const readAsync = promisify(fs.read);
const fsyncAsync = promisify(fs.fsync);
const closeAsync = promisify(fs.close);

/** What compressing a segment did. */
export interface CompressedSegment {
  /** the `.twlogz` written */
  readonly path: string;
  /** size of the `.twlog` */
  readonly rawBytes: number;
  /** size of the `.twlogz` */
  readonly storedBytes: number;
  readonly blocks: number;
}

/**
 * The raw offsets where blocks start: the first index entry (the first record), then the first entry at
 * least `BLOCK_TARGET_BYTES` after the current block's start.
 */
export function blockStarts(index: SparseIndex): number[] {
  const starts: number[] = [];
  for (let e = 0; e < index.count; e++) {
    const at = index.offset[e] as number;
    const last = starts.at(-1);
    if (last === undefined || at - last >= BLOCK_TARGET_BYTES) starts.push(at);
  }
  return starts;
}

/**
 * Compresses the sealed segment `path` (a `.twlog` of `rawBytes` bytes whose records `index` indexes) into
 * `<first seq>.twlogz` (replay/README.md, "Compressed segments"): the header as is, the records in brotli
 * blocks cut at index entries, the block table. Off the event loop: reads, brotli and writes run in the
 * thread pool, one block at a time. Written to `.tmp`, fsynced, renamed, the directory fsynced, and only then
 * is the `.twlog` deleted (and the directory fsynced again): a crash leaves the `.twlog` whole, or both whole
 * (the `.twlog` is read, the `.twlogz` is a leftover), or the `.twlogz` alone. `sync` false (the writer's
 * fsync policy `none`) skips the fsyncs: a process crash still leaves a whole file, a power loss may not.
 */
export async function compressSegment(
  dir: string,
  path: string,
  index: SparseIndex,
  rawBytes: number,
  sync: boolean,
): Promise<CompressedSegment> {
  const starts = blockStarts(index);
  const headerBytes = starts[0];
  if (headerBytes === undefined) throw new Error(`bug: ${path} holds no record to compress`);
  const target = compressedPathOf(path);
  const tmp = `${target}${TEMP_SUFFIX}`;
  const src = await openAsync(path, 'r');
  let out: number | undefined;
  try {
    out = await openAsync(tmp, 'w');
    const header = await readExactly(src, 0, headerBytes, path);
    await writeFully(out, header, 0, header.length, 0);
    const k = starts.length;
    const table = {
      rawBytes,
      count: k,
      rawOffset: Float64Array.from(starts),
      storedOffset: new Float64Array(k),
      storedLength: new Float64Array(k),
      crc: new Uint32Array(k),
      tableOffset: 0,
    };
    let storedAt = headerBytes;
    for (let i = 0; i < k; i++) {
      const from = starts[i] as number;
      const raw = await readExactly(src, from, (starts[i + 1] ?? rawBytes) - from, path);
      const packed = await brotliCompress(raw, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      await writeFully(out, packed, 0, packed.length, storedAt);
      table.storedOffset[i] = storedAt;
      table.storedLength[i] = packed.length;
      table.crc[i] = crc32c(packed);
      storedAt += packed.length;
    }
    table.tableOffset = storedAt;
    const encoded = encodeBlockTable(table);
    await writeFully(out, encoded, 0, encoded.length, storedAt);
    if (sync) await fsyncAsync(out);
    await closeAsync(out);
    out = undefined;
    await fs.promises.rename(tmp, target);
    if (sync) await fsyncDir(dir);
    await fs.promises.rm(path);
    if (sync) await fsyncDir(dir);
    return { path: target, rawBytes, storedBytes: storedAt + blockTableBytes(k), blocks: k };
  } catch (err) {
    if (out !== undefined) await closeAsync(out).catch(() => {});
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw err;
  } finally {
    await closeAsync(src);
  }
}

async function readExactly(fd: number, position: number, length: number, path: string): Promise<Uint8Array> {
  const b = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readAsync(fd, b, done, length - done, position + done);
    if (bytesRead === 0)
      throw new Error(`${path} ends at byte ${position + done}, before ${position + length}`);
    done += bytesRead;
  }
  return b;
}
