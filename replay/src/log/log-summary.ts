import type { LogReader } from './log-reader.ts';

/**
 * Sees every record of a summary pass, allocation-free: the payload is `buffer[payloadStart, payloadEnd)`,
 * valid during the call. The hook for counts that need the payload decoded (the recorder's per-channel counts).
 */
export interface RecordObserver {
  observe(
    seq: number,
    tsUs: number,
    type: number,
    buffer: Uint8Array,
    payloadStart: number,
    payloadEnd: number,
  ): void;
}

/** Counts of a whole log, from reading every record (each checked as it is read). */
export interface LogSummary {
  readonly segments: number;
  readonly records: number;
  /** valid bytes of all segments: headers and records (a torn tail left in place not included) */
  readonly bytes: number;
  /** payload bytes of all records */
  readonly payloadBytes: number;
  /** null when the log is empty */
  readonly firstTsUs: number | null;
  readonly lastTsUs: number | null;
  /** records per type byte, types in ascending order */
  readonly recordsByType: ReadonlyMap<number, number>;
}

/**
 * Reads every record of `reader` once, in order, counting (and feeding `observers`). Throws the `LogError` of
 * the first record that fails its checks.
 */
export function summarizeLog(reader: LogReader, observers: readonly RecordObserver[] = []): LogSummary {
  const byType = new Float64Array(256);
  let records = 0;
  let payloadBytes = 0;
  const c = reader.cursor();
  while (c.next()) {
    records++;
    byType[c.type] = (byType[c.type] as number) + 1;
    payloadBytes += c.payloadEnd - c.payloadStart;
    for (const o of observers) o.observe(c.seq, c.tsUs, c.type, c.buffer, c.payloadStart, c.payloadEnd);
  }
  const recordsByType = new Map<number, number>();
  for (let t = 0; t < 256; t++) if ((byType[t] as number) > 0) recordsByType.set(t, byType[t] as number);
  const segments = reader.segments;
  return {
    segments: segments.length,
    records,
    bytes: segments.reduce((n, s) => n + s.bytes, 0),
    payloadBytes,
    firstTsUs: reader.firstTsUs,
    lastTsUs: reader.lastTsUs,
    recordsByType,
  };
}
