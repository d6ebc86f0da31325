import { LogError } from './log-error.ts';
import type { Segment } from './log-segment.ts';
import {
  checkRecord,
  describeCheck,
  MAX_PAYLOAD_BYTES,
  payloadLengthAt,
  RECORD_HEADER_BYTES,
  RecordCheck,
  seqAt,
  tsUsAt,
  typeAt,
} from './record-codec.ts';

/** Bytes a cursor reads at a time (more when one record is larger). */
export const READ_CHUNK_BYTES = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/** Shared by a reader and its cursors, so a cursor never reads through a descriptor closed (and reused) since. */
export interface ReaderState {
  closed: boolean;
}

/**
 * Reads records in log order, checking each one (CRC32C, seq contiguous, ts not decreasing) and throwing
 * `LogError` at the first that fails. Allocation-free per record: the current record is in the fields below.
 * Reads are large (1 MiB) and each goes to a fresh buffer, so a `payload` view stays valid for good.
 *
 * @example
 * const c = reader.cursor();
 * while (c.next()) handle(c.type, c.tsUs, c.buffer, c.payloadStart, c.payloadEnd);
 */
export class LogCursor {
  /** seq of the current record */
  seq = 0;
  /** timestamp of the current record, µs since the epoch */
  tsUs = 0;
  /** type byte of the current record */
  type = 0;
  /** holds the current record; its payload is `buffer[payloadStart, payloadEnd)` */
  buffer: Uint8Array = EMPTY;
  payloadStart = 0;
  payloadEnd = 0;
  /** position of the current record: index of its segment in `LogReader.segments`, byte offset in it */
  segment = 0;
  offset = 0;

  private readonly segments: readonly Segment[];
  private readonly state: ReaderState;
  private readonly lastSeq: number;
  private readonly chunkBytes: number;
  private seg: number;
  private at: number;
  private expect: number;
  private prevTs: number;
  private bufStart = 0;
  private bufLen = 0;

  /** @internal Made by `LogReader`: starts at the record at (`segment`, `offset`), which must have `seq`. */
  constructor(
    segments: readonly Segment[],
    state: ReaderState,
    segment: number,
    offset: number,
    seq: number,
    prevTsUs: number,
    lastSeq: number,
    chunkBytes: number = READ_CHUNK_BYTES,
  ) {
    this.segments = segments;
    this.state = state;
    this.seg = segment;
    this.at = offset;
    this.expect = seq;
    this.prevTs = prevTsUs;
    this.lastSeq = lastSeq;
    this.chunkBytes = chunkBytes;
  }

  /** The current record's payload (a view; it allocates a view object, the bytes are not copied). */
  get payload(): Uint8Array {
    return this.buffer.subarray(this.payloadStart, this.payloadEnd);
  }

  /** Moves to the next record; false at the end of the log (as it was when the reader opened). */
  next(): boolean {
    if (this.expect > this.lastSeq) return false;
    let s = this.segments[this.seg] as Segment;
    while (this.at >= s.endOffset) {
      const following = this.segments[this.seg + 1];
      if (following === undefined) return false;
      this.seg++;
      s = following;
      this.at = s.headerBytes;
      this.bufLen = 0;
    }
    const end = s.endOffset;
    let rel = this.at - this.bufStart;
    if (this.bufLen - rel < RECORD_HEADER_BYTES || rel < 0) rel = this.fill(s, RECORD_HEADER_BYTES);
    const length = payloadLengthAt(this.buffer, rel);
    if (
      length <= MAX_PAYLOAD_BYTES &&
      this.bufLen - rel < RECORD_HEADER_BYTES + length &&
      this.bufStart + this.bufLen < end
    ) {
      rel = this.fill(s, RECORD_HEADER_BYTES + length);
    }
    const b = this.buffer;
    const check = checkRecord(b, rel, this.bufLen);
    if (check !== RecordCheck.OK) {
      throw new LogError('CORRUPT_RECORD', `${describeCheck(check)} (expected seq ${this.expect})`, {
        file: s.path,
        offset: this.at,
      });
    }
    const seq = seqAt(b, rel);
    if (seq !== this.expect) {
      throw new LogError('SEQ_GAP', `record has seq ${seq}, expected ${this.expect}`, {
        file: s.path,
        offset: this.at,
      });
    }
    const ts = tsUsAt(b, rel);
    if (ts < this.prevTs) {
      throw new LogError(
        'TS_DECREASING',
        `record seq ${seq} has tsUs ${ts}, below the previous ${this.prevTs}`,
        {
          file: s.path,
          offset: this.at,
        },
      );
    }
    this.seq = seq;
    this.tsUs = ts;
    this.type = typeAt(b, rel);
    this.payloadStart = rel + RECORD_HEADER_BYTES;
    this.payloadEnd = this.payloadStart + length;
    this.segment = this.seg;
    this.offset = this.at;
    this.prevTs = ts;
    this.expect = seq + 1;
    this.at += RECORD_HEADER_BYTES + length;
    return true;
  }

  /**
   * Reads at least `need` bytes (as far as the segment's valid end allows) from `at` into a fresh buffer;
   * returns where `at` is in it. A compressed segment's buffer is the decompressed block that holds `at`
   * (no copy): blocks start at records, so it holds the whole record.
   */
  private fill(s: Segment, need: number): number {
    if (this.state.closed) throw new LogError('CLOSED', 'the reader is closed');
    const f = s.file;
    if (f.compressed) {
      const i = f.blockAt(this.at);
      this.buffer = f.block(i);
      this.bufStart = f.blockStart(i);
      this.bufLen = this.buffer.length;
      return this.at - this.bufStart;
    }
    const want = Math.min(Math.max(this.chunkBytes, need), s.endOffset - this.at);
    const raw = Buffer.allocUnsafe(want);
    // A plain Uint8Array view: its subarray() is cheaper than Buffer's.
    const buf = new Uint8Array(raw.buffer, raw.byteOffset, want);
    this.bufLen = f.read(buf, 0, want, this.at);
    this.buffer = buf;
    this.bufStart = this.at;
    return 0;
  }
}
