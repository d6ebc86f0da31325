import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  applyRetention,
  DELETING_SUFFIX,
  LogReader,
  listSessions,
  recordLiveSession,
  resimulate,
  SessionReader,
} from '../../src/index.ts';

// Issue 12, "After the first day": retention fills its bound with real recorded sessions (the live pipeline on a
// simulated clock, as `serve` records) and must delete the oldest first, keep the one being written, and leave
// logs that still verify and re-simulate.

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1, 12);

/** Records `seconds` of the simulator at `rate` into a new session under `dataDir`; `open` leaves it being written. */
async function record(dataDir: string, startMs: number, seconds: number, open = false) {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = startMs;
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 7, instruments, rate: 2000, publisher, clockMs });
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    { dataDir, fsync: 'none', seed: 7, rate: 2000, clockMs, maxBufferedBytes: Number.POSITIVE_INFINITY },
  );
  for (let i = 0; i < (seconds * 1000) / 5; i++) {
    nowMs += 5;
    driver.pump();
  }
  if (!open) await rec.close();
  else {
    // Let the group commit write what was appended, as it does between the live feed's pumps.
    while (rec.status().durableSeq < rec.status().appendedSeq) await new Promise((r) => setTimeout(r, 5));
  }
  return { dir: rec.recorder.dir, close: () => rec.close() };
}

/** Sets every file of a session as last written at `ms`. */
function age(dir: string, ms: number): void {
  for (const name of readdirSync(dir)) utimesSync(join(dir, name), ms / 1000, ms / 1000);
}

/** `tickwire log verify`'s check (every record's CRC32C, seq, ts) and a re-simulation with zero divergence. */
function verifies(dir: string): boolean {
  LogReader.open(dir, { verify: 'all', repair: false, onWarning: () => {} }).close();
  const reader = SessionReader.open(dir, { repair: false, onWarning: () => {} });
  try {
    return resimulate(reader).divergence === null;
  } finally {
    reader.close();
  }
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A data directory with three finished sessions written 3, 2 and 1 days ago and one being written now. */
async function dataDirWithSessions() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-retain-'));
  roots.push(dataDir);
  const oldest = await record(dataDir, NOW - 72 * HOUR, 2);
  const older = await record(dataDir, NOW - 48 * HOUR, 2);
  const newer = await record(dataDir, NOW - 24 * HOUR, 2);
  const current = await record(dataDir, NOW, 2, true);
  age(oldest.dir, NOW - 72 * HOUR + 60_000);
  age(older.dir, NOW - 48 * HOUR + 60_000);
  age(newer.dir, NOW - 24 * HOUR + 60_000);
  return { dataDir, oldest: oldest.dir, older: older.dir, newer: newer.dir, current };
}

describe('retention over real recorded sessions', () => {
  let d: Awaited<ReturnType<typeof dataDirWithSessions>>;
  beforeAll(async () => {
    d = await dataDirWithSessions();
  }, 120_000);

  test('lists the sessions oldest first with their bytes; the one being written is locked', () => {
    const sessions = listSessions(d.dataDir);
    expect(sessions.map((s) => s.dir)).toEqual([d.oldest, d.older, d.newer, d.current.dir]);
    expect(sessions.map((s) => s.locked)).toEqual([false, false, false, true]);
    for (const s of sessions) expect(s.bytes).toBeGreaterThan(10_000);
  });

  test('a size bound deletes the oldest first until the rest fit; the session being written is kept', async () => {
    const before = listSessions(d.dataDir);
    const bytesOf = (dir: string) => before.find((s) => s.dir === dir)?.bytes ?? 0;
    // Room for the two newest and half of the one before: the two oldest must go, and only they.
    const bound = bytesOf(d.newer) + bytesOf(d.current.dir) + Math.floor(bytesOf(d.older) / 2);
    const pass = applyRetention(
      d.dataDir,
      { maxAgeMs: null, maxBytes: bound },
      { nowMs: NOW, keep: [d.current.dir] },
    );
    expect(pass.deleted.map((s) => s.dir)).toEqual([d.oldest, d.older]);
    expect(pass.kept.map((s) => s.dir)).toEqual([d.newer, d.current.dir]);
    expect(pass.keptBytes).toBeLessThanOrEqual(bound);
    expect(pass.overBound).toBe(false);
    expect(listSessions(d.dataDir).map((s) => s.dir)).toEqual([d.newer, d.current.dir]);
    // What remains is whole: it verifies record by record and re-simulates with zero divergence, the session
    // being written included once its writer closes.
    expect(verifies(d.newer)).toBe(true);
    await d.current.close();
    expect(verifies(d.current.dir)).toBe(true);
  }, 120_000);
});

describe('retention bounds', () => {
  test('an age bound deletes the sessions last written before it, whatever their size', async () => {
    const d = await dataDirWithSessions();
    const pass = applyRetention(d.dataDir, { maxAgeMs: 36 * HOUR, maxBytes: null }, { nowMs: NOW });
    expect(pass.deleted.map((s) => s.dir)).toEqual([d.oldest, d.older]);
    expect(pass.kept.map((s) => s.dir)).toEqual([d.newer, d.current.dir]);
    await d.current.close();
    expect(verifies(d.newer)).toBe(true);
  }, 120_000);

  test('a bound below the session being written deletes all the rest and says it is still over', async () => {
    const d = await dataDirWithSessions();
    // Not even in `keep`: its writer's LOCK (this live process) protects it.
    const pass = applyRetention(d.dataDir, { maxAgeMs: HOUR, maxBytes: 1 }, { nowMs: NOW });
    expect(pass.deleted.map((s) => s.dir)).toEqual([d.oldest, d.older, d.newer]);
    expect(pass.kept.map((s) => s.dir)).toEqual([d.current.dir]);
    expect(pass.overBound).toBe(true);
    await d.current.close();
    expect(verifies(d.current.dir)).toBe(true);
  }, 120_000);

  test('a session another live process writes is kept; anything that is not a session is never touched', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-retain-'));
    roots.push(dataDir);
    const other = await record(dataDir, NOW - 72 * HOUR, 1);
    const mine = await record(dataDir, NOW - 48 * HOUR, 1);
    // The parent process (the test runner) is alive: its pid in LOCK is a live writer.
    writeFileSync(join(other.dir, 'LOCK'), `${process.ppid}\n`);
    mkdirSync(join(dataDir, 'notes'));
    writeFileSync(join(dataDir, 'notes', 'todo.txt'), 'keep me');
    writeFileSync(join(dataDir, 'README.txt'), 'keep me too');
    // A deletion a crash interrupted: finished by the next pass.
    mkdirSync(join(dataDir, `2026-01-01T00-00-00Z${DELETING_SUFFIX}`));
    const pass = applyRetention(dataDir, { maxAgeMs: null, maxBytes: 1 }, { nowMs: NOW });
    expect(pass.deleted.map((s) => basename(s.dir))).toEqual([basename(mine.dir)]);
    expect(pass.kept.map((s) => s.dir)).toEqual([other.dir]);
    expect(readdirSync(dataDir).sort()).toEqual(['README.txt', basename(other.dir), 'notes'].sort());
  }, 120_000);

  test('no policy bound deletes nothing; a missing data directory has no sessions', async () => {
    expect(listSessions(join(tmpdir(), 'tickwire-no-such-dir-12'))).toEqual([]);
    const d = await dataDirWithSessions();
    const pass = applyRetention(d.dataDir, { maxAgeMs: null, maxBytes: null }, { nowMs: NOW });
    expect(pass.deleted).toEqual([]);
    expect(pass.kept).toHaveLength(4);
    await d.current.close();
  }, 120_000);
});
