import { describe, expect, test } from 'vitest';
import { RECORD_TYPES, readMessageHead, SessionReader } from '../../src/index.ts';
import { recordSimulatedSession, restView } from '../support/recorded-session.ts';

describe('a recorded session rebuilds the live state anywhere', () => {
  test('every snapshot is byte for byte the live one, every REST answer equal, at 40 points', async () => {
    const { dir, checkpoints } = await recordSimulatedSession({
      seed: 5,
      rate: 2000,
      seconds: 30,
      checkpoints: 40,
      keyframes: { everyRecords: 5000, everyUs: 3_000_000 },
    });
    const reader = SessionReader.open(dir);
    expect(reader.keyframes.length).toBeGreaterThan(10);
    let compared = 0;
    // In order (the cached state moves forward) and then backwards (each from its keyframe).
    for (const cps of [checkpoints, [...checkpoints].reverse()]) {
      for (const cp of cps) {
        const state = reader.stateAt(cp.position);
        for (const [name, live] of cp.snapshots) {
          expect(Buffer.from(state.snapshot(name).encoded).equals(Buffer.from(live)), name).toBe(true);
          compared++;
        }
        expect(restView(state)).toEqual(cp.rest);
      }
    }
    expect(compared).toBeGreaterThan(2000);
    reader.close();
  }, 60_000);

  test('the log holds every published message in order, each after its input', async () => {
    const { dir, messages } = await recordSimulatedSession({
      seed: 6,
      rate: 1000,
      seconds: 5,
      checkpoints: 1,
    });
    const reader = SessionReader.open(dir);
    const recorded: Buffer[] = [];
    let inputs = 0;
    let firstIsInput = false;
    for (const r of reader.log.records()) {
      if (r.type === RECORD_TYPES.MESSAGE) {
        if (recorded.length === 0) firstIsInput = inputs > 0;
        recorded.push(Buffer.from(r.payload));
        readMessageHead(r.payload, { channelId: 0, seq: 0 });
      } else if (r.type === RECORD_TYPES.COMMAND || r.type === RECORD_TYPES.TICK) inputs++;
    }
    expect(firstIsInput).toBe(true);
    expect(recorded.length).toBe(messages.length);
    expect(recorded.every((m, i) => m.equals(Buffer.from(messages[i] as Uint8Array)))).toBe(true);
    expect(reader.counts.commands).toBeGreaterThan(4000);
    reader.close();
  });
});
