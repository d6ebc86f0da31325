import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  continueFromDataDir,
  LogWriter,
  RECORD_TYPES,
  readSessionEnd,
  SessionReader,
} from '../../src/index.ts';
import { recordSimulatedSession } from '../support/recorded-session.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the session without its closing keyframe: a session cut off by kill -9 after a few records. */
async function withoutLastKeyframe(dir: string): Promise<string> {
  const original = SessionReader.open(dir);
  const copy = mkdtempSync(join(tmpdir(), 'tickwire-cut-'));
  dirs.push(copy);
  const w = await LogWriter.open(copy, { fsync: 'none', metadata: original.log.metadata });
  for (const r of original.log.records()) {
    if (r.seq === original.lastSeq && r.type === RECORD_TYPES.KEYFRAME) break;
    w.append(r.type, r.tsUs, r.payload);
  }
  await w.close();
  original.close();
  return copy;
}

test('the end state is the last keyframe plus the tail after it: what a replay at the last record shows', async () => {
  const { dir, publisher } = await recordSimulatedSession({
    seed: 31,
    rate: 2000,
    seconds: 4,
    checkpoints: 1,
    keyframes: { everyRecords: 3000, everyUs: 1_000_000 },
  });
  dirs.push(dir);
  const live = publisher.exportState().marketData;
  expect(readSessionEnd(dir).state.exportMarketData()).toEqual(live);

  const cut = await withoutLastKeyframe(dir);
  const end = readSessionEnd(cut);
  const reader = SessionReader.open(cut);
  expect(end.lastSeq).toBe(reader.lastSeq);
  expect(end.endUs).toBe(reader.endUs);
  expect(end.state.exportMarketData()).toEqual(reader.stateAt(reader.lastSeq).exportMarketData());
  reader.close();
}, 60_000);

test('a data directory continues its newest readable session; unreadable ones are reported and skipped', async () => {
  const { dir } = await recordSimulatedSession({ seed: 32, rate: 1000, seconds: 2, checkpoints: 1 });
  const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-continue-'));
  dirs.push(dir, dataDir);
  renameSync(dir, join(dataDir, '2026-01-01T00-00-00Z'));
  mkdirSync(join(dataDir, '2026-01-01T00-05-00Z')); // killed before its first record
  const skipped: string[] = [];
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  const c = continueFromDataDir(dataDir, {
    instruments,
    startUs: Date.UTC(2026, 0, 1, 1) * 1000,
    onSkip: (d) => skipped.push(d),
  });
  expect(skipped).toEqual([join(dataDir, '2026-01-01T00-05-00Z')]);
  expect(c?.from.dir).toBe(join(dataDir, '2026-01-01T00-00-00Z'));
  const end = readSessionEnd(join(dataDir, '2026-01-01T00-00-00Z'));
  for (const inst of instruments) {
    expect(c?.initialPrices[inst.symbol]).toBe(end.state.ticker(inst.symbol)?.last);
  }
  // A fresh data directory has nothing to continue.
  expect(continueFromDataDir(join(dataDir, 'none'), { instruments, startUs: 0 })).toBeNull();
}, 60_000);
