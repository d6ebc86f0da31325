import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LogError, LogReader, type LogWarning, LogWriter } from '../../src/index.ts';
import { compressSealed } from './support/compress-sealed.ts';
import { payloadFor, payloadMismatch, tsFor, typeFor } from './support/derived-records.ts';
import { copyDir, tempDir } from './support/temp-dir.ts';

const RECORDS = 150;
const tmp = tempDir();
let base = '';
afterAll(() => tmp.remove());

/** Segment files of the base log, and the start offsets and ends of the records of its last segment. */
let segments: string[] = [];
const lastStarts: number[] = [];
const lastEnds: number[] = [];
let headerBytes = 0;

/**
 * The base log of `layout`: sealed segments as written, or compressed as a writer with compression leaves
 * them when it crashes (every segment but the last, which recovery scans).
 */
async function writeBase(layout: 'raw' | 'compressed'): Promise<void> {
  base = path.join(tmp.path, `base-${layout}`);
  lastStarts.length = 0;
  lastEnds.length = 0;
  const w = await LogWriter.open(base, {
    fsync: 'none',
    segmentBytes: 4096,
    compression: 'none',
    metadata: { seed: 1 },
  });
  for (let seq = 1; seq <= RECORDS; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
  await w.close();
  if (layout === 'compressed') await compressSealed(base);
  const r = LogReader.open(base);
  segments = r.segments.map((s) => s.file);
  const last = r.segments.at(-1);
  const c = r.cursor(last?.firstSeq ?? 1);
  while (c.next()) {
    lastStarts.push(c.offset);
    lastEnds.push(c.payloadEnd - c.payloadStart + c.offset + 25);
  }
  headerBytes = lastStarts[0] ?? 0;
  r.close();
  expect(segments.length).toBeGreaterThanOrEqual(4);
  expect(lastStarts.length).toBeGreaterThanOrEqual(5);
  expect(r.segments.filter((s) => s.compressed).length).toBe(layout === 'raw' ? 0 : segments.length - 1);
}

let copies = 0;
function copy(): string {
  const dir = path.join(tmp.path, `copy-${++copies}`);
  copyDir(base, dir);
  return dir;
}
const inCopy = (dir: string, file: string) => path.join(dir, path.basename(file));

/** Reads the whole log, checking every record against its derivation; returns the last seq. */
function readAll(r: LogReader): number {
  let n = 0;
  const c = r.cursor();
  while (c.next()) {
    n++;
    // Plain checks: an expect() per record would dominate thousands of runs.
    const bad =
      c.seq !== n
        ? `seq ${c.seq}`
        : c.type !== typeFor(n) || c.tsUs !== tsFor(n)
          ? 'type or ts'
          : payloadMismatch(n, c.payload);
    if (bad !== null) throw new Error(`record ${n}: ${bad}`);
  }
  return n;
}

function thrown(f: () => unknown): LogError {
  try {
    f();
  } catch (err) {
    if (err instanceof LogError) return err;
    throw err;
  }
  throw new Error('expected a LogError');
}

describe.each(['raw', 'compressed'] as const)('sealed segments %s', (layout) => {
  beforeAll(() => writeBase(layout));

  describe('torn tail of the last segment', () => {
    test('truncated at any byte after its header: keeps the whole records, cuts and keeps the rest (2000 cuts)', () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      const original = fs.readFileSync(lastFile);
      const firstSeqOfLast = RECORDS - lastStarts.length + 1;
      fc.assert(
        fc.property(fc.integer({ min: headerBytes, max: original.length }), fc.nat(9), (cut, k) => {
          // Repairing syncs three times (the .broken file, the directory, the truncation): do it in 1 run of 10.
          const repair = k === 0;
          fs.writeFileSync(lastFile, original.subarray(0, cut));
          const whole = lastEnds.filter((e) => e <= cut).length;
          const validEnd = whole === 0 ? headerBytes : (lastEnds[whole - 1] as number);
          const warnings: LogWarning[] = [];
          const r = LogReader.open(dir, { repair, onWarning: (w) => warnings.push(w) });
          expect(r.lastSeq).toBe(firstSeqOfLast - 1 + whole);
          expect(readAll(r)).toBe(r.lastSeq);
          r.close();
          const torn = cut - validEnd;
          if (torn === 0) {
            expect(warnings).toEqual([]);
            expect(r.tornTail).toBeNull();
            return;
          }
          expect(r.tornTail).toMatchObject({
            file: lastFile,
            offset: validEnd,
            bytes: torn,
            zeroFilled: false,
          });
          expect(warnings.map((w) => [w.code, w.file, w.offset])).toEqual([
            [repair ? 'TORN_TAIL' : 'TORN_TAIL_KEPT', lastFile, validEnd],
          ]);
          expect(warnings[0]?.message).toContain(`torn tail of ${torn} bytes at byte ${validEnd}`);
          if (repair) {
            expect(fs.statSync(lastFile).size).toBe(validEnd);
            expect(fs.readFileSync(`${lastFile}.broken`)).toEqual(original.subarray(validEnd, cut));
            fs.rmSync(`${lastFile}.broken`);
          } else {
            expect(fs.statSync(lastFile).size).toBe(cut);
            expect(fs.existsSync(`${lastFile}.broken`)).toBe(false);
          }
        }),
        { numRuns: 2000 },
      );
    });

    test.each([1, 7, 24, 25, 26, 300, 5000])('a zero-filled tail of %i bytes is torn, and cut', (zeros) => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      const size = fs.statSync(lastFile).size;
      fs.appendFileSync(lastFile, new Uint8Array(zeros));
      const warnings: LogWarning[] = [];
      const r = LogReader.open(dir, { onWarning: (w) => warnings.push(w) });
      expect(readAll(r)).toBe(RECORDS);
      expect(r.tornTail).toMatchObject({ offset: size, bytes: zeros, zeroFilled: true });
      expect(warnings[0]?.message).toMatch(/zero-filled/);
      expect(fs.statSync(lastFile).size).toBe(size);
      r.close();
    });

    test('a last record zeroed in place (size extended, data never written) is torn', () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      const bytes = fs.readFileSync(lastFile);
      const start = lastStarts.at(-1) as number;
      bytes.fill(0, start + 10);
      fs.writeFileSync(lastFile, bytes);
      const r = LogReader.open(dir, { onWarning: () => {} });
      expect(readAll(r)).toBe(RECORDS - 1);
      expect(r.tornTail).toMatchObject({ offset: start, zeroFilled: false, reason: 'CRC32C mismatch' });
      r.close();
    });

    test('garbage after the last record is torn', () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      fs.appendFileSync(
        lastFile,
        Uint8Array.from({ length: 999 }, (_, i) => (i * 7919) & 0xff),
      );
      const r = LogReader.open(dir, { onWarning: () => {} });
      expect(readAll(r)).toBe(RECORDS);
      expect(r.tornTail?.bytes).toBe(999);
      r.close();
    });

    test('a bad record followed by a valid one in the last segment is corruption: refused, nothing cut', () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      const bytes = fs.readFileSync(lastFile);
      const victim = lastStarts.at(-3) as number;
      bytes[victim + 30] = (bytes[victim + 30] as number) ^ 0x10;
      fs.writeFileSync(lastFile, bytes);
      const err = thrown(() => LogReader.open(dir, { onWarning: () => {} }));
      expect(err).toMatchObject({ code: 'CORRUPT_RECORD', file: lastFile, offset: victim });
      expect(err.message).toMatch(
        /a valid record \(seq \d+\) follows at byte \d+: corruption, not a torn write/,
      );
      expect(fs.readFileSync(lastFile)).toEqual(bytes);
      expect(fs.readdirSync(dir).some((n) => n.includes('.broken'))).toBe(false);
    });

    test('the writer recovers too: it cuts the tail, keeps it in .broken then .broken.1, and continues the seq', async () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      for (const broken of ['.broken', '.broken.1']) {
        fs.truncateSync(lastFile, fs.statSync(lastFile).size - 5);
        const warnings: LogWarning[] = [];
        const w = await LogWriter.open(dir, {
          fsync: 'batch',
          compression: 'none',
          onWarning: (x) => warnings.push(x),
        });
        expect(warnings.map((x) => x.code)).toEqual(['TORN_TAIL']);
        expect(fs.statSync(`${lastFile}${broken}`).size).toBe(
          (lastEnds.at(-1) as number) - (lastStarts.at(-1) as number) - 5,
        );
        expect(w.lastSeq).toBe(RECORDS - 1);
        expect(w.append(typeFor(RECORDS), tsFor(RECORDS), payloadFor(RECORDS))).toBe(RECORDS);
        await w.close();
      }
      const r = LogReader.open(dir);
      expect(readAll(r)).toBe(RECORDS);
      r.close();
    });
  });

  // Damage to a compressed segment: log-bitflip.test.ts and compressed-segment.test.ts.
  describe.skipIf(layout === 'compressed')(
    'corruption anywhere else is refused, naming the file and the offset',
    () => {
      test('a sealed segment cut inside a record: CORRUPT_RECORD at that record', () => {
        const dir = copy();
        const file = inCopy(dir, segments[1] as string);
        const r0 = LogReader.open(base);
        const starts: number[] = [];
        const c = r0.cursor(r0.segments[1]?.firstSeq);
        while (c.next() && c.segment === 1) starts.push(c.offset);
        r0.close();
        const victim = starts[3] as number;
        fs.truncateSync(file, victim + 20);
        expect(thrown(() => LogReader.open(dir, { onWarning: () => {} }))).toMatchObject({
          code: 'CORRUPT_RECORD',
          file,
          offset: victim,
        });
      });

      test('a sealed segment cut at a record boundary: the next segment does not follow (SEQ_GAP)', () => {
        const dir = copy();
        const file = inCopy(dir, segments[1] as string);
        const r0 = LogReader.open(base);
        const pos = r0.positionOfSeq((r0.segments[1]?.lastSeq ?? 0) - 2);
        r0.close();
        fs.truncateSync(file, pos?.offset);
        expect(thrown(() => LogReader.open(dir, { onWarning: () => {} }))).toMatchObject({
          code: 'SEQ_GAP',
          file: inCopy(dir, segments[2] as string),
          offset: 16,
        });
      });

      test('a missing middle or first segment, a segment of another log, an unreadable header', async () => {
        const gap = copy();
        fs.rmSync(inCopy(gap, segments[2] as string));
        expect(thrown(() => LogReader.open(gap))).toMatchObject({
          code: 'SEQ_GAP',
          file: inCopy(gap, segments[3] as string),
        });
        const head = copy();
        fs.rmSync(inCopy(head, segments[0] as string));
        expect(thrown(() => LogReader.open(head)).message).toMatch(/starts at seq \d+, not 1/);

        const other = path.join(tmp.path, 'other');
        const w = await LogWriter.open(other, {
          fsync: 'none',
          segmentBytes: 4096,
          compression: 'none',
          metadata: { seed: 2 },
        });
        for (let seq = 1; seq <= RECORDS; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
        await w.close();
        const mixed = copy();
        fs.copyFileSync(
          path.join(other, path.basename(segments[1] as string)),
          inCopy(mixed, segments[1] as string),
        );
        expect(thrown(() => LogReader.open(mixed))).toMatchObject({
          code: 'METADATA_MISMATCH',
          file: inCopy(mixed, segments[1] as string),
          offset: 24,
        });

        const short = copy();
        fs.truncateSync(inCopy(short, segments.at(-1) as string), headerBytes - 1);
        expect(thrown(() => LogReader.open(short))).toMatchObject({
          code: 'BAD_SEGMENT_HEADER',
          file: inCopy(short, segments.at(-1) as string),
          offset: 12,
        });
      });
    },
  );

  describe('locks and leftovers', () => {
    test('a reader does not cut the tail of a log a live writer holds', async () => {
      const dir = copy();
      const lastFile = inCopy(dir, segments.at(-1) as string);
      const w = await LogWriter.open(dir, { fsync: 'none', compression: 'none' });
      fs.appendFileSync(lastFile, Uint8Array.of(9, 9, 9));
      const warnings: LogWarning[] = [];
      const r = LogReader.open(dir, { onWarning: (x) => warnings.push(x) });
      expect(warnings.map((x) => x.code)).toEqual(['TORN_TAIL_KEPT']);
      expect(warnings[0]?.message).toMatch(/a writer is running/);
      r.close();
      await w.close();
    });

    test('a stale lock is taken over; unfinished .tmp files are removed by the writer', async () => {
      const dir = copy();
      fs.writeFileSync(path.join(dir, 'LOCK'), '999999999\n');
      fs.writeFileSync(path.join(dir, '00000000000000009999.twlog.tmp'), 'x');
      const warnings: LogWarning[] = [];
      const r = LogReader.open(dir, { onWarning: (x) => warnings.push(x) });
      expect(readAll(r)).toBe(RECORDS);
      r.close();
      expect(warnings).toEqual([]);
      const w = await LogWriter.open(dir, { onWarning: (x) => warnings.push(x) });
      expect(warnings.map((x) => x.code).sort()).toEqual(['STALE_LOCK', 'TEMP_FILE_REMOVED']);
      expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
      await w.close();
      expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false);
    });
  });
});
