import { describe, expect, test } from 'vitest';
import { parseLogBenchArgs } from '../log/options.ts';
import {
  type CompressionFigures,
  checkTargets,
  compressionMarkdown,
  formatReport,
  type LogBenchResult,
  type ReadFigures,
} from '../log/report.ts';
import { MAX_PAYLOAD, MIN_PAYLOAD, payloadPool, tsOf } from '../log/workload.ts';

describe('bench:log', () => {
  test('flags: defaults, --quick, explicit values, --help, bad values', () => {
    expect(parseLogBenchArgs([])).toMatchObject({ records: 10_000_000, seeks: 1000, quick: false });
    expect(parseLogBenchArgs(['--quick'])).toMatchObject({ records: 1_000_000, quick: true });
    expect(parseLogBenchArgs(['--records', '2e6', '--seeks', '50', '--tmp', '/x'])).toMatchObject({
      records: 2_000_000,
      seeks: 50,
      tmpDir: '/x',
    });
    expect(parseLogBenchArgs(['--help'])).toBeNull();
    expect(() => parseLogBenchArgs(['--records', '10'])).toThrow(/--records must be an integer ≥ 1000/);
    expect(() => parseLogBenchArgs(['--bogus'])).toThrow();
  });

  test('payloads of 40–120 bytes, non-decreasing times', () => {
    const pool = payloadPool(1);
    expect(pool).toHaveLength(4096);
    expect(Math.min(...pool.map((p) => p.length))).toBe(MIN_PAYLOAD);
    expect(Math.max(...pool.map((p) => p.length))).toBe(MAX_PAYLOAD);
    expect(payloadPool(1)).toEqual(pool);
    for (let i = 1; i < 1000; i++) expect(tsOf(0, i)).toBeGreaterThanOrEqual(tsOf(0, i - 1));
  });

  test('targets and the report', () => {
    const figures = {
      appends: [
        {
          fsync: 'batch',
          records: 10_000_000,
          bytes: 1e9,
          seconds: 8,
          recordsPerSec: 1.25e6,
          mbPerSec: 119,
          appendCallNs: 400,
        },
      ],
      seek: {
        records: 10_000_000,
        segments: 16,
        seeks: 1000,
        checked: 20,
        openMs: 100,
        p50Ms: 0.8,
        p99Ms: 2,
        maxMs: 61,
      },
      sessions: null,
    } as const;
    const targets = checkTargets(figures);
    expect(targets.map((t) => t.pass)).toEqual([true, false]);
    const result: LogBenchResult = {
      node: 'v20',
      cpu: 'cpu',
      cpus: 2,
      platform: 'linux x64',
      loadAverage: [0.1, 0.2],
      options: {
        records: 1e7,
        noneRecords: 1,
        alwaysRecords: 1,
        seeks: 1000,
        sessionMessages: 0,
        bytesSeconds: 0,
        tmpDir: undefined,
        seed: 1,
        json: false,
        quick: false,
      },
      ...figures,
      reads: [{ method: 'cursor', records: 1e7, seconds: 4, recordsPerSec: 2.5e6, mbPerSec: 250 }],
      recovery: {
        cleanOpenMs: 120,
        lastSegmentBytes: 40 * 2 ** 20,
        tornTailWriterOpenMs: 130,
        verifyAllMs: 3000,
      },
      targets,
    };
    const seek = { ...figures.seek, records: 1e6, segments: 2, seeks: 200 };
    const compression: CompressionFigures = {
      records: 1e6,
      segments: 2,
      bytes: 100 * 2 ** 20,
      storedBytes: 40 * 2 ** 20,
      compressWallMs: 3000,
      compressCpuMs: 2500,
      compressCpuMsPerSegment: 1600,
      raw: { reads: [{ ...result.reads[0], recordsPerSec: 2e6 }] as ReadFigures[], seek },
      compressed: {
        reads: [{ ...result.reads[0], recordsPerSec: 1.5e6 }] as ReadFigures[],
        seek: { ...seek, p50Ms: 1.5 },
      },
    };
    const text = formatReport({ ...result, compression });
    expect(compressionMarkdown(compression)).toContain(
      '| read, cursor (records/s) | 2,000,000 | 1,500,000 |',
    );
    expect(text).toContain('100.0 MiB as written, 40.0 MiB compressed (40.0%)');
    expect(text).toMatch(/read, cursor +2,000,000\/s +1,500,000\/s/);
    expect(text).toMatch(/seek p50 +0\.80 ms +1\.50 ms/);
    expect(text).toMatch(/append, fsync batch \(10M records\) +≥ 1M records\/s +1\.25M records\/s +PASS/);
    expect(text).toMatch(/seek, slowest of 1,000 \(10M records\) +≤ 50 ms +61 ms +FAIL/);
  });
});
