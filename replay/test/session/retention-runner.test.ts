import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { encodeSegmentHeader, formatBytes, RetentionRunner } from '../../src/index.ts';
import { encodeMetadata } from '../../src/log/segment-header.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/**
 * A directory that looks like a session to the lister: a first segment of `bytes` bytes with a valid header
 * (metadata `{ source }`), then zeros.
 */
function fakeSession(
  dataDir: string,
  name: string,
  bytes: number,
  writtenMs: number,
  source = 'simulator',
): string {
  const dir = join(dataDir, name);
  mkdirSync(dir);
  const file = join(dir, '00000000000000000001.twlog');
  const content = Buffer.alloc(bytes);
  content.set(encodeSegmentHeader(1, encodeMetadata({ source })));
  writeFileSync(file, content);
  utimesSync(file, writtenMs / 1000, writtenMs / 1000);
  return dir;
}

const NOW = Date.UTC(2026, 5, 1);

describe('RetentionRunner', () => {
  test('a pass at start deletes, logs each deletion, and reports the usage; over the bound is said once', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
    roots.push(dataDir);
    const a = fakeSession(dataDir, 'a', 3000, NOW - 3000);
    fakeSession(dataDir, 'b', 2000, NOW - 2000);
    const current = fakeSession(dataDir, 'c', 1000, NOW - 1000);
    const lines: string[] = [];
    const runner = RetentionRunner.start({
      dataDir,
      policy: { maxAgeMs: null, maxBytes: 3500 },
      currentDir: current,
      clockMs: () => NOW,
      log: (l) => lines.push(l),
    });
    try {
      expect(lines).toEqual([`retention: deleted ${a} (3.0 KB)`]);
      expect(runner.usage()).toEqual({
        dataDirBytes: 3000,
        sessionBytes: 1000,
        sessions: 2,
        deletedBytes: 3000,
        deletedSessions: 1,
        overBound: false,
      });
      // The session being written grows past the bound: the other one goes, then nothing more can.
      writeFileSync(join(current, '00000000000000000001.twlog'), Buffer.alloc(5000), { flag: 'a' });
      runner.runOnce();
      runner.runOnce();
      expect(lines).toHaveLength(3);
      expect(lines[2]).toMatch(/exceeds the bound of 3\.5 KB and only sessions being written are left/);
      expect(runner.usage()).toMatchObject({
        dataDirBytes: 6000,
        sessionBytes: 6000,
        sessions: 1,
        overBound: true,
      });
    } finally {
      runner.stop();
    }
  });

  test('after a roll the new session is the one being written, the one rolled from is kept, and a pass follows at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
    roots.push(dataDir);
    const a = fakeSession(dataDir, 'a', 2000, NOW - 4000);
    const b = fakeSession(dataDir, 'b', 2000, NOW - 3000);
    const c = fakeSession(dataDir, 'c', 2000, NOW - 2000);
    const lines: string[] = [];
    const runner = RetentionRunner.start({
      dataDir,
      policy: { maxAgeMs: null, maxBytes: 4500 },
      currentDir: b,
      keep: [a],
      clockMs: () => NOW,
      log: (l) => lines.push(l),
    });
    try {
      // Before the roll: a (kept) and b (being written) stay, c is the oldest that may go: over the bound it goes.
      expect(lines).toEqual([`retention: deleted ${c} (2.0 KB)`]);
      const d = fakeSession(dataDir, 'd', 2000, NOW - 1000);
      runner.rolledTo(d, [b]);
      await new Promise((resolve) => setImmediate(resolve));
      // a is no longer kept and is the oldest: deleted by the pass the roll asked for; b and d stay.
      expect(lines).toEqual([`retention: deleted ${c} (2.0 KB)`, `retention: deleted ${a} (2.0 KB)`]);
      expect(runner.usage()).toMatchObject({ sessionBytes: 2000, dataDirBytes: 4000, sessions: 2 });
    } finally {
      runner.stop();
    }
  });

  test('none deletes nothing and still reports the usage; a failing pass is logged, never thrown', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
    roots.push(dataDir);
    fakeSession(dataDir, 'a', 3000, NOW - 3_600_000_000);
    const current = fakeSession(dataDir, 'b', 100, NOW);
    const lines: string[] = [];
    const runner = RetentionRunner.start({
      dataDir,
      policy: null,
      currentDir: current,
      log: (l) => lines.push(l),
    });
    runner.stop();
    expect(lines).toEqual([]);
    expect(runner.usage()).toMatchObject({ dataDirBytes: 3100, sessions: 2, deletedSessions: 0 });
    const file = join(dataDir, 'not-a-dir');
    writeFileSync(file, '');
    const failing = RetentionRunner.start({
      dataDir: file,
      policy: { maxAgeMs: null, maxBytes: 1 },
      currentDir: current,
      log: (l) => lines.push(l),
    });
    failing.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^retention: a pass failed \(tried again in a minute\): ENOTDIR/);
  });

  test('keep: a session the caller still reads (the one a restart continues from) is never deleted', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
    roots.push(dataDir);
    const a = fakeSession(dataDir, 'a', 3000, NOW - 3000);
    const previous = fakeSession(dataDir, 'b', 2000, NOW - 2000);
    const current = fakeSession(dataDir, 'c', 1000, NOW - 1000);
    const runner = RetentionRunner.start({
      dataDir,
      policy: { maxAgeMs: null, maxBytes: 1 },
      currentDir: current,
      keep: [previous],
      log: () => {},
    });
    runner.stop();
    expect(runner.usage()).toMatchObject({
      sessions: 2,
      deletedBytes: 3000,
      dataDirBytes: 3000,
      overBound: true,
    });
    expect(a).not.toBe(previous);
  });

  test('an imported session is neither counted nor deleted', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
    roots.push(dataDir);
    const amzn = fakeSession(dataDir, 'amzn', 9000, NOW - 3_600_000_000, 'lobster');
    const old = fakeSession(dataDir, 'a', 3000, NOW - 3_600_000_000);
    const current = fakeSession(dataDir, 'c', 1000, NOW);
    const lines: string[] = [];
    const runner = RetentionRunner.start({
      dataDir,
      policy: { maxAgeMs: 3_600_000, maxBytes: 2000 },
      currentDir: current,
      clockMs: () => NOW,
      log: (l) => lines.push(l),
    });
    runner.stop();
    expect(lines).toEqual([`retention: deleted ${old} (3.0 KB)`]);
    expect(runner.usage()).toMatchObject({ dataDirBytes: 1000, sessions: 1, overBound: false });
    expect(amzn).toContain('amzn');
  });

  test.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 KB'],
    [2e9, '2.0 GB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
