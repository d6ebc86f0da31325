import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { formatRecordedBytes, measureRecordedBytes } from '../log/recorded-bytes.ts';

const root = mkdtempSync(join(tmpdir(), 'tickwire-bytes-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the recorded bytes add up: every record is in one kind, and each storage option is weighed', async () => {
  const f = await measureRecordedBytes(root, 200, 5);
  expect(f.commands).toBeGreaterThan(800);
  const kinds = new Map(f.byKind.map((k) => [k.kind, k]));
  expect(kinds.get('input command')?.records).toBe(f.commands);
  for (const k of ['keyframe', 'input tick', 'output trades', 'output candles', 'output book:10']) {
    expect(kinds.has(k), k).toBe(true);
  }
  expect(f.byKind.reduce((n, k) => n + k.records, 0)).toBe(f.records);
  // The files are the records plus one segment header (and no sidecar: one unsealed segment).
  const recordBytes = f.byKind.reduce((n, k) => n + k.bytes, 0);
  expect(f.fileBytes).toBeGreaterThan(recordBytes);
  expect(f.fileBytes - recordBytes).toBeLessThan(4096);
  const today = f.options[0];
  expect(today?.name).toBe('as written (--compression none)');
  expect(today?.bytesPerCommand).toBeCloseTo(f.fileBytes / f.commands, 6);
  expect(today?.mbPerDay).toBeCloseTo((f.fileBytes * (86_400 / 5)) / 1e6, 6);
  for (const o of f.options.slice(1)) expect(o.bytes).toBeLessThan(f.fileBytes);
  expect(formatRecordedBytes(f)).toContain('| (b) 256 KiB blocks, brotli 5 |');
  // Stored as the writer stores it: the one segment compressed, its sidecar beside it, far smaller.
  expect(f.stored.segments).toBe(1);
  expect(f.stored.fileBytes).toBeLessThan(f.fileBytes / 2);
  expect(f.stored.cpuMs).toBeGreaterThan(0);
  expect(f.options.find((o) => o.name.startsWith('stored (.twlogz'))?.bytes).toBe(f.stored.fileBytes);
  expect(formatRecordedBytes(f)).toMatch(/Stored by the log .*: 1 segments compressed in/);
}, 60_000);
