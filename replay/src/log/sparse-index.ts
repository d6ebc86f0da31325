import { crc32c } from './crc32c.ts';
import { readU32, readU64, writeU32, writeU64 } from './record-codec.ts';

/**
 * An index entry is taken at a segment's first record, then every 1024 records or 256 KiB, whichever first:
 * a seek scans at most that much (~0.1 ms), and a 64 MiB segment's sidecar is ~14 KB.
 */
export const INDEX_EVERY_RECORDS = 1024;
/** See `INDEX_EVERY_RECORDS`. */
export const INDEX_EVERY_BYTES = 256 * 1024;

/**
 * A segment's sparse time index: entries (tsUs, seq, byte offset) of some of its records, in log order. The
 * entries depend only on the records, so the writer's index and one rebuilt by a scan are equal.
 */
export class SparseIndex {
  /** number of entries */
  count = 0;
  tsUs: Float64Array;
  seq: Float64Array;
  offset: Float64Array;
  private recordsSinceEntry = 0;

  constructor(capacity = 16) {
    this.tsUs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.offset = new Float64Array(capacity);
  }

  /** Notes the record at `offset`; adds an entry for it when one is due. Call for every record, in order. */
  observe(tsUs: number, seq: number, offset: number): void {
    const n = this.count;
    if (
      n === 0 ||
      this.recordsSinceEntry >= INDEX_EVERY_RECORDS ||
      offset - (this.offset[n - 1] as number) >= INDEX_EVERY_BYTES
    ) {
      this.add(tsUs, seq, offset);
      this.recordsSinceEntry = 1;
    } else {
      this.recordsSinceEntry++;
    }
  }

  /** Appends an entry (entries must come in log order). */
  add(tsUs: number, seq: number, offset: number): void {
    const n = this.count;
    if (n === this.tsUs.length) {
      this.tsUs = grow(this.tsUs);
      this.seq = grow(this.seq);
      this.offset = grow(this.offset);
    }
    this.tsUs[n] = tsUs;
    this.seq[n] = seq;
    this.offset[n] = offset;
    this.count = n + 1;
  }

  /**
   * The entry to start scanning from for the first record with ts ≥ `tsUs`: the last entry whose ts is below
   * it (the answer lies between it and the next entry, inclusive), or entry 0. -1 when the index is empty.
   */
  entryBeforeTs(tsUs: number): number {
    let lo = 0;
    let hi = this.count - 1;
    if (hi < 0) return -1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.tsUs[mid] as number) < tsUs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The last entry whose seq is ≤ `seq`, or -1 when there is none. */
  entryAtOrBeforeSeq(seq: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seq[mid] as number) <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** True when both hold the same entries. */
  equals(other: SparseIndex): boolean {
    if (other.count !== this.count) return false;
    for (let i = 0; i < this.count; i++) {
      if (
        other.tsUs[i] !== this.tsUs[i] ||
        other.seq[i] !== this.seq[i] ||
        other.offset[i] !== this.offset[i]
      ) {
        return false;
      }
    }
    return true;
  }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}

/** What a sealed segment's sidecar states about it, besides its index. */
export interface SealedSegmentFacts {
  /** the sealed segment file's size in bytes */
  readonly segmentBytes: number;
  readonly firstSeq: number;
  /** firstSeq - 1 when the segment holds no record */
  readonly lastSeq: number;
  /** 0 when the segment holds no record */
  readonly lastTsUs: number;
  /** byte offset of the last record; 0 when the segment holds no record */
  readonly lastOffset: number;
}

/** A decoded index sidecar. */
export interface IndexSidecar extends SealedSegmentFacts {
  readonly index: SparseIndex;
}

/**
 * Index sidecar `<first seq>.twidx`, little-endian (replay/README.md, "Index sidecar"):
 * magic `89 54 57 49 44 58 0D 0A` ("\x89TWIDX\r\n"), u16 version 1, u16 reserved, u32 entry count n,
 * u64 segmentBytes, u64 firstSeq, u64 lastSeq, u64 lastTsUs, u64 lastOffset, n × (u64 tsUs, u64 seq,
 * u64 offset), u32 CRC32C of everything before it.
 */
export const INDEX_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x54, 0x57, 0x49, 0x44, 0x58, 0x0d, 0x0a);
const INDEX_FIXED_BYTES = 56;
const ENTRY_BYTES = 24;

/** The bytes of a sidecar. */
export function encodeIndexSidecar(facts: SealedSegmentFacts, index: SparseIndex): Uint8Array {
  const n = index.count;
  const b = new Uint8Array(INDEX_FIXED_BYTES + ENTRY_BYTES * n + 4);
  b.set(INDEX_MAGIC, 0);
  b[8] = 1;
  writeU32(b, 12, n);
  writeU64(b, 16, facts.segmentBytes);
  writeU64(b, 24, facts.firstSeq);
  writeU64(b, 32, facts.lastSeq);
  writeU64(b, 40, facts.lastTsUs);
  writeU64(b, 48, facts.lastOffset);
  for (let i = 0; i < n; i++) {
    const at = INDEX_FIXED_BYTES + ENTRY_BYTES * i;
    writeU64(b, at, index.tsUs[i] as number);
    writeU64(b, at + 8, index.seq[i] as number);
    writeU64(b, at + 16, index.offset[i] as number);
  }
  const end = b.length - 4;
  writeU32(b, end, crc32c(b, 0, end));
  return b;
}

/**
 * Decodes a sidecar and checks it on its own (magic, version, CRC32C, entries in order and inside the
 * segment). Returns a reason string when it is not usable; whether it matches its segment is the caller's to
 * check.
 */
export function decodeIndexSidecar(b: Uint8Array): IndexSidecar | string {
  if (b.length < INDEX_FIXED_BYTES + 4) return 'shorter than an index header';
  for (let i = 0; i < INDEX_MAGIC.length; i++) if (b[i] !== INDEX_MAGIC[i]) return 'wrong magic';
  if (b[8] !== 1 || b[9] !== 0) return 'unknown index version';
  const n = readU32(b, 12);
  if (b.length !== INDEX_FIXED_BYTES + ENTRY_BYTES * n + 4) return 'length does not match its entry count';
  const end = b.length - 4;
  if (crc32c(b, 0, end) !== readU32(b, end)) return 'CRC32C mismatch';
  const facts = {
    segmentBytes: readU64(b, 16),
    firstSeq: readU64(b, 24),
    lastSeq: readU64(b, 32),
    lastTsUs: readU64(b, 40),
    lastOffset: readU64(b, 48),
  };
  if (Object.values(facts).some((v) => v < 0)) return 'a number above 2^53 - 1';
  const index = new SparseIndex(Math.max(1, n));
  for (let i = 0; i < n; i++) {
    const at = INDEX_FIXED_BYTES + ENTRY_BYTES * i;
    const tsUs = readU64(b, at);
    const seq = readU64(b, at + 8);
    const offset = readU64(b, at + 16);
    if (tsUs < 0 || seq < facts.firstSeq || seq > facts.lastSeq || offset >= facts.segmentBytes) {
      return `entry ${i} out of range`;
    }
    if (i > 0) {
      const p = i - 1;
      if (
        tsUs < (index.tsUs[p] as number) ||
        seq <= (index.seq[p] as number) ||
        offset <= (index.offset[p] as number)
      ) {
        return `entry ${i} out of order`;
      }
    }
    index.add(tsUs, seq, offset);
  }
  if ((n === 0) !== facts.lastSeq < facts.firstSeq) return 'entry count does not match the seq span';
  return { ...facts, index };
}
