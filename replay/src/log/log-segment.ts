import { checkRecord, RECORD_HEADER_BYTES, RecordCheck, readU32, seqAt, tsUsAt } from './record-codec.ts';
import type { SegmentFile } from './segment-file.ts';
import type { SparseIndex } from './sparse-index.ts';

/** One segment of an opened log: where its records are and its index. */
export interface Segment {
  /** path of the segment file (`.twlog`, or `.twlogz` when it is stored compressed) */
  readonly path: string;
  /** the file, open while the log is; reads take offsets in the segment as written */
  readonly file: SegmentFile;
  readonly firstSeq: number;
  /** where the first record starts */
  readonly headerBytes: number;
  /** end of the valid records (the sealed file size, or the recovered end of the last segment) */
  endOffset: number;
  /** firstSeq - 1 when the segment holds no record */
  lastSeq: number;
  /** ts of the first record; -1 when it holds none */
  firstTsUs: number;
  /** ts of the last record; -1 when it holds none */
  lastTsUs: number;
  /** offset of the last record; 0 when it holds none */
  lastOffset: number;
  index: SparseIndex;
}

/** Sets what a scan (or a sidecar that agrees with the segment) found: the index and the last record. */
export function setScanned(
  segment: Segment,
  index: SparseIndex,
  lastSeq: number,
  lastTs: number,
  lastOffset: number,
): void {
  segment.index = index;
  segment.lastSeq = lastSeq;
  segment.firstTsUs = index.count > 0 ? (index.tsUs[0] as number) : -1;
  segment.lastTsUs = index.count > 0 ? lastTs : -1;
  segment.lastOffset = lastOffset;
}

/** Closes the descriptors of `segments`. */
export function closeSegments(segments: readonly Segment[]): void {
  for (const s of segments) {
    try {
      s.file.close();
    } catch {
      // Already closed: nothing to release.
    }
  }
}

/** True when a valid record with this seq and ts starts at `at` (and, if given, ends at `mustEndAt`). */
export function recordMatches(
  segment: Segment,
  at: number,
  seq: number,
  tsUs: number,
  mustEndAt?: number,
): boolean {
  const head = new Uint8Array(4);
  if (segment.file.read(head, 0, 4, at) < 4) return false;
  const length = RECORD_HEADER_BYTES + readU32(head, 0);
  if (mustEndAt !== undefined && at + length !== mustEndAt) return false;
  if (at + length > segment.endOffset) return false;
  const b = new Uint8Array(length);
  const n = segment.file.read(b, 0, length, at);
  return checkRecord(b, 0, n) === RecordCheck.OK && seqAt(b, 0) === seq && tsUsAt(b, 0) === tsUs;
}
