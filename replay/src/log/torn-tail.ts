import fs from 'node:fs';
import { fsyncDirSync, writeFullySync } from './file-io.ts';
import { LogError } from './log-error.ts';
import { type Segment, setScanned } from './log-segment.ts';
import type { LogWarningHandler } from './log-warning.ts';
import { findRecordAfter, scanSegment } from './segment-scan.ts';
import { SparseIndex } from './sparse-index.ts';

/** A torn tail found by recovery. */
export interface TornTail {
  /** the last segment's path */
  readonly file: string;
  /** where the torn bytes start: the end of the last valid record */
  readonly offset: number;
  readonly bytes: number;
  /** why the record at `offset` is not valid: cut short, CRC32C mismatch, … */
  readonly reason: string;
  /** true when every torn byte is zero (the file was extended but the data never written) */
  readonly zeroFilled: boolean;
  /** where the torn bytes were kept, or null when they were left in place */
  readonly keptIn: string | null;
}

/** The last segment: always scanned; a torn tail is cut off (or only noted) per the recovery rule. */
export function scanLast(
  dir: string,
  segment: Segment,
  prevTs: number,
  mayRepair: () => boolean,
  options: { readonly repair: boolean; readonly onWarning: LogWarningHandler },
): TornTail | null {
  const index = new SparseIndex();
  const size = segment.endOffset;
  const r = scanSegment(segment.file, segment.headerBytes, size, segment.firstSeq, prevTs, index, false);
  setScanned(segment, index, r.lastSeq, r.lastTsUs, r.lastOffset);
  segment.endOffset = r.validEnd;
  if (r.failure === null) return null;

  const tail = new Uint8Array(size - r.validEnd);
  segment.file.read(tail, 0, tail.length, r.validEnd);
  const later = findRecordAfter(tail, r.validEnd, r.lastSeq);
  if (later !== undefined) {
    throw new LogError(
      'CORRUPT_RECORD',
      `${r.failure} (expected seq ${r.lastSeq + 1}), yet a valid record (seq ${later.seq}) follows at byte ` +
        `${later.offset}: corruption, not a torn write`,
      { file: segment.path, offset: r.validEnd },
    );
  }
  const zeroFilled = tail.every((b) => b === 0);
  const keptIn = mayRepair() ? cutTail(dir, segment.path, r.validEnd, tail) : null;
  const what = `torn tail of ${tail.length} bytes at byte ${r.validEnd} (${zeroFilled ? 'zero-filled' : r.failure}, after seq ${r.lastSeq})`;
  options.onWarning(
    keptIn === null
      ? {
          code: 'TORN_TAIL_KEPT',
          message: `${segment.path}: ${what} left in place${options.repair ? ': a writer is running' : ''}`,
          file: segment.path,
          offset: r.validEnd,
        }
      : {
          code: 'TORN_TAIL',
          message: `${segment.path}: ${what} cut off and kept in ${keptIn}`,
          file: segment.path,
          offset: r.validEnd,
        },
  );
  return {
    file: segment.path,
    offset: r.validEnd,
    bytes: tail.length,
    reason: r.failure,
    zeroFilled,
    keptIn,
  };
}

/** Keeps `tail` in `<segment>.broken` (or `.broken.N`), durably, then truncates the segment at `at`. */
function cutTail(dir: string, path: string, at: number, tail: Uint8Array): string {
  try {
    let broken = `${path}.broken`;
    for (let n = 1; fs.existsSync(broken); n++) broken = `${path}.broken.${n}`;
    const bfd = fs.openSync(broken, 'wx');
    try {
      writeFullySync(bfd, tail, 0, tail.length, 0);
      fs.fsyncSync(bfd);
    } finally {
      fs.closeSync(bfd);
    }
    fsyncDirSync(dir);
    const wfd = fs.openSync(path, 'r+');
    try {
      fs.ftruncateSync(wfd, at);
      fs.fsyncSync(wfd);
    } finally {
      fs.closeSync(wfd);
    }
    return broken;
  } catch (err) {
    throw new LogError('IO_FAILED', `cannot cut off the torn tail: ${(err as Error).message}`, {
      file: path,
      offset: at,
      cause: err,
    });
  }
}
