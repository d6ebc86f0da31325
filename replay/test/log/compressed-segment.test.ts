import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LogError, LogReader, type LogWarning, LogWriter } from '../../src/index.ts';
import { BLOCK_TARGET_BYTES, blockStarts } from '../../src/log/compress-segment.ts';
import { CompressedSegmentFile } from '../../src/log/compressed-segment-file.ts';
import { indexPathOf } from '../../src/log/segment-files.ts';
import { decodeIndexSidecar } from '../../src/log/sparse-index.ts';
import { compressSealed } from './support/compress-sealed.ts';
import { payloadFor, payloadMismatch, tsFor, typeFor } from './support/derived-records.ts';
import { copyDir, tempDir } from './support/temp-dir.ts';

const RECORDS = 3000;
const tmp = tempDir();
const compressed = path.join(tmp.path, 'compressed');
const raw = path.join(tmp.path, 'raw');
afterAll(() => tmp.remove());

async function write(dir: string, compression: 'brotli' | 'none', segmentBytes = 16 * 1024): Promise<void> {
  const w = await LogWriter.open(dir, { fsync: 'none', segmentBytes, compression, metadata: { seed: 1 } });
  for (let seq = 1; seq <= RECORDS; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
  await w.close();
}

function readAll(dir: string, onWarning: (w: LogWarning) => void = () => {}): number {
  const r = LogReader.open(dir, { onWarning });
  let n = 0;
  try {
    for (const rec of r.records()) {
      n++;
      const bad = rec.seq !== n || rec.type !== typeFor(n) || rec.tsUs !== tsFor(n);
      if (bad || payloadMismatch(n, rec.payload) !== null) throw new Error(`record ${n} differs`);
    }
  } finally {
    r.close();
  }
  return n;
}

let copies = 0;
function copyOf(dir: string): string {
  const to = path.join(tmp.path, `copy-${++copies}`);
  copyDir(dir, to);
  return to;
}

beforeAll(async () => {
  await write(compressed, 'brotli');
  await write(raw, 'none');
});

describe('a log written with compression', () => {
  test('every segment is a .twlogz once closed, the last one too; read back identical, smaller on disk', () => {
    const names = fs.readdirSync(compressed);
    expect(names.filter((n) => n.endsWith('.twlog'))).toEqual([]);
    const r = LogReader.open(compressed, { verify: 'all' });
    const rawSegments = LogReader.open(raw).segments;
    expect(r.segments.length).toBe(rawSegments.length);
    expect(r.segments.length).toBeGreaterThan(5);
    for (const [i, s] of r.segments.entries()) {
      expect(s.compressed).toBe(true);
      expect(s.file.endsWith('.twlogz')).toBe(true);
      expect(s.bytes).toBe(rawSegments[i]?.bytes);
      expect(s.storedBytes).toBeLessThan(s.bytes);
      expect(fs.statSync(s.file).size).toBe(s.storedBytes);
      expect(typeof decodeIndexSidecar(fs.readFileSync(indexPathOf(s.file)))).toBe('object');
    }
    r.close();
    expect(readAll(compressed)).toBe(RECORDS);
  });

  test('seek and cursor(seq) into compressed segments land where they do in the raw log', () => {
    const r = LogReader.open(compressed);
    const q = LogReader.open(raw);
    for (let seq = 1; seq <= RECORDS; seq += 97) {
      const target = tsFor(seq) + 1;
      expect(r.seek(target)).toEqual({ ...q.seek(target), file: expect.stringMatching(/\.twlogz$/) });
      const c = r.cursor(seq);
      expect(c.next()).toBe(true);
      expect([c.seq, c.tsUs, payloadMismatch(seq, c.payload)]).toEqual([seq, tsFor(seq), null]);
    }
    expect(r.seek(tsFor(RECORDS) + 1)).toBeUndefined();
    r.close();
    q.close();
  });

  test('blocks start at index entries, at least 256 KiB apart (the last excepted)', async () => {
    const dir = path.join(tmp.path, 'big');
    const w = await LogWriter.open(dir, { fsync: 'none', segmentBytes: 4 * 1024 * 1024, metadata: {} });
    for (let seq = 1; seq <= 30_000; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
    await w.close();
    const r = LogReader.open(dir);
    const s = r.segments[0];
    r.close();
    const sidecar = decodeIndexSidecar(fs.readFileSync(indexPathOf(s?.file as string)));
    if (typeof sidecar === 'string') throw new Error(sidecar);
    const starts = blockStarts(sidecar.index);
    const entries = Array.from(sidecar.index.offset.subarray(0, sidecar.index.count));
    for (const [i, at] of starts.entries()) {
      expect(entries).toContain(at);
      if (i > 0) expect(at - (starts[i - 1] as number)).toBeGreaterThanOrEqual(BLOCK_TARGET_BYTES);
    }
    const fd = fs.openSync(s?.file as string, 'r');
    const f = CompressedSegmentFile.open(s?.file as string, fd, starts[0] as number);
    expect(f.blockCount).toBe(starts.length);
    expect(f.blockCount).toBeGreaterThan(2);
    expect(f.blockCount).toBeLessThanOrEqual(Math.ceil((s?.bytes as number) / BLOCK_TARGET_BYTES));
    f.close();
    expect(readAll(dir)).toBe(30_000);
  });

  test('reopened after a clean close: a new segment follows the compressed last one', async () => {
    const dir = copyOf(compressed);
    const before = LogReader.open(dir).segments.length;
    const w = await LogWriter.open(dir, { fsync: 'none', segmentBytes: 16 * 1024 });
    expect(w.lastSeq).toBe(RECORDS);
    for (let seq = RECORDS + 1; seq <= RECORDS + 10; seq++)
      w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
    await w.close();
    const r = LogReader.open(dir);
    expect(r.segments.length).toBe(before + 1);
    expect(r.segments.at(-1)).toMatchObject({
      firstSeq: RECORDS + 1,
      lastSeq: RECORDS + 10,
      compressed: true,
    });
    r.close();
    // Reopened without compression: still a new segment, left uncompressed.
    const w2 = await LogWriter.open(dir, { fsync: 'none', compression: 'none' });
    w2.append(1, tsFor(RECORDS + 11), payloadFor(RECORDS + 11));
    await w2.close();
    const r2 = LogReader.open(dir);
    expect(r2.segments.at(-1)).toMatchObject({ firstSeq: RECORDS + 11, compressed: false });
    expect(r2.lastSeq).toBe(RECORDS + 11);
    r2.close();
  });

  test('a writer with compression compresses the sealed segments a log without it left', async () => {
    const dir = copyOf(raw);
    const w = await LogWriter.open(dir, { fsync: 'none' });
    await w.close();
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.twlog'))).toEqual([]);
    expect(readAll(dir)).toBe(RECORDS);
  });

  test("compression must be 'brotli' or 'none'", async () => {
    await expect(
      LogWriter.open(path.join(tmp.path, 'bad'), { metadata: {}, compression: 'zstd' as 'none' }),
    ).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });
});

describe('a crash while compressing', () => {
  test('both .twlog and .twlogz there: the .twlog is read; the .twlogz is removed only when repair is allowed', async () => {
    const dir = copyOf(raw);
    const segments = fs.readdirSync(dir).filter((n) => n.endsWith('.twlog'));
    const keep = path.join(tmp.path, 'kept');
    copyDir(dir, keep);
    await compressSealed(dir);
    // Put the .twlog files back: the state after the rename and before the delete.
    for (const n of segments) fs.copyFileSync(path.join(keep, n), path.join(dir, n));
    const leftovers = () => fs.readdirSync(dir).filter((n) => n.endsWith('.twlogz')).length;
    expect(leftovers()).toBe(segments.length - 1);

    const warnings: LogWarning[] = [];
    const r = LogReader.open(dir, { repair: false, onWarning: (x) => warnings.push(x) });
    expect(r.segments.every((s) => !s.compressed)).toBe(true);
    r.close();
    expect(warnings).toEqual([]);
    expect(leftovers()).toBe(segments.length - 1);

    // A live writer holds the log: a reader leaves its files alone.
    const w = await LogWriter.open(copyOf(dir), { fsync: 'none', compression: 'none' });
    fs.copyFileSync(path.join(w.dir, 'LOCK'), path.join(dir, 'LOCK'));
    expect(readAll(dir, (x) => warnings.push(x))).toBe(RECORDS);
    expect(leftovers()).toBe(segments.length - 1);
    fs.rmSync(path.join(dir, 'LOCK'));
    await w.close();

    expect(readAll(dir, (x) => warnings.push(x))).toBe(RECORDS);
    expect(leftovers()).toBe(0);
    expect(new Set(warnings.map((x) => x.code))).toEqual(new Set(['COMPRESSED_LEFTOVER_REMOVED']));
    expect(warnings.length).toBe(segments.length - 1);
  });

  test('an unfinished .twlogz.tmp is ignored by readers and removed by the writer', async () => {
    const dir = copyOf(raw);
    const first = fs.readdirSync(dir).find((n) => n.endsWith('.twlog')) as string;
    fs.writeFileSync(path.join(dir, `${first}z.tmp`), 'partial');
    expect(readAll(dir)).toBe(RECORDS);
    const warnings: LogWarning[] = [];
    const w = await LogWriter.open(dir, { fsync: 'none', onWarning: (x) => warnings.push(x) });
    await w.close();
    expect(warnings.map((x) => x.code)).toEqual(['TEMP_FILE_REMOVED']);
    expect(readAll(dir)).toBe(RECORDS);
  });

  test('a .twlogz cut short is refused with CORRUPT_BLOCK naming it', () => {
    const dir = copyOf(compressed);
    const file = path.join(dir, fs.readdirSync(dir).filter((n) => n.endsWith('.twlogz'))[2] as string);
    fs.truncateSync(file, fs.statSync(file).size - 7);
    let err: unknown;
    try {
      LogReader.open(dir).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LogError);
    expect(err).toMatchObject({ code: 'CORRUPT_BLOCK', file });
    expect((err as LogError).message).toMatch(/block table/);
  });
});
