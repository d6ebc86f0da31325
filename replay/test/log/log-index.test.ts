import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { INDEX_EVERY_RECORDS, LogReader, type LogWarning, LogWriter } from '../../src/index.ts';
import { writeU64 } from '../../src/log/record-codec.ts';
import { decodeIndexSidecar, encodeIndexSidecar, SparseIndex } from '../../src/log/sparse-index.ts';
import { payloadFor, tsFor, typeFor } from './support/derived-records.ts';
import { copyDir, tempDir } from './support/temp-dir.ts';

const N = 40_000;
const tmp = tempDir();
const base = path.join(tmp.path, 'base');
afterAll(() => tmp.remove());

beforeAll(async () => {
  const w = await LogWriter.open(base, {
    fsync: 'none',
    segmentBytes: 2 * 1024 * 1024,
    compression: 'none',
    metadata: { seed: 1 },
  });
  for (let seq = 1; seq <= N; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
  await w.close();
});

let copies = 0;
function copy(): string {
  const dir = path.join(tmp.path, `copy-${++copies}`);
  copyDir(base, dir);
  return dir;
}

function sidecars(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.twidx'))
    .sort()
    .map((n) => path.join(dir, n));
}

/** seq of the first record with ts ≥ target (records are derived: tsFor is non-decreasing). */
function expectedSeek(target: number): number | undefined {
  let lo = 1;
  let hi = N;
  if (tsFor(N) < target) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tsFor(mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

describe('the sparse index', () => {
  test('sealed segments have sidecars with an entry every INDEX_EVERY_RECORDS records', () => {
    const files = sidecars(base);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const s = decodeIndexSidecar(fs.readFileSync(f));
      if (typeof s === 'string') throw new Error(s);
      expect(s.index.count).toBeGreaterThan(3);
      expect(s.index.seq[1]).toBe((s.index.seq[0] as number) + INDEX_EVERY_RECORDS);
    }
  });

  test('seek lands on the first record with ts ≥ target, anywhere in the log', () => {
    const r = LogReader.open(base);
    const targets = [0, tsFor(1), tsFor(N), tsFor(N) + 1];
    for (let s = 1; s <= N; s += 997) targets.push(tsFor(s), tsFor(s) + 1, tsFor(s) - 1);
    for (const seg of r.segments) targets.push(seg.firstTsUs ?? 0, (seg.lastTsUs ?? 0) + 1);
    for (const t of targets) {
      const pos = r.seek(t);
      const want = expectedSeek(t);
      expect(pos?.seq, `seek(${t})`).toBe(want);
      if (want !== undefined) {
        expect(pos?.tsUs).toBe(tsFor(want));
        expect(r.cursor(pos).next()).toBe(true);
      }
    }
    for (let seq = 1; seq <= N; seq += 1231) {
      expect(r.positionOfSeq(seq)?.seq).toBe(seq);
      const c = r.cursor(seq);
      expect(c.next() && c.seq).toBe(seq);
    }
    r.close();
  });

  test('a missing or damaged sidecar is rebuilt by a scan, with a warning, and the data reads the same', () => {
    const dir = copy();
    const [first, second] = sidecars(dir);
    fs.rmSync(first as string);
    const bytes = fs.readFileSync(second as string);
    bytes[70] = (bytes[70] as number) ^ 4;
    fs.writeFileSync(second as string, bytes);
    const warnings: LogWarning[] = [];
    const r = LogReader.open(dir, { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => [w.code, w.file])).toEqual([
      ['INDEX_REBUILT', first],
      ['INDEX_REBUILT', second],
    ]);
    expect(warnings[1]?.message).toMatch(/CRC32C mismatch/);
    expect(r.seek(tsFor(12_345))?.seq).toBe(expectedSeek(tsFor(12_345)));
    expect([...r.records()].length).toBe(N);
    r.close();
  });

  test('a sidecar that passes its CRC but points at the wrong record is caught when a seek uses it', () => {
    const dir = copy();
    const [first] = sidecars(dir) as [string];
    const s = decodeIndexSidecar(fs.readFileSync(first));
    if (typeof s === 'string') throw new Error(s);
    // Move entry 2 to the offset of the record after it (as a buggy writer might), CRC recomputed.
    const wrong = new SparseIndex();
    for (let i = 0; i < s.index.count; i++) {
      const off = s.index.offset[i] as number;
      wrong.add(
        s.index.tsUs[i] as number,
        s.index.seq[i] as number,
        i === 2 ? off + 25 + payloadFor(s.index.seq[i] as number).length : off,
      );
    }
    fs.writeFileSync(first, encodeIndexSidecar(s, wrong));
    const warnings: LogWarning[] = [];
    const r = LogReader.open(dir, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    const target = (s.index.tsUs[2] as number) + 1;
    expect(r.seek(target)?.seq).toBe(expectedSeek(target));
    expect(warnings.map((w) => w.code)).toEqual(['INDEX_REBUILT']);
    r.close();
  });

  test("verify: 'all' compares each sidecar with a scan", () => {
    const dir = copy();
    const [first] = sidecars(dir) as [string];
    const bytes = fs.readFileSync(first);
    // Entry 1's ts, then a fixed-up CRC: only a full comparison notices.
    const s = decodeIndexSidecar(bytes);
    if (typeof s === 'string') throw new Error(s);
    const idx = new SparseIndex();
    for (let i = 0; i < s.index.count; i++) {
      idx.add(
        (s.index.tsUs[i] as number) + (i === 1 ? 1 : 0),
        s.index.seq[i] as number,
        s.index.offset[i] as number,
      );
    }
    fs.writeFileSync(first, encodeIndexSidecar(s, idx));
    const quiet: LogWarning[] = [];
    LogReader.open(dir, { onWarning: (w) => quiet.push(w) }).close();
    expect(quiet).toEqual([]);
    const full: LogWarning[] = [];
    LogReader.open(dir, { verify: 'all', onWarning: (w) => full.push(w) }).close();
    expect(full.map((w) => w.code)).toEqual(['INDEX_REBUILT']);
    expect(full[0]?.message).toMatch(/differ from a scan/);
  });

  test('entryBeforeTs and entryAtOrBeforeSeq', () => {
    const idx = new SparseIndex(1);
    for (const [ts, seq] of [
      [10, 1],
      [10, 5],
      [20, 9],
      [30, 13],
    ] as const) {
      idx.add(ts, seq, seq * 100);
    }
    expect([5, 10, 11, 20, 25, 31].map((t) => idx.entryBeforeTs(t))).toEqual([0, 0, 1, 1, 2, 3]);
    expect([0, 1, 4, 5, 12, 99].map((s) => idx.entryAtOrBeforeSeq(s))).toEqual([-1, 0, 0, 1, 2, 3]);
    const b = new Uint8Array(8);
    writeU64(b, 0, 1);
    expect(new SparseIndex().entryBeforeTs(1)).toBe(-1);
  });
});
