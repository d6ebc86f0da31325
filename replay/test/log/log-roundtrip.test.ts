import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type FsyncPolicy,
  LogError,
  LogReader,
  type LogWarning,
  LogWriter,
  type SegmentCompression,
} from '../../src/index.ts';
import { decodeIndexSidecar } from '../../src/log/sparse-index.ts';
import { payloadFor, tsFor, typeFor } from './support/derived-records.ts';
import { tempDir } from './support/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());
let dirs = 0;
const freshDir = () => path.join(tmp.path, `log-${++dirs}`);

interface Appended {
  readonly type: number;
  readonly tsUs: number;
  readonly payload: Uint8Array;
}

const appendArb = fc.record({
  type: fc.integer({ min: 0, max: 255 }),
  dtUs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
  payload: fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.uint8Array({ minLength: 500, maxLength: 3000 })),
  reopen: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
});

/** Linear reference for seek: index of the first record with ts ≥ target. */
function firstAtOrAfter(records: readonly Appended[], target: number): number {
  return records.findIndex((r) => r.tsUs >= target);
}

describe('round trip', () => {
  test.each<SegmentCompression>([
    'none',
    'brotli',
  ])('any appends, any segment size, any policy, reopened anywhere: read back identical; seek lands right (compression %s)', async (compression) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(appendArb, { maxLength: 300 }),
        fc.integer({ min: 1024, max: 16 * 1024 }),
        fc.constantFrom<FsyncPolicy>('none', 'batch'),
        fc.array(fc.integer({ min: -10, max: 400 }), { minLength: 5, maxLength: 5 }),
        async (appends, segmentBytes, fsync, seekAt) => {
          const dir = freshDir();
          const written: Appended[] = [];
          const warnings: LogWarning[] = [];
          let w = await LogWriter.open(dir, {
            fsync,
            segmentBytes,
            compression,
            metadata: { seed: 1 },
            onWarning: (x) => warnings.push(x),
          });
          let ts = 1_000_000;
          for (const a of appends) {
            if (a.reopen) {
              await w.close();
              w = await LogWriter.open(dir, {
                fsync,
                segmentBytes,
                compression,
                onWarning: (x) => warnings.push(x),
              });
            }
            ts += a.dtUs;
            expect(w.append(a.type, ts, a.payload)).toBe(written.length + 1);
            written.push({ type: a.type, tsUs: ts, payload: a.payload });
          }
          await w.close();
          expect(w.durableSeq).toBe(written.length);
          expect(warnings).toEqual([]);

          const r = LogReader.open(dir, { onWarning: (x) => warnings.push(x) });
          try {
            expect(r.metadata).toEqual({ seed: 1 });
            expect(r.lastSeq).toBe(written.length);
            expect(r.firstTsUs).toBe(written[0]?.tsUs ?? null);
            expect(r.lastTsUs).toBe(written.at(-1)?.tsUs ?? null);
            const read = [...r.records()];
            expect(read.map((x) => x.seq)).toEqual(written.map((_, i) => i + 1));
            expect(
              read.map((x) => ({ type: x.type, tsUs: x.tsUs, payload: Uint8Array.from(x.payload) })),
            ).toEqual(written);
            for (const s of r.segments.slice(0, -1)) {
              // Every segment but an oversized record's stays within segmentBytes; sealed ones have sidecars.
              expect(s.bytes <= segmentBytes || s.lastSeq === s.firstSeq).toBe(true);
              expect(typeof decodeIndexSidecar(fs.readFileSync(s.file.replace(/twlogz?$/, 'twidx')))).toBe(
                'object',
              );
            }
            // Compressed: every segment holding records, the last one too (closed cleanly); else none.
            for (const s of r.segments) {
              const holds = s.lastSeq >= s.firstSeq;
              expect([s.file, s.compressed]).toEqual([s.file, compression === 'brotli' && holds]);
              expect(s.file.endsWith('.twlogz')).toBe(s.compressed);
            }
            const targets = [...seekAt.map((k) => 1_000_000 + k * 50), ...written.map((x) => x.tsUs)];
            for (const target of targets) {
              const i = firstAtOrAfter(written, target);
              const pos = r.seek(target);
              if (i < 0) expect(pos).toBeUndefined();
              else {
                expect(pos?.seq).toBe(i + 1);
                expect(pos?.tsUs).toBe(written[i]?.tsUs);
                expect([...r.recordsFrom(target)].length).toBe(written.length - i);
              }
            }
            if (written.length > 0) {
              const from = 1 + ((seekAt[0] ?? 0) % written.length);
              const seq = Math.max(1, from);
              expect([...r.records(seq)].map((x) => x.seq)[0]).toBe(seq);
              expect(r.positionOfSeq(seq)?.seq).toBe(seq);
            }
            expect([...r.records(written.length + 1)]).toEqual([]);
          } finally {
            r.close();
          }
          expect(warnings).toEqual([]);
          fs.rmSync(dir, { recursive: true });
        },
      ),
      { numRuns: compression === 'none' ? 60 : 40 },
    );
  }, 120_000);

  test.each<SegmentCompression>([
    'none',
    'brotli',
  ])("'always': append returns durable records; the rest of the API (compression %s)", async (compression) => {
    const dir = freshDir();
    const w = await LogWriter.open(dir, {
      fsync: 'always',
      segmentBytes: 2048,
      compression,
      metadata: { seed: 2 },
    });
    for (let seq = 1; seq <= 60; seq++) {
      expect(w.append(typeFor(seq), tsFor(seq), payloadFor(seq))).toBe(seq);
      expect(w.durableSeq).toBe(seq);
      expect(w.bufferedBytes).toBe(0);
    }
    await w.whenDurable(60);
    await w.close();
    const r = LogReader.open(dir);
    expect(r.segments.length).toBeGreaterThan(3);
    let seq = 0;
    const c = r.cursor();
    while (c.next()) {
      seq++;
      expect([c.seq, c.type, c.tsUs]).toEqual([seq, typeFor(seq), tsFor(seq)]);
      expect(c.buffer.subarray(c.payloadStart, c.payloadEnd)).toEqual(payloadFor(seq));
    }
    expect(seq).toBe(60);
    r.close();
    expect(() => r.cursor()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  test("'batch': whenDurable resolves after a group commit; close syncs the rest", async () => {
    const dir = freshDir();
    const w = await LogWriter.open(dir, { fsync: 'batch', batchMs: 5, metadata: { seed: 3 } });
    for (let seq = 1; seq <= 1000; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
    expect(w.durableSeq).toBe(0);
    expect(w.bufferedBytes).toBeGreaterThan(1000 * 65);
    const order: number[] = [];
    await Promise.all([
      w.whenDurable(1000).then(() => order.push(1000)),
      w.whenDurable(10).then(() => order.push(10)),
    ]);
    expect(order).toEqual([10, 1000]);
    expect(w.durableSeq).toBe(1000);
    expect(w.bufferedBytes).toBe(0);
    w.append(1, tsFor(1001), payloadFor(1001));
    await w.flush();
    expect(w.durableSeq).toBe(1001);
    w.append(1, tsFor(1002), payloadFor(1002));
    await w.close();
    expect(w.durableSeq).toBe(1002);
    const r = LogReader.open(dir);
    expect(r.lastSeq).toBe(1002);
    r.close();
  });

  test('append refuses bad arguments and use after close', async () => {
    const dir = freshDir();
    const w = await LogWriter.open(dir, { metadata: {} });
    w.append(1, 100, new Uint8Array(0));
    for (const [type, ts] of [
      [256, 200],
      [-1, 200],
      [1.5, 200],
      [1, 99],
      [1, 2 ** 53],
      [1, Number.NaN],
    ] as const) {
      expect(() => w.append(type, ts, new Uint8Array(1))).toThrow(
        expect.objectContaining({ code: 'BAD_APPEND' }),
      );
    }
    await expect(w.whenDurable(5)).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await w.close();
    expect(() => w.append(1, 100, new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(LogReader.open(dir, {}).lastSeq).toBe(1);
  });

  test('options and directories are checked', async () => {
    await expect(LogWriter.open(freshDir(), {})).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(LogWriter.open(freshDir(), { metadata: {}, segmentBytes: 10 })).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
    await expect(LogWriter.open(freshDir(), { metadata: {}, batchMs: -1 })).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
    expect(() => LogReader.open(path.join(tmp.path, 'nowhere'))).toThrow(
      expect.objectContaining({ code: 'NOT_A_LOG' }),
    );
    const empty = freshDir();
    fs.mkdirSync(empty);
    expect(() => LogReader.open(empty)).toThrow(LogError);
  });

  test('one writer per directory; metadata must match on reopen; an empty log reads as empty', async () => {
    const dir = freshDir();
    const w = await LogWriter.open(dir, { metadata: { seed: 9 } });
    await expect(LogWriter.open(dir, { metadata: { seed: 9 } })).rejects.toMatchObject({ code: 'LOCKED' });
    const r = LogReader.open(dir);
    expect([r.lastSeq, r.recordCount, r.firstTsUs, r.lastTsUs, r.seek(0)]).toEqual([
      0,
      0,
      null,
      null,
      undefined,
    ]);
    expect([...r.records()]).toEqual([]);
    r.close();
    await w.close();
    await expect(LogWriter.open(dir, { metadata: { seed: 10 } })).rejects.toMatchObject({
      code: 'METADATA_MISMATCH',
    });
    const again = await LogWriter.open(dir, { metadata: { seed: 9 } });
    expect(again.metadata).toEqual({ seed: 9 });
    await again.close();
  });
});
