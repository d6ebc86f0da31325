import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LogReader, LogWriter, writeRecordingSidecar } from '../../replay/src/index.ts';
import { isoUs, LOG_INFO_SECTIONS, LOG_USAGE } from '../src/log-command.ts';
import { main } from '../src/main.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tickwire-log-cli-'));
const good = path.join(tmp, 'good');
const START_US = 1_767_225_600_000_000;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  const w = await LogWriter.open(good, {
    fsync: 'none',
    segmentBytes: 4096,
    // As written: the torn-tail and damage tests below work on .twlog files; `log compress` makes the rest.
    compression: 'none',
    metadata: { seed: 7, instruments: ['BTC-USD', 'AMZN'], engine: '0.1.0' },
  });
  for (let i = 1; i <= 300; i++)
    w.append(i % 10 === 0 ? 3 : 1 + (i % 2), START_US + i * 1_000_000, new Uint8Array(40 + (i % 30)));
  await w.close();
});

/** Runs `tickwire ARGV` in-process with captured streams. */
async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(argv, { stdout, stderr, env: {} });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

function copyOf(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(good, dir, { recursive: true });
  return dir;
}

describe('tickwire log verify', () => {
  test('a sound log: exit 0 and the counts', async () => {
    const { code, stdout, stderr } = await run('log', 'verify', good);
    expect([code, stderr]).toEqual([0, '']);
    const r = LogReader.open(good);
    const bytes = r.segments.reduce((n, s) => n + s.bytes, 0);
    expect(stdout).toContain(`${good}: OK, every record checked`);
    expect(stdout).toContain(`segments  ${r.segments.length} (00000000000000000001.twlog … `);
    expect(stdout).toContain('records   300 (seq 1 … 300)');
    expect(stdout).toContain(`bytes     ${bytes.toLocaleString('en-US')} (payloads `);
    expect(stdout).toContain('per type  1 command: 120, 2 message: 150, 3 keyframe: 30');
    expect(stdout).toContain(
      'span      2026-01-01T00:00:01.000000Z … 2026-01-01T00:05:00.000000Z (4m 59.000s)',
    );
    r.close();
  });

  test('a torn tail is reported, not corruption, and left in place', async () => {
    const dir = copyOf('torn');
    const last = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.twlog'))
      .sort()
      .at(-1) as string;
    const file = path.join(dir, last);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 7);
    const { code, stdout } = await run('log', 'verify', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('records   299 ');
    expect(stdout).toMatch(
      /note: .*torn tail of \d+ bytes at byte \d+ .*: not corruption; the next open cuts it off/,
    );
    expect(fs.statSync(file).size).toBe(size - 7);
  });

  test('corruption: exit 1, naming the file and the byte offset', async () => {
    const dir = copyOf('corrupt');
    const r = LogReader.open(dir);
    const pos = r.positionOfSeq(40);
    r.close();
    const bytes = fs.readFileSync(pos?.file as string);
    const at = (pos?.offset as number) + 30;
    bytes[at] = (bytes[at] as number) ^ 0x40;
    fs.writeFileSync(pos?.file as string, bytes);
    const { code, stdout, stderr } = await run('log', 'verify', dir);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe(
      `tickwire log verify: CORRUPT: ${pos?.file} at byte ${pos?.offset}: CRC32C mismatch (expected seq 40) [CORRUPT_RECORD]\n`,
    );
  });

  test('not a log: exit 1', async () => {
    const { code, stderr } = await run('log', 'verify', path.join(tmp, 'nowhere'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/nowhere: cannot read the directory: ENOENT.*\[NOT_A_LOG\]/);
  });
});

describe('tickwire log info', () => {
  test('metadata, span in UTC, records per type', async () => {
    const { code, stdout, stderr } = await run('log', 'info', good);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain(
      `log       ${good}\nmetadata\n  seed           7\n  instruments    ["BTC-USD","AMZN"]\n`,
    );
    expect(stdout).toContain(
      'span      2026-01-01T00:00:01.000000Z … 2026-01-01T00:05:00.000000Z (4m 59.000s)',
    );
    expect(stdout).toMatch(/records {3}300 in \d+ segments, [\d,]+ bytes/);
    expect(stdout).toContain('per type  1 command: 120, 2 message: 150, 3 keyframe: 30');
  });

  test('sections registered in LOG_INFO_SECTIONS see every record (the hook for per-channel counts)', async () => {
    LOG_INFO_SECTIONS.push({
      title: 'payload bytes of type 3',
      create: (metadata) => {
        let bytes = 0;
        return {
          observe: (_seq, _ts, type, _buf, start, end) => {
            if (type === 3) bytes += end - start;
          },
          lines: () => [`${bytes} (seed ${String(metadata.seed)})`],
        };
      },
    });
    try {
      const { code, stdout } = await run('log', 'info', good);
      expect(code).toBe(0);
      expect(stdout).toMatch(/\npayload bytes of type 3\n {2}\d+ \(seed 7\)\n$/);
    } finally {
      LOG_INFO_SECTIONS.pop();
    }
  });
});

describe('usage', () => {
  test.each([
    [['log']],
    [['log', 'bogus', good]],
    [['log', 'info']],
    [['log', 'verify', good, 'extra']],
    [['log', 'verify', '--x']],
  ])('%j exits 2', async (argv) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tickwire log: .*\nRun 'tickwire log --help' for usage\.\n$/);
  });

  test('--help, and the command list', async () => {
    expect(await run('log', '--help')).toEqual({ code: 0, stdout: LOG_USAGE, stderr: '' });
    expect((await run('--help')).stdout).toContain('  log         check a recorded session log');
  });

  test('isoUs keeps the microseconds', () => {
    expect(isoUs(START_US + 123_456)).toBe('2026-01-01T00:00:00.123456Z');
  });

  test('through the real binary: exit status 1 for a corrupt log', () => {
    const bin = fileURLToPath(new URL('../bin/tickwire.js', import.meta.url));
    const dir = copyOf('bin');
    const first = path.join(dir, '00000000000000000001.twlog');
    const bytes = fs.readFileSync(first);
    bytes[0] = (bytes[0] as number) ^ 1;
    fs.writeFileSync(first, bytes);
    const r = spawnSync(process.execPath, [bin, 'log', 'verify', dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${first} at byte 0: not a tickwire log segment (wrong magic) [BAD_SEGMENT_HEADER]`,
    );
  });
});

describe('tickwire log compress', () => {
  test('compresses a finished log: verify and info then show it smaller on disk, every record the same', async () => {
    const dir = copyOf('compress');
    const raw = LogReader.open(good);
    const bytes = raw.segments.reduce((n, s) => n + s.bytes, 0);
    const n = raw.segments.length;
    raw.close();
    const done = await run('log', 'compress', dir);
    expect([done.code, done.stderr]).toEqual([0, '']);
    expect(done.stdout).toContain(`${dir}: ${n} segment(s) compressed`);
    expect(done.stdout).toContain(
      `  before    ${bytes.toLocaleString('en-US')} bytes (0 of ${n} segments compressed: 100.0% of`,
    );
    expect(done.stdout).toMatch(
      new RegExp(`  after     [\\d,]+ bytes \\(${n} of ${n} segments compressed: \\d+\\.\\d% of `),
    );
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.twlog'))).toEqual([]);

    const verify = await run('log', 'verify', dir);
    const before = (await run('log', 'verify', good)).stdout;
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`segments  ${n} (00000000000000000001.twlogz … `);
    expect(verify.stdout).toMatch(new RegExp(`on disk   [\\d,]+ bytes \\(${n} of ${n} segments compressed`));
    // The same counts as the log as written, line for line, but for the file names and sizes on disk.
    const same = (t: string) => t.split('\n').filter((l) => !/segments |on disk|: OK/.test(l));
    expect(same(verify.stdout)).toEqual(same(before));
    expect((await run('log', 'info', dir)).stdout).toMatch(
      /\non disk {3}[\d,]+ bytes \(\d+ of \d+ segments compressed/,
    );
    // Nothing left to do the second time.
    expect((await run('log', 'compress', dir)).stdout).toContain(': 0 segment(s) compressed');
  });

  test('a bit flipped in a compressed block: verify exits 1 naming the file and the block', async () => {
    const dir = copyOf('flip');
    await run('log', 'compress', dir);
    const file = path.join(dir, '00000000000000000001.twlogz');
    const bytes = fs.readFileSync(file);
    const r = LogReader.open(dir);
    const header = r.cursor();
    header.next();
    r.close();
    bytes[header.offset + 3] = (bytes[header.offset + 3] as number) ^ 4;
    fs.writeFileSync(file, bytes);
    const { code, stderr } = await run('log', 'verify', dir);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file} at byte ${header.offset}: block 0 of `);
    expect(stderr).toContain('fails its CRC32C [CORRUPT_BLOCK]');
  });

  test('a log another process writes is refused', async () => {
    const dir = copyOf('locked');
    const w = await LogWriter.open(dir, { fsync: 'none', compression: 'none' });
    const { code, stderr } = await run('log', 'compress', dir);
    await w.close();
    expect(code).toBe(1);
    expect(stderr).toContain('[LOCKED]');
  });
});

describe('a session whose recording is incomplete (recording.json)', () => {
  test('log info and log verify say it was degraded, where and why; a malformed sidecar is an error', async () => {
    const dir = copyOf('degraded');
    writeRecordingSidecar(dir, {
      state: 'degraded',
      reason: 'fell behind the feed',
      stoppedUs: START_US + 300_000_000,
      lastSeq: 300,
      droppedRecords: 1234,
      writeErrors: 0,
    });
    for (const sub of ['info', 'verify']) {
      const { code, stdout } = await run('log', sub, dir);
      expect(code).toBe(0);
      expect(stdout).toContain(
        'recording DEGRADED at 2026-01-01T00:05:00.000000Z after seq 300: 1,234 records dropped, 0 write errors',
      );
      expect(stdout).toContain('  reason: fell behind the feed');
    }
    expect((await run('log', 'info', good)).stdout).not.toContain('recording');
    fs.writeFileSync(path.join(dir, 'recording.json'), '{"state":');
    const bad = await run('log', 'info', dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/recording\.json.*\[BAD_SESSION\]/);
  });
});
