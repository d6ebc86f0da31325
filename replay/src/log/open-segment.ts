import fs from 'node:fs';
import { promisify } from 'node:util';
import {
  fsyncDir,
  fsyncDirSync,
  writeFileAtomic,
  writeFileAtomicSync,
  writeFully,
  writeFullySync,
} from './file-io.ts';
import type { Segment } from './log-segment.ts';
import { inDir, indexPathOf, segmentFileName, TEMP_SUFFIX } from './segment-files.ts';
import { encodeSegmentHeader } from './segment-header.ts';
import { encodeIndexSidecar, SparseIndex } from './sparse-index.ts';

const openAsync = promisify(fs.open);
const fsyncAsync = promisify(fs.fsync);

/** The segment being appended to. Its file is created by the first write that reaches it. */
export class OpenSegment {
  readonly path: string;
  readonly firstSeq: number;
  /** the header, until the file is created; null after */
  header: Uint8Array | null;
  /** -1 until the file is created */
  fd = -1;
  /** size including records appended but not yet written */
  bytes: number;
  lastSeq: number;
  lastTsUs: number;
  lastOffset: number;
  readonly index: SparseIndex;

  constructor(
    path: string,
    firstSeq: number,
    header: Uint8Array | null,
    bytes: number,
    index: SparseIndex,
    lastSeq: number,
    lastTsUs: number,
    lastOffset: number,
  ) {
    this.path = path;
    this.firstSeq = firstSeq;
    this.header = header;
    this.bytes = bytes;
    this.index = index;
    this.lastSeq = lastSeq;
    this.lastTsUs = lastTsUs;
    this.lastOffset = lastOffset;
  }
}

/** A new segment starting at `firstSeq`; its file is created by the first write that reaches it. */
export function newSegment(dir: string, firstSeq: number, metadataBytes: Uint8Array): OpenSegment {
  const header = encodeSegmentHeader(firstSeq, metadataBytes);
  return new OpenSegment(
    inDir(dir, segmentFileName(firstSeq)),
    firstSeq,
    header,
    header.length,
    new SparseIndex(),
    firstSeq - 1,
    -1,
    0,
  );
}

/** The last segment of a reopened log, growing again after its last valid record. */
export function continuedSegment(last: Segment, sync: boolean): OpenSegment {
  const seg = new OpenSegment(
    last.path,
    last.firstSeq,
    null,
    last.endOffset,
    last.index,
    last.lastSeq,
    last.lastTsUs,
    last.lastOffset,
  );
  // A sidecar left from an earlier seal (a close that did not get to compress it) would be stale.
  fs.rmSync(indexPathOf(last.path), { force: true });
  seg.fd = fs.openSync(last.path, 'r+');
  // What recovery kept may have been written under 'none' and never synced: sync it so durableSeq is true.
  if (sync) fs.fdatasyncSync(seg.fd);
  return seg;
}

/**
 * Creates a segment file with its header atomically (`.tmp`, synced, renamed, directory synced), so a crash
 * never leaves a segment with a partial header. Keeps the descriptor open for appending.
 */
export function createSegmentFileSync(dir: string, seg: OpenSegment, sync: boolean): void {
  const header = seg.header as Uint8Array;
  const tmp = `${seg.path}${TEMP_SUFFIX}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeFullySync(fd, header, 0, header.length, 0);
    if (sync) fs.fsyncSync(fd);
    fs.renameSync(tmp, seg.path);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (sync) fsyncDirSync(dir);
  seg.fd = fd;
  seg.header = null;
}

/** Async `createSegmentFileSync`. */
export async function createSegmentFile(dir: string, seg: OpenSegment, sync: boolean): Promise<void> {
  const header = seg.header as Uint8Array;
  const tmp = `${seg.path}${TEMP_SUFFIX}`;
  // A plain descriptor, not a FileHandle: a FileHandle closes its descriptor when it is garbage collected.
  const fd = await openAsync(tmp, 'w');
  try {
    await writeFully(fd, header, 0, header.length, 0);
    if (sync) await fsyncAsync(fd);
    await fs.promises.rename(tmp, seg.path);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (sync) await fsyncDir(dir);
  seg.fd = fd;
  seg.header = null;
}

/** The sidecar of a full segment. */
function sidecarOf(seg: OpenSegment): Uint8Array {
  return encodeIndexSidecar(
    {
      segmentBytes: seg.bytes,
      firstSeq: seg.firstSeq,
      lastSeq: seg.lastSeq,
      lastTsUs: seg.lastTsUs,
      lastOffset: seg.lastOffset,
    },
    seg.index,
  );
}

/** A full segment: its data is synced by the caller; writes its index sidecar and closes it. */
export function sealSegmentSync(dir: string, seg: OpenSegment, sync: boolean): void {
  writeFileAtomicSync(dir, indexPathOf(seg.path), sidecarOf(seg), sync);
  fs.closeSync(seg.fd);
  seg.fd = -1;
}

/** Async `sealSegmentSync`. */
export async function sealSegment(dir: string, seg: OpenSegment, sync: boolean): Promise<void> {
  await writeFileAtomic(dir, indexPathOf(seg.path), sidecarOf(seg), sync);
  fs.closeSync(seg.fd);
  seg.fd = -1;
}
