import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LogError, LogReader, LogWriter } from '../../src/index.ts';
import { BLOCK_TABLE_FOOTER_BYTES, blockTableOffset, decodeBlockTable } from '../../src/log/block-table.ts';
import { compressSealed } from './support/compress-sealed.ts';
import { payloadFor, payloadMismatch, tsFor, typeFor } from './support/derived-records.ts';
import { copyDir, tempDir } from './support/temp-dir.ts';

/** A byte range of a segment file whose damage must be refused at `offset`. */
interface Region {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /**
   * 'header': refused somewhere in [0, end); 'record': refused exactly at `start`; 'block' (a compressed
   * block, number `block`): refused at `start` naming the block; 'table' (a block table): refused at the
   * table's footer
   */
  readonly kind: 'header' | 'record' | 'block' | 'table';
  readonly block?: number;
}

const RECORDS = 200;
const tmp = tempDir();
afterAll(() => tmp.remove());

/** Regions of a compressed segment: its header, each block, its table. */
function compressedRegions(file: string, headerEnd: number): Region[] {
  const b = fs.readFileSync(file);
  const t = blockTableOffset(b.subarray(b.length - BLOCK_TABLE_FOOTER_BYTES), b.length) as number;
  const table = decodeBlockTable(b.subarray(t), t, headerEnd);
  if (typeof table === 'string') throw new Error(table);
  const out: Region[] = [{ file, start: 0, end: headerEnd, kind: 'header' }];
  for (let i = 0; i < table.count; i++) {
    const start = table.storedOffset[i] as number;
    out.push({ file, start, end: start + (table.storedLength[i] as number), kind: 'block', block: i });
  }
  out.push({ file, start: t, end: b.length, kind: 'table' });
  return out;
}

describe.each(['raw', 'compressed'] as const)('sealed segments %s', (layout) => {
  const dir = path.join(tmp.path, `log-${layout}`);
  const regions: Region[] = [];
  let eligible = 0;

  beforeAll(async () => {
    const base = path.join(tmp.path, `base-${layout}`);
    const w = await LogWriter.open(base, {
      fsync: 'none',
      segmentBytes: 4096,
      compression: 'none',
      metadata: { seed: 1, v: 'x' },
    });
    for (let seq = 1; seq <= RECORDS; seq++) w.append(typeFor(seq), tsFor(seq), payloadFor(seq));
    await w.close();
    // Compressed: as a writer leaves a log it was writing when it crashed (every segment but the last).
    if (layout === 'compressed') await compressSealed(base);
    copyDir(base, dir);
    const r = LogReader.open(dir);
    const c = r.cursor();
    let seg = -1;
    while (c.next()) {
      const info = r.segments[c.segment];
      const file = info?.file as string;
      if (c.segment !== seg) {
        seg = c.segment;
        if (info?.compressed === true) regions.push(...compressedRegions(file, c.offset));
        else regions.push({ file, start: 0, end: c.offset, kind: 'header' });
      }
      // The last record of the last segment is the tail: damage there is a torn write, cut off by design.
      if (c.seq < RECORDS && info?.compressed === false)
        regions.push({
          file,
          start: c.offset,
          end: c.payloadEnd - c.payloadStart + c.offset + 25,
          kind: 'record',
        });
    }
    r.close();
    eligible = regions.reduce((n, x) => n + x.end - x.start, 0);
    expect(r.segments.length).toBeGreaterThanOrEqual(5);
    expect(r.segments.filter((x) => x.compressed).length).toBe(layout === 'raw' ? 0 : r.segments.length - 1);
  });

  function locate(regions: readonly Region[], k: number): { region: Region; at: number } {
    let left = k;
    for (const region of regions) {
      const n = region.end - region.start;
      if (left < n) return { region, at: region.start + left };
      left -= n;
    }
    throw new Error('out of range');
  }

  function expectRefusedHere(err: unknown, region: Region): void {
    expect(err).toBeInstanceOf(LogError);
    const e = err as LogError;
    expect(e.file).toBe(region.file);
    if (region.kind === 'record') {
      expect(e.code).toBe('CORRUPT_RECORD');
      expect(e.offset).toBe(region.start);
    } else if (region.kind === 'block') {
      expect(e.code).toBe('CORRUPT_BLOCK');
      expect(e.offset).toBe(region.start);
      expect(e.message).toContain(`block ${region.block} of `);
    } else if (region.kind === 'table') {
      expect(e.code).toBe('CORRUPT_BLOCK');
      expect(e.offset).toBe(region.end - BLOCK_TABLE_FOOTER_BYTES);
      expect(e.message).toContain('block table');
    } else {
      expect(['BAD_SEGMENT_HEADER', 'UNSUPPORTED_VERSION']).toContain(e.code);
      expect(e.offset).toBeLessThan(region.end);
    }
    expect(e.message.startsWith(`${region.file} at byte ${e.offset}: `)).toBe(true);
  }

  test('random single-bit flips in records, compressed blocks, block tables and segment headers (not the tail) are refused where they are (100; FLIP_RUNS=n for more)', () => {
    fc.assert(
      fc.property(fc.nat(eligible - 1), fc.nat(7), (k, bit) => {
        const { region, at } = locate(regions, k);
        const bytes = fs.readFileSync(region.file);
        bytes[at] = (bytes[at] as number) ^ (1 << bit);
        fs.writeFileSync(region.file, bytes);
        try {
          // Checking everything up front: open itself refuses.
          let err: unknown;
          try {
            LogReader.open(dir, { verify: 'all', repair: false }).close();
          } catch (e) {
            err = e;
          }
          expectRefusedHere(err, region);

          // The default open checks less up front; then reading refuses, and nothing read before is wrong.
          let read = 0;
          err = undefined;
          try {
            const r = LogReader.open(dir, { repair: false });
            try {
              for (const rec of r.records()) {
                read++;
                const bad = rec.seq !== read || rec.type !== typeFor(read) || rec.tsUs !== tsFor(read);
                if (bad || payloadMismatch(read, rec.payload) !== null)
                  throw new Error(`wrong data at seq ${read}`);
              }
            } finally {
              r.close();
            }
          } catch (e) {
            err = e;
          }
          expectRefusedHere(err, region);
          expect(read).toBeLessThan(RECORDS);
        } finally {
          bytes[at] = (bytes[at] as number) ^ (1 << bit);
          fs.writeFileSync(region.file, bytes);
        }
      }),
      { numRuns: Number(process.env.FLIP_RUNS ?? 100) },
    );
    expect(fs.readdirSync(dir).some((n) => n.includes('.broken'))).toBe(false);
  });
});
