import { LogCursor, type ReaderState } from './log-cursor.ts';
import { LogError } from './log-error.ts';
import { type LogLayout, openLayout } from './log-layout.ts';
import { closeSegments, recordMatches, type Segment } from './log-segment.ts';
import { type LogWarningHandler, warnToStderr } from './log-warning.ts';
import type { LogMetadata } from './segment-header.ts';
import { scanSegment } from './segment-scan.ts';
import { SparseIndex } from './sparse-index.ts';
import type { TornTail } from './torn-tail.ts';

/** One record as `records()` yields it. */
export interface LogRecord {
  /** 1, 2, … contiguous over the whole log */
  readonly seq: number;
  /** µs since the epoch, non-decreasing over the log */
  readonly tsUs: number;
  /** the type byte given to `append` (opaque to the log) */
  readonly type: number;
  /** a view into a read buffer (not a copy); it stays valid */
  readonly payload: Uint8Array;
}

/** Where a record is: its seq and ts, its segment file and byte offset. */
export interface LogPosition {
  readonly seq: number;
  readonly tsUs: number;
  /** index of the segment in `LogReader.segments` */
  readonly segment: number;
  /** the segment file */
  readonly file: string;
  /** byte offset of the record in the file */
  readonly offset: number;
}

/** What `LogReader.segments` reports of each segment. */
export interface LogSegmentInfo {
  readonly file: string;
  readonly firstSeq: number;
  /** firstSeq - 1 when it holds no record */
  readonly lastSeq: number;
  /** null when it holds no record */
  readonly firstTsUs: number | null;
  readonly lastTsUs: number | null;
  /** bytes of valid data: header and records (a torn tail not included), as written (uncompressed) */
  readonly bytes: number;
  /** stored compressed (a `.twlogz`) */
  readonly compressed: boolean;
  /** bytes of the file on disk: `bytes` when not compressed (a torn tail left in place included) */
  readonly storedBytes: number;
}

/** Options of `LogReader.open`. */
export interface LogReaderOptions {
  /**
   * Cut a torn tail off the last segment (keeping it in `<segment>.broken`) as the writer would (default true).
   * False leaves every file untouched: reading stops before the torn bytes. Never done while a live writer
   * holds the log's LOCK: its last record may simply be in flight.
   */
  readonly repair?: boolean;
  /**
   * 'tail' (default): check every header, the sealed segments' index sidecars against their first and last
   * records, and every record of the last segment; other records are checked when read. 'all': check every
   * record of every segment now (reads the whole log).
   */
  readonly verify?: 'tail' | 'all';
  /** recovery warnings (torn tail cut off, index rebuilt); default: a line on stderr */
  readonly onWarning?: LogWarningHandler;
}

/**
 * Reads a log directory written by `LogWriter`: metadata, span, records in order from a seq or a time, and
 * `seek(tsUs)` through the sparse time index. It sees the log as it was when opened. Synchronous I/O: read in
 * bounded steps on a busy event loop. Every record is checked (CRC32C, seq, ts) before it is returned;
 * corruption throws `LogError` naming the file and byte offset and no record after it is returned.
 */
export class LogReader {
  readonly dir: string;
  /** the session metadata stored in every segment header */
  readonly metadata: LogMetadata;
  /** the torn tail recovery found (cut off, or left in place when `repair` was false), or null */
  readonly tornTail: TornTail | null;
  private readonly layout: LogLayout;
  private readonly state: ReaderState = { closed: false };
  private readonly onWarning: LogWarningHandler;

  private constructor(layout: LogLayout, onWarning: LogWarningHandler) {
    this.layout = layout;
    this.dir = layout.dir;
    this.metadata = layout.metadata;
    this.tornTail = layout.tornTail;
    this.onWarning = onWarning;
  }

  /** Opens and recovers a log directory (see `LogReaderOptions`). Throws `LogError`. */
  static open(dir: string, options: LogReaderOptions = {}): LogReader {
    const onWarning = options.onWarning ?? warnToStderr;
    const layout = openLayout(dir, {
      repair: options.repair ?? true,
      lockOwned: false,
      verify: options.verify ?? 'tail',
      onWarning,
    });
    return new LogReader(layout, onWarning);
  }

  /** Seq of the first record: 1. */
  get firstSeq(): number {
    return 1;
  }

  /** Seq of the last record; 0 when the log is empty. */
  get lastSeq(): number {
    return (this.layout.segments.at(-1) as Segment).lastSeq;
  }

  /** Number of records. */
  get recordCount(): number {
    return this.lastSeq;
  }

  /** ts of the first record, or null when the log is empty. */
  get firstTsUs(): number | null {
    const s = this.layout.segments.find((x) => x.lastSeq >= x.firstSeq);
    return s === undefined ? null : s.firstTsUs;
  }

  /** ts of the last record, or null when the log is empty. */
  get lastTsUs(): number | null {
    const segs = this.layout.segments;
    const ts = segmentLastTs(segs, segs.length - 1);
    return ts < 0 ? null : ts;
  }

  /** The segments, in order. */
  get segments(): LogSegmentInfo[] {
    return this.layout.segments.map((s) => ({
      file: s.path,
      firstSeq: s.firstSeq,
      lastSeq: s.lastSeq,
      firstTsUs: s.lastSeq >= s.firstSeq ? s.firstTsUs : null,
      lastTsUs: s.lastSeq >= s.firstSeq ? s.lastTsUs : null,
      bytes: s.endOffset,
      compressed: s.file.compressed,
      storedBytes: s.file.storedBytes,
    }));
  }

  /**
   * A cursor at the record with seq `from` (default the first), or at a position from `seek`. A seq past the
   * last gives a cursor at the end. Throws `LogError` `BAD_OPTION` for a seq below 1.
   */
  cursor(from: number | LogPosition = 1): LogCursor {
    this.assertOpen();
    if (typeof from !== 'number') {
      return new LogCursor(
        this.layout.segments,
        this.state,
        from.segment,
        from.offset,
        from.seq,
        from.tsUs,
        this.lastSeq,
      );
    }
    if (!Number.isSafeInteger(from) || from < 1) {
      throw new LogError('BAD_OPTION', `seq must be an integer ≥ 1, got ${from}`);
    }
    const segs = this.layout.segments;
    if (from > this.lastSeq) return this.endCursor();
    const si = lastSegmentAtOrBefore(segs, from);
    const s = segs[si] as Segment;
    let e = s.index.entryAtOrBeforeSeq(from);
    if (!this.entryHolds(si, e)) e = s.index.entryAtOrBeforeSeq(from);
    const c = this.cursorAtEntry(si, e);
    if (e >= 0 && s.index.seq[e] === from) return c;
    // Step to the record before `from`, so that next() returns `from`.
    while (c.next() && c.seq < from - 1) {}
    return c;
  }

  /** Position of the record with seq `seq`, or undefined when there is none. */
  positionOfSeq(seq: number): LogPosition | undefined {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.lastSeq) return undefined;
    const c = this.cursor(seq);
    return c.next() ? this.positionOf(c) : undefined;
  }

  /**
   * Position of the first record with ts ≥ `tsUs`, or undefined when every record is earlier: a binary search
   * over segments, then over the segment's index, then a scan of at most one index interval (1024 records or
   * 256 KiB). An index entry that disagrees with its record gets the segment's index rebuilt (`INDEX_REBUILT`).
   */
  seek(tsUs: number): LogPosition | undefined {
    this.assertOpen();
    const segs = this.layout.segments;
    const last = this.lastTsUs;
    if (last === null || tsUs > last) return undefined;
    // The first segment whose last ts (or that of the last non-empty segment before it) reaches tsUs: it
    // is non-empty and holds the answer.
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segmentLastTs(segs, mid) >= tsUs) hi = mid;
      else lo = mid + 1;
    }
    const s = segs[lo] as Segment;
    let e = s.index.entryBeforeTs(tsUs);
    if (!this.entryHolds(lo, e)) e = s.index.entryBeforeTs(tsUs);
    const c = this.cursorAtEntry(lo, e);
    while (c.next()) if (c.tsUs >= tsUs) return this.positionOf(c);
    return undefined;
  }

  /** Records from seq `fromSeq` (default the first) to the end, each checked. */
  *records(fromSeq = 1): IterableIterator<LogRecord> {
    const c = this.cursor(fromSeq);
    while (c.next()) yield { seq: c.seq, tsUs: c.tsUs, type: c.type, payload: c.payload };
  }

  /** Records from the first with ts ≥ `tsUs` to the end. */
  *recordsFrom(tsUs: number): IterableIterator<LogRecord> {
    const at = this.seek(tsUs);
    if (at === undefined) return;
    const c = this.cursor(at);
    while (c.next()) yield { seq: c.seq, tsUs: c.tsUs, type: c.type, payload: c.payload };
  }

  /** Closes the segment files. Cursors of a closed reader throw `LogError` `CLOSED`. */
  close(): void {
    if (this.state.closed) return;
    this.state.closed = true;
    closeSegments(this.layout.segments);
  }

  private assertOpen(): void {
    if (this.state.closed) throw new LogError('CLOSED', 'the reader is closed', { file: this.dir });
  }

  private positionOf(c: LogCursor): LogPosition {
    const s = this.layout.segments[c.segment] as Segment;
    return { seq: c.seq, tsUs: c.tsUs, segment: c.segment, file: s.path, offset: c.offset };
  }

  private endCursor(): LogCursor {
    const segs = this.layout.segments;
    const s = segs.at(-1) as Segment;
    return new LogCursor(segs, this.state, segs.length - 1, s.endOffset, s.lastSeq + 1, 0, this.lastSeq);
  }

  /** A cursor at index entry `e` of segment `si` (or at its first record when `e` is -1). */
  private cursorAtEntry(si: number, e: number): LogCursor {
    const segs = this.layout.segments;
    const s = segs[si] as Segment;
    const prevTs = si > 0 ? Math.max(0, segmentLastTs(segs, si - 1)) : 0;
    if (e < 0)
      return new LogCursor(
        segs,
        this.state,
        si,
        s.headerBytes,
        s.firstSeq,
        prevTs,
        this.lastSeq,
        SEEK_CHUNK_BYTES,
      );
    return new LogCursor(
      segs,
      this.state,
      si,
      s.index.offset[e] as number,
      s.index.seq[e] as number,
      e === 0 ? prevTs : (s.index.tsUs[e - 1] as number),
      this.lastSeq,
      SEEK_CHUNK_BYTES,
    );
  }

  /**
   * Checks index entry `e` of segment `si` against the record at its offset before a cursor starts there; on a
   * mismatch rebuilds the segment's index (false: look the entry up again).
   */
  private entryHolds(si: number, e: number): boolean {
    const s = this.layout.segments[si] as Segment;
    if (e < 0) return true;
    if (recordMatches(s, s.index.offset[e] as number, s.index.seq[e] as number, s.index.tsUs[e] as number)) {
      return true;
    }
    this.rebuildIndex(si, `entry ${e} disagrees with the record at its offset`);
    return false;
  }

  private rebuildIndex(si: number, why: string): void {
    const segs = this.layout.segments;
    const s = segs[si] as Segment;
    const index = new SparseIndex();
    const prevTs = si > 0 ? Math.max(0, segmentLastTs(segs, si - 1)) : 0;
    scanSegment(s.file, s.headerBytes, s.endOffset, s.firstSeq, prevTs, index, true);
    s.index = index;
    this.onWarning({
      code: 'INDEX_REBUILT',
      message: `${s.path}: index ${why}; rebuilt by scanning the segment`,
      file: s.path,
      offset: null,
    });
  }
}

/** Seeks read less than a full scan: at most one index interval is needed. */
const SEEK_CHUNK_BYTES = 128 * 1024;

/** The last ts at or before segment `i` (-1 when no record is). */
function segmentLastTs(segs: readonly Segment[], i: number): number {
  for (let k = i; k >= 0; k--) {
    const s = segs[k] as Segment;
    if (s.lastSeq >= s.firstSeq) return s.lastTsUs;
  }
  return -1;
}

/** Index of the last segment whose first seq is ≤ `seq`. */
function lastSegmentAtOrBefore(segs: readonly Segment[], seq: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((segs[mid] as Segment).firstSeq <= seq) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
