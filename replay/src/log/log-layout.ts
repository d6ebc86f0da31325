import fs from 'node:fs';
import { CompressedSegmentFile } from './compressed-segment-file.ts';
import { liveLockHolder } from './dir-lock.ts';
import { readFully } from './file-io.ts';
import { LogError } from './log-error.ts';
import { closeSegments, recordMatches, type Segment, setScanned } from './log-segment.ts';
import type { LogWarningHandler } from './log-warning.ts';
import { RawSegmentFile } from './segment-file.ts';
import { compressedPathOf, inDir, indexPathOf, segmentNames } from './segment-files.ts';
import {
  decodeMetadata,
  decodeSegmentHeader,
  type LogMetadata,
  SEGMENT_HEADER_FIXED_BYTES,
  segmentHeaderBytes,
} from './segment-header.ts';
import { scanSegment } from './segment-scan.ts';
import { decodeIndexSidecar, SparseIndex } from './sparse-index.ts';
import { scanLast, type TornTail } from './torn-tail.ts';

/** How `openLayout` checks and recovers. */
export interface LayoutOptions {
  /** cut a torn tail off (keeping it in a .broken file); otherwise leave files untouched */
  readonly repair: boolean;
  /** the caller holds the log's lock (the writer): repair even though the lock is live */
  readonly lockOwned: boolean;
  /** 'all': scan every record of every segment; 'tail': scan the last segment, spot-check sealed ones */
  readonly verify: 'all' | 'tail';
  readonly onWarning: LogWarningHandler;
}

/** An opened log directory. */
export interface LogLayout {
  readonly dir: string;
  readonly segments: Segment[];
  readonly metadataBytes: Uint8Array;
  readonly metadata: LogMetadata;
  readonly tornTail: TornTail | null;
}

const HEADER_READ_BYTES = 64 * 1024;

/**
 * Opens a log directory: reads and checks every segment header, checks seqs and times continue from segment to
 * segment, loads (or rebuilds) sealed segments' indexes and scans the last segment, applying the torn-tail rule
 * (replay/README.md, "Recovery"). Throws `LogError` on anything else; closes what it opened when it throws.
 */
export function openLayout(dir: string, options: LayoutOptions): LogLayout {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new LogError('NOT_A_LOG', `cannot read the directory: ${(err as Error).message}`, {
      file: dir,
      cause: err,
    });
  }
  const files = segmentNames(names);
  if (files.length === 0)
    throw new LogError('NOT_A_LOG', 'no segment files (*.twlog, *.twlogz)', { file: dir });
  const mayRepair = (): boolean => options.repair && (options.lockOwned || liveLockHolder(dir) === undefined);

  const segments: Segment[] = [];
  try {
    let metadataBytes: Uint8Array | undefined;
    let tornTail: TornTail | null = null;
    for (let i = 0; i < files.length; i++) {
      const named = files[i] as (typeof files)[number];
      if (named.leftover !== undefined && mayRepair()) removeLeftover(inDir(dir, named.leftover), options);
      const { fd, path, compressed } = openSegmentFd(inDir(dir, named.name), named.compressed);
      let segment: Segment;
      try {
        segment = openSegmentHeader(fd, path, named.firstSeq, compressed, (bytes) => {
          if (metadataBytes === undefined) metadataBytes = bytes;
          else if (!equalBytes(metadataBytes, bytes)) {
            throw new LogError('METADATA_MISMATCH', 'segment metadata differs from the first segment', {
              file: path,
              offset: SEGMENT_HEADER_FIXED_BYTES,
            });
          }
        });
      } catch (err) {
        fs.closeSync(fd);
        throw err;
      }
      segments.push(segment);
      const prev = segments[i - 1];
      const expectedFirst = prev === undefined ? 1 : prev.lastSeq + 1;
      if (segment.firstSeq !== expectedFirst) {
        throw new LogError(
          'SEQ_GAP',
          prev === undefined
            ? `the log starts at seq ${segment.firstSeq}, not 1: earlier segments are missing`
            : `segment starts at seq ${segment.firstSeq} but the previous one ends at ${prev.lastSeq}`,
          { file: path, offset: 16 },
        );
      }
      const prevTs = prev === undefined || prev.lastTsUs < 0 ? 0 : prev.lastTsUs;
      // A compressed segment was sealed, even the last one (its writer closed it cleanly): it has no tail.
      if (i < files.length - 1 || segment.file.compressed) loadSealed(segment, prevTs, options);
      else tornTail = scanLast(dir, segment, prevTs, mayRepair, options);
    }
    const bytes = metadataBytes as Uint8Array;
    return { dir, segments, metadataBytes: bytes, metadata: decodeMetadata(bytes) as LogMetadata, tornTail };
  } catch (err) {
    closeSegments(segments);
    throw err;
  }
}

/**
 * Opens a segment file read-only. A `.twlog` that is gone was compressed meanwhile (its writer deletes it once
 * the `.twlogz` is whole): that one is opened instead.
 */
function openSegmentFd(path: string, compressed: boolean): { fd: number; path: string; compressed: boolean } {
  try {
    return { fd: fs.openSync(path, 'r'), path, compressed };
  } catch (err) {
    if (!compressed && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      return openSegmentFd(compressedPathOf(path), true);
    }
    throw new LogError('IO_FAILED', `cannot open: ${(err as Error).message}`, { file: path, cause: err });
  }
}

/** Deletes a `.twlogz` left beside its `.twlog` by a crash (the `.twlog` is read). */
function removeLeftover(file: string, options: LayoutOptions): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (err) {
    throw new LogError('IO_FAILED', `cannot remove a leftover: ${(err as Error).message}`, {
      file,
      cause: err,
    });
  }
  options.onWarning({
    code: 'COMPRESSED_LEFTOVER_REMOVED',
    message: `${file}: removed: the segment is also there uncompressed (a crash before compressing finished)`,
    file,
    offset: null,
  });
}

function fileSize(fd: number, path: string): number {
  try {
    return fs.fstatSync(fd).size;
  } catch (err) {
    throw new LogError('IO_FAILED', `cannot stat: ${(err as Error).message}`, { file: path, cause: err });
  }
}

function openSegmentHeader(
  fd: number,
  path: string,
  namedSeq: number,
  compressed: boolean,
  checkMetadata: (bytes: Uint8Array) => void,
): Segment {
  const size = fileSize(fd, path);
  let head = new Uint8Array(Math.min(size, HEADER_READ_BYTES));
  head = head.subarray(0, readFully(fd, head, 0, head.length, 0, path));
  if (head.length >= SEGMENT_HEADER_FIXED_BYTES) {
    const need = Math.min(segmentHeaderBytes(head, path), size);
    if (need > head.length) {
      head = new Uint8Array(need);
      head = head.subarray(0, readFully(fd, head, 0, need, 0, path));
    }
  }
  const header = decodeSegmentHeader(head, size, path);
  if (header.firstSeq !== namedSeq) {
    throw new LogError(
      'BAD_SEGMENT_HEADER',
      `header says first seq ${header.firstSeq} but the file is named for seq ${namedSeq}`,
      { file: path, offset: 16 },
    );
  }
  checkMetadata(header.metadataBytes);
  const file = compressed
    ? CompressedSegmentFile.open(path, fd, header.headerBytes)
    : new RawSegmentFile(path, fd, size);
  return {
    path,
    file,
    firstSeq: header.firstSeq,
    headerBytes: header.headerBytes,
    endOffset: file.size,
    lastSeq: header.firstSeq - 1,
    firstTsUs: -1,
    lastTsUs: -1,
    lastOffset: 0,
    index: new SparseIndex(),
  };
}

/** Fills `segment` from a full strict scan. */
function scanSealed(segment: Segment, prevTs: number): void {
  const index = new SparseIndex();
  const r = scanSegment(
    segment.file,
    segment.headerBytes,
    segment.endOffset,
    segment.firstSeq,
    prevTs,
    index,
    true,
  );
  setScanned(segment, index, r.lastSeq, r.lastTsUs, r.lastOffset);
}

/**
 * A sealed (non-last) segment: its sidecar is used when it agrees with the segment (size, first seq, and the
 * first and last records read back); otherwise the segment is scanned, which also tells a bad sidecar
 * (`INDEX_REBUILT`) from bad records (`LogError`).
 */
function loadSealed(segment: Segment, prevTs: number, options: LayoutOptions): void {
  const sidecarPath = indexPathOf(segment.path);
  let problem: string | null;
  let sidecar: ReturnType<typeof decodeIndexSidecar> | undefined;
  try {
    sidecar = decodeIndexSidecar(fs.readFileSync(sidecarPath));
    problem = typeof sidecar === 'string' ? sidecar : sidecarDisagrees(segment, sidecar, prevTs);
  } catch (err) {
    problem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message;
  }
  if (options.verify === 'all' || problem !== null || sidecar === undefined || typeof sidecar === 'string') {
    scanSealed(segment, prevTs);
    if (
      problem === null &&
      sidecar !== undefined &&
      typeof sidecar !== 'string' &&
      !sidecar.index.equals(segment.index)
    ) {
      problem = 'its entries differ from a scan';
    }
    if (problem !== null) {
      options.onWarning({
        code: 'INDEX_REBUILT',
        message: `${sidecarPath}: index sidecar ${problem}; rebuilt by scanning the segment`,
        file: sidecarPath,
        offset: null,
      });
    }
    return;
  }
  setScanned(segment, sidecar.index, sidecar.lastSeq, sidecar.lastTsUs, sidecar.lastOffset);
}

/** Null when the sidecar matches the segment on disk, else why not. */
function sidecarDisagrees(
  segment: Segment,
  s: Exclude<ReturnType<typeof decodeIndexSidecar>, string>,
  prevTs: number,
): string | null {
  if (s.segmentBytes !== segment.endOffset)
    return `says ${s.segmentBytes} bytes, the segment has ${segment.endOffset}`;
  if (s.firstSeq !== segment.firstSeq) return `is for first seq ${s.firstSeq}`;
  if (s.index.count === 0) return 'is empty';
  if (s.index.offset[0] !== segment.headerBytes) return 'does not start at the first record';
  // Read back the first and the last record: they must be valid and what the sidecar says.
  if (!recordMatches(segment, segment.headerBytes, s.firstSeq, s.index.tsUs[0] as number)) {
    return 'disagrees with the first record';
  }
  if ((s.index.tsUs[0] as number) < prevTs) return 'has a first ts below the previous segment';
  if (!recordMatches(segment, s.lastOffset, s.lastSeq, s.lastTsUs, segment.endOffset)) {
    return 'disagrees with the last record';
  }
  return null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
