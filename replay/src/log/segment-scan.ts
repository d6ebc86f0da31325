import { LogError } from './log-error.ts';
import {
  checkRecord,
  describeCheck,
  MAX_PAYLOAD_BYTES,
  payloadLengthAt,
  RECORD_HEADER_BYTES,
  RecordCheck,
  seqAt,
  tsUsAt,
} from './record-codec.ts';
import type { SegmentFile } from './segment-file.ts';
import type { SparseIndex } from './sparse-index.ts';

/** Bytes read at a time when scanning. */
export const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

/** Where a segment's valid records end, and what ends them. */
export interface ScanResult {
  /** byte offset after the last valid record */
  readonly validEnd: number;
  /** seq of the last valid record; firstSeq - 1 when there is none */
  readonly lastSeq: number;
  /** ts of the last valid record; `prevTsUs` when there is none */
  readonly lastTsUs: number;
  /** byte offset of the last valid record; 0 when there is none */
  readonly lastOffset: number;
  /** in tail mode, why the record at `validEnd` is not valid; null when the records reach the end */
  readonly failure: string | null;
}

/**
 * Reads the records of one segment from `start` to `end`, checking each (framing, CRC32C, seq contiguous from
 * `firstSeq`, ts not below the previous) and feeding `index`.
 *
 * `strict`: any failure throws `LogError` naming the file and offset. Otherwise (tail mode, for the last
 * segment) a record that is cut short or fails its CRC ends the scan and is returned as `failure`; a CRC-valid
 * record with the wrong seq or an earlier ts still throws, since a torn write cannot produce one.
 */
export function scanSegment(
  segment: SegmentFile,
  start: number,
  end: number,
  firstSeq: number,
  prevTsUs: number,
  index: SparseIndex,
  strict: boolean,
): ScanResult {
  const file = segment.path;
  let buf = new Uint8Array(Math.min(SCAN_CHUNK_BYTES, Math.max(RECORD_HEADER_BYTES, end - start)));
  let bufStart = start;
  let bufLen = 0;
  let at = start;
  let expect = firstSeq;
  let lastTs = prevTsUs;
  let lastOffset = 0;
  while (at < end) {
    let rel = at - bufStart;
    // Make sure the header, then the whole record, is in the buffer when the file has it.
    if (bufLen - rel < RECORD_HEADER_BYTES && bufStart + bufLen < end) {
      bufLen = segment.read(buf, 0, Math.min(buf.length, end - at), at);
      bufStart = at;
      rel = 0;
    }
    if (bufLen - rel >= RECORD_HEADER_BYTES) {
      const need = RECORD_HEADER_BYTES + payloadLengthAt(buf, rel);
      if (need <= RECORD_HEADER_BYTES + MAX_PAYLOAD_BYTES && bufLen - rel < need && bufStart + bufLen < end) {
        if (buf.length < need) buf = new Uint8Array(need);
        bufLen = segment.read(buf, 0, Math.min(buf.length, end - at), at);
        bufStart = at;
        rel = 0;
      }
    }
    const check = checkRecord(buf, rel, bufLen);
    if (check !== RecordCheck.OK) {
      if (strict || check === RecordCheck.BAD_NUMBER) {
        throw new LogError('CORRUPT_RECORD', `${describeCheck(check)} (expected seq ${expect})`, {
          file,
          offset: at,
        });
      }
      return {
        validEnd: at,
        lastSeq: expect - 1,
        lastTsUs: lastTs,
        lastOffset,
        failure: describeCheck(check),
      };
    }
    const seq = seqAt(buf, rel);
    if (seq !== expect) {
      throw new LogError('SEQ_GAP', `record has seq ${seq}, expected ${expect}`, { file, offset: at });
    }
    const ts = tsUsAt(buf, rel);
    if (ts < lastTs) {
      throw new LogError('TS_DECREASING', `record seq ${seq} has tsUs ${ts}, below the previous ${lastTs}`, {
        file,
        offset: at,
      });
    }
    index.observe(ts, seq, at);
    lastTs = ts;
    lastOffset = at;
    expect++;
    at += RECORD_HEADER_BYTES + payloadLengthAt(buf, rel);
  }
  return { validEnd: at, lastSeq: expect - 1, lastTsUs: lastTs, lastOffset, failure: null };
}

/**
 * Looks in `tail` (the bytes from the first invalid record of the last segment to its end, starting at file
 * offset `tailOffset`) for a CRC-valid record with a seq above `lastSeq`: evidence that the invalid bytes are
 * corruption in the middle of the log rather than a torn write at its end. Returns its offset in the file and
 * its seq, or undefined. Every byte offset after the first is tried.
 */
export function findRecordAfter(
  tail: Uint8Array,
  tailOffset: number,
  lastSeq: number,
): { offset: number; seq: number } | undefined {
  const maxSeq = lastSeq + Math.ceil(tail.length / RECORD_HEADER_BYTES) + 1;
  for (let p = 1; p + RECORD_HEADER_BYTES <= tail.length; p++) {
    // Cheap filters first: the length must fit and the seq must be plausible; then the CRC.
    if (RECORD_HEADER_BYTES + payloadLengthAt(tail, p) > tail.length - p) continue;
    const seq = seqAt(tail, p);
    if (seq <= lastSeq || seq > maxSeq) continue;
    if (checkRecord(tail, p, tail.length) === RecordCheck.OK) return { offset: tailOffset + p, seq };
  }
  return undefined;
}
