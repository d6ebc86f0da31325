import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  listRecordedSessions,
  type MessageHead,
  RECORD_TYPES,
  type RecordLiveOptions,
  ReplayError,
  readMessageHead,
  recordLiveSession,
  resimulate,
  resimulateChain,
  SessionReader,
  type SessionRoll,
} from '../../src/index.ts';

// recordLiveSession's rolling on a simulated clock: deterministic, no sockets, no wall-clock time.

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const START_MS = Date.UTC(2026, 11, 2, 12, 0, 0);

async function record(options: Partial<RecordLiveOptions>, pumps: number, stepMs: number, rate = 200) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-record-live-'));
  roots.push(dataDir);
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = START_MS;
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 5, instruments, rate, publisher, clockMs });
  // Each keyframe built exports the producer's state once.
  const exportState = vi.spyOn(publisher, 'exportState');
  const rolls: SessionRoll[] = [];
  const errors: unknown[] = [];
  const rollErrors: Error[] = [];
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    {
      dataDir,
      fsync: 'none',
      seed: 5,
      rate,
      clockMs,
      maxBufferedBytes: Number.POSITIVE_INFINITY,
      onRoll: (r) => rolls.push(r),
      onError: (e) => errors.push(e),
      onRollError: (e) => rollErrors.push(e),
      ...options,
    },
  );
  const step = (n: number): void => {
    for (let i = 0; i < n; i++) {
      nowMs += stepMs;
      driver.pump();
    }
  };
  step(pumps);
  return {
    dataDir,
    rec,
    rolls,
    errors,
    rollErrors,
    step,
    keyframesBuilt: () => exportState.mock.calls.length,
  };
}

function channelSeqs(reader: SessionReader): [string, number][] {
  const names = new Map(reader.metadata.channels.map(([id, name]) => [id, name]));
  const head: MessageHead = { channelId: 0, seq: 0 };
  const out: [string, number][] = [];
  const c = reader.log.cursor();
  while (c.next()) {
    if (c.type !== RECORD_TYPES.MESSAGE) continue;
    readMessageHead(c.payload, head);
    out.push([names.get(head.channelId) as string, head.seq]);
  }
  return out;
}

/** The payload of the keyframe record at `seq`. */
function keyframePayload(reader: SessionReader, seq: number): Uint8Array {
  const c = reader.log.cursor(seq);
  expect(c.next()).toBe(true);
  expect(c.type).toBe(RECORD_TYPES.KEYFRAME);
  return Uint8Array.from(c.payload);
}

describe('recordLiveSession when a session cannot be opened', () => {
  test('the directory made for it goes again: no empty session is left for every later start to skip', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-record-live-'));
    roots.push(dataDir);
    // Metadata over the log's 1 MiB limit: the directory is made, then the log refuses its header.
    const initialPrices = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, i) => [`SYMBOL-${String(i).padStart(8, '0')}`, 1]),
    );
    await expect(record({ dataDir, initialPrices }, 0, 5)).rejects.toThrow(/metadata/i);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('recordLiveSession with a roll policy', () => {
  test('rolls at the age bound of feed time: each session a minute, contiguous, the first re-simulates, the others are refused', async () => {
    const { dataDir, rec, rolls, errors } = await record(
      { roll: { maxAgeUs: 60_000_000, maxBytes: null } },
      (3.5 * 60_000) / 50,
      50,
    );
    expect(rec.rolls).toBe(3);
    expect(rec.status()).toMatchObject({ state: 'recording', rolls: 3, droppedRecords: 0, writeErrors: 0 });
    await rec.close();
    expect(errors).toEqual([]);
    const dirs = listRecordedSessions(dataDir).map((s) => s.dir);
    expect(dirs).toHaveLength(4);
    expect(rolls.map((r) => [r.from, r.to])).toEqual([
      [dirs[0], dirs[1]],
      [dirs[1], dirs[2]],
      [dirs[2], dirs[3]],
    ]);
    const readers = dirs.map((d) => SessionReader.open(d));
    try {
      const last = new Map<string, number>();
      for (const [i, r] of readers.entries()) {
        if (i > 0) {
          const startUs = r.metadata.startUs;
          // Rolled at the first step a minute or more after the previous session's start.
          expect(startUs - (readers[i - 1] as SessionReader).metadata.startUs).toBeGreaterThanOrEqual(
            60_000_000,
          );
          expect(startUs - (readers[i - 1] as SessionReader).metadata.startUs).toBeLessThan(60_100_000);
          expect(r.metadata.continues).toMatchObject({
            rolled: true,
            chainStart: basename(dirs[0] as string),
          });
          expect(() => resimulate(r)).toThrow(ReplayError);
        }
        for (const [channel, seq] of channelSeqs(r)) {
          expect([channel, seq]).toEqual([channel, (last.get(channel) ?? 0) + 1]);
          last.set(channel, seq);
        }
      }
      expect(resimulate(readers[0] as SessionReader)).toMatchObject({ divergence: null, cutOff: false });
      let refused: unknown;
      try {
        resimulate(readers[1] as SessionReader);
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({ code: 'ROLLED_SESSION' });
      expect((refused as ReplayError).message).toContain(basename(dirs[0] as string));

      // The whole chain re-simulates from its first session: each rolled session's first keyframe checked.
      const chain = resimulateChain(readers);
      expect(chain).toMatchObject({ divergence: null, cutOff: false, keyframes: expect.any(Number) });
      expect(chain.commands).toBeGreaterThan(
        (resimulate(readers[0] as SessionReader) as { commands: number }).commands,
      );
      expect(() => resimulateChain([readers[0], readers[2]] as SessionReader[])).toThrow(
        /is not rolled from/,
      );
    } finally {
      for (const r of readers) r.close();
    }
  });

  test('a roll builds its keyframe once: the old log ends and the new one starts with the same bytes', async () => {
    const { dataDir, rec, keyframesBuilt } = await record(
      { roll: { maxAgeUs: 60_000_000, maxBytes: null } },
      (3.5 * 60_000) / 50,
      50,
    );
    await rec.close();
    expect(rec.rolls).toBe(3);
    const readers = listRecordedSessions(dataDir).map((s) => SessionReader.open(s.dir));
    try {
      const keyframes = readers.reduce((n, r) => n + r.keyframes.length, 0);
      expect(keyframesBuilt()).toBe(keyframes - rec.rolls);
      for (let i = 1; i < readers.length; i++) {
        const before = readers[i - 1] as SessionReader;
        expect(before.keyframes.at(-1)?.seq).toBe(before.lastSeq);
        expect(keyframePayload(readers[i] as SessionReader, 1)).toEqual(
          keyframePayload(before, before.lastSeq),
        );
      }
    } finally {
      for (const r of readers) r.close();
    }
  });

  test('rolls at the size bound, never at a session holding only its first keyframe', async () => {
    // A bound below a keyframe's size: each session still gets inputs after its first keyframe.
    const { dataDir, rec, rolls } = await record({ roll: { maxAgeUs: null, maxBytes: 1 } }, 40, 5, 2000);
    await rec.close();
    expect(rolls.length).toBeGreaterThan(5);
    for (const r of rolls) expect(r.records).toBeGreaterThan(1);
    expect(listRecordedSessions(dataDir)).toHaveLength(rolls.length + 1);
  });

  test('when the new session directory cannot be created, rolling stops, said once, and the recording goes on in its session', async () => {
    const { dataDir, rec, rolls, errors, rollErrors, step } = await record(
      { roll: { maxAgeUs: 60_000_000, maxBytes: null } },
      30_000 / 50,
      50,
    );
    const first = rec.recorder.dir;
    // The data directory moved away and a file in its place: no directory can be made there, even as root
    // (which permissions would not stop). The session's log is written through its open files meanwhile.
    const aside = `${dataDir}.aside`;
    renameSync(dataDir, aside);
    writeFileSync(dataDir, '');
    try {
      step(40_000 / 50); // past the minute's bound
    } finally {
      rmSync(dataDir);
      renameSync(aside, dataDir);
    }
    expect(rolls).toEqual([]);
    expect(rollErrors).toHaveLength(1);
    expect(rollErrors[0]?.message).toMatch(
      new RegExp(`^cannot roll to a new session, rolling stops and the recording goes on in ${first}: `),
    );
    // Two more bounds, the directory back: rolling stays stopped, nothing more is said.
    step((2 * 60_000) / 50);
    expect(rollErrors).toHaveLength(1);
    expect(rec.recorder.dir).toBe(first);
    expect(rec.status()).toMatchObject({
      state: 'recording',
      dir: first,
      rolls: 0,
      rollFailures: 1,
      droppedRecords: 0,
      writeErrors: 0,
    });
    await rec.close();
    expect(errors).toEqual([]);
    expect(listRecordedSessions(dataDir).map((s) => s.dir)).toEqual([first]);
    const reader = SessionReader.open(first);
    try {
      // The one session holds the whole run, 190 s of feed time, every channel's seqs without a gap.
      expect((reader.log.lastTsUs as number) - reader.metadata.startUs).toBe(190_000_000);
      const last = new Map<string, number>();
      for (const [channel, seq] of channelSeqs(reader)) {
        expect([channel, seq]).toEqual([channel, (last.get(channel) ?? 0) + 1]);
        last.set(channel, seq);
      }
      expect(resimulate(reader)).toMatchObject({ divergence: null, cutOff: false });
    } finally {
      reader.close();
    }
  });

  test('without a roll policy one session records the whole run', async () => {
    const { dataDir, rec } = await record({}, 2000, 50);
    await rec.close();
    expect(rec.rolls).toBe(0);
    expect(listRecordedSessions(dataDir)).toHaveLength(1);
  });
});
