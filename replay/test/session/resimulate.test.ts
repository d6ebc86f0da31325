import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  decodeCommand,
  encodeCommand,
  LogWriter,
  RECORD_TYPES,
  resimulate,
  SessionReader,
} from '../../src/index.ts';
import { recordSimulatedSession } from '../support/recorded-session.ts';

describe('re-simulation: the engine as its own regression test', () => {
  test('a recorded session re-simulates with zero divergence, keyframes and state hashes included', async () => {
    const { dir } = await recordSimulatedSession({
      seed: 21,
      rate: 3000,
      seconds: 10,
      checkpoints: 1,
      keyframes: { everyRecords: 3000, everyUs: 1_000_000 },
    });
    const reader = SessionReader.open(dir);
    const r = resimulate(reader);
    expect(r.divergence).toBeNull();
    expect(r.commands).toBe(reader.counts.commands);
    expect(r.messages).toBe(reader.counts.messages);
    expect(r.keyframes).toBe(reader.counts.keyframes);
    expect(r.keyframes).toBeGreaterThan(5);
    reader.close();
  }, 60_000);

  test('one changed command is reported at the first message it changes', async () => {
    const { dir } = await recordSimulatedSession({ seed: 22, rate: 2000, seconds: 3, checkpoints: 1 });
    // Rewrite the log with one command's size changed: a new log with the same metadata and records.
    const original = SessionReader.open(dir);
    const copy = mkdtempSync(join(tmpdir(), 'tickwire-diverged-'));
    const w = await LogWriter.open(copy, { fsync: 'none', metadata: original.log.metadata });
    let changed = -1;
    for (const r of original.log.records()) {
      let payload = r.payload;
      if (changed < 0 && r.type === RECORD_TYPES.COMMAND && r.seq > 2000) {
        const cmd = decodeCommand(payload);
        if (cmd.type === 'new') {
          payload = encodeCommand({ ...cmd, qty: cmd.qty * 2 });
          changed = r.seq;
        }
      }
      w.append(r.type, r.tsUs, payload);
    }
    await w.close();
    original.close();
    const reader = SessionReader.open(copy);
    const r = resimulate(reader);
    expect(changed).toBeGreaterThan(0);
    expect(r.divergence).not.toBeNull();
    expect(r.divergence?.seq).toBeGreaterThan(changed);
    expect(r.divergence?.what).toMatch(/differs|does not have|did not publish/);
    reader.close();
  });
});
