import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  LogError,
  LogReader,
  readRecordingSidecar,
  recordLiveSession,
  resimulate,
  SessionReader,
} from '../../src/index.ts';

const dataDirs: string[] = [];
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

/** The live pipeline on a simulated clock, recorded as `tickwire serve` records it. */
async function livePipeline(options: { maxBufferedBytes?: number; segmentBytes?: number }) {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 0, 1);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 5, instruments, rate: 5000, publisher, clockMs });
  let published = 0;
  bus.subscribe('trades:BTC-USD', () => published++);
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-recorder-'));
  dataDirs.push(dataDir);
  const errors: unknown[] = [];
  const degraded: string[] = [];
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    {
      dataDir,
      fsync: 'batch',
      seed: 5,
      rate: 5000,
      clockMs,
      onError: (e) => errors.push(e),
      onDegraded: (why) => degraded.push(why),
      ...options,
    },
  );
  /** `n` pumps of 5 ms of feed time, without yielding to the event loop (no write can complete meanwhile) */
  const pump = (n: number) => {
    for (let i = 0; i < n; i++) {
      nowMs += 5;
      driver.pump();
    }
  };
  return { rec, pump, errors, degraded, published: () => published };
}

describe('SessionRecorder under load: bounded, never silent', () => {
  test('at its bound it stops appending, keeps the feed going, counts the drops; the log is a whole, re-simulable prefix', async () => {
    const max = 256 * 1024;
    const p = await livePipeline({ maxBufferedBytes: max });
    expect(p.rec.status().state).toBe('recording');
    // No write can complete while the pipeline runs without yielding: the buffer reaches the bound.
    let peak = 0;
    for (let i = 0; i < 400; i++) {
      p.pump(1);
      peak = Math.max(peak, p.rec.status().bufferedBytes);
    }
    const s = p.rec.status();
    expect(s.state).toBe('degraded');
    expect(s.reason).toMatch(/fell behind the feed/);
    expect(s.droppedRecords).toBeGreaterThan(0);
    expect(p.degraded).toHaveLength(1);
    expect(p.errors).toEqual([]);
    // Bounded: past the bound by at most one input's output.
    expect(peak).toBeLessThan(max + 64 * 1024);
    const tradesBefore = p.published();
    const dropped = s.droppedRecords;
    p.pump(400);
    expect(p.published()).toBeGreaterThan(tradesBefore); // the live feed goes on
    expect(p.rec.status().droppedRecords).toBeGreaterThan(dropped);
    expect(p.rec.status().bufferedBytes).toBeLessThanOrEqual(peak);
    const appended = p.rec.status().appendedSeq;
    expect(appended).toBe(s.appendedSeq); // nothing appended since it degraded

    // Left alone, it writes what it holds.
    await vi.waitFor(() => expect(p.rec.status().durableSeq).toBe(appended), { timeout: 10_000 });
    expect(p.rec.status().lagSeconds).toBe(0);
    await p.rec.close();

    const sidecar = readRecordingSidecar(p.rec.recorder.dir);
    expect(sidecar).toMatchObject({ state: 'degraded', lastSeq: appended, writeErrors: 0 });
    expect(sidecar?.droppedRecords).toBe(p.rec.status().droppedRecords);
    const log = LogReader.open(p.rec.recorder.dir, { repair: false, verify: 'all' });
    expect(log.lastSeq).toBe(appended);
    log.close();
    // It ends after a whole input: re-simulating it diverges nowhere.
    const reader = SessionReader.open(p.rec.recorder.dir);
    expect(resimulate(reader).divergence).toBeNull();
    reader.close();
  }, 60_000);

  test('a write failure (its directory moved away): one report, a failed state, the feed goes on, what was written verifies', async () => {
    const p = await livePipeline({ segmentBytes: 64 * 1024 });
    expect(p.rec.status().maxBufferedBytes).toBe(DEFAULT_MAX_BUFFERED_BYTES); // a live recording is bounded
    const dir = p.rec.recorder.dir;
    p.pump(20);
    await vi.waitFor(() => expect(p.rec.status().durableSeq).toBe(p.rec.status().appendedSeq));
    const moved = `${dir}-moved`;
    renameSync(dir, moved); // the open segment still writes; the next one cannot be created
    for (let i = 0; i < 400 && p.rec.status().state === 'recording'; i++) {
      p.pump(5);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const s = p.rec.status();
    expect(s.state).toBe('failed');
    expect(s.writeErrors).toBe(1);
    expect(s.reason).toMatch(/ENOENT/);
    const published = p.published();
    p.pump(200);
    expect(p.published()).toBeGreaterThan(published);
    expect(p.rec.status().droppedRecords).toBeGreaterThan(s.droppedRecords);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toBeInstanceOf(LogError);
    await expect(p.rec.close()).rejects.toBeInstanceOf(LogError);
    expect(p.errors).toHaveLength(1); // reported once

    const log = LogReader.open(moved, { repair: false, verify: 'all' });
    expect(log.lastSeq).toBeGreaterThanOrEqual(s.durableSeq);
    log.close();
  }, 60_000);
});
