/**
 * What a roll (`serve --roll`, replay/README.md "Rolling") costs on the event loop: the live recording of
 * `serve` (recordLiveSession over the simulator, fsync batch, default instruments) on a simulated clock, every
 * engine pump timed; the pumps that rolled against the others. A warm-up of feed time, not recorded, first
 * fills the candle history, which is most of a keyframe. Not in `npm run bench`: a figure for the README, kept by hand.
 *
 *   node --import tsx bench/log/roll-cost.ts [--warmup-minutes 20] [--rolls 10] [--roll-minutes 1] [--rate 200]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import { encodeKeyframe, recordLiveSession, SessionReader } from '../../replay/src/index.ts';
import { intFlag } from '../common/int-flag.ts';

const STEP_MS = 50;

const { values } = parseArgs({
  options: {
    'warmup-minutes': { type: 'string' },
    rolls: { type: 'string' },
    'roll-minutes': { type: 'string' },
    rate: { type: 'string' },
  },
});
const warmupMinutes = intFlag('warmup-minutes', values['warmup-minutes'], 20, 0);
const rolls = intFlag('rolls', values.rolls, 10, 1);
const rollMinutes = intFlag('roll-minutes', values['roll-minutes'], 1, 1);
const rate = intFlag('rate', values.rate, 200, 1);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickwire-roll-cost-'));
try {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 11, 2, 12, 0, 0);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 1, instruments, rate, publisher, clockMs });
  // The warm-up, not recorded: the candle history and ticker windows of a feed that has run a while.
  for (let t = 0; t < (warmupMinutes * 60_000) / STEP_MS; t++) {
    nowMs += STEP_MS;
    driver.pump();
  }
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    {
      dataDir,
      fsync: 'batch',
      seed: 1,
      rate,
      clockMs,
      maxBufferedBytes: Number.POSITIVE_INFINITY,
      roll: { maxAgeUs: rollMinutes * 60_000_000, maxBytes: null },
    },
  );
  const rollPumpsMs: number[] = [];
  const otherPumpsMs: number[] = [];
  // CPU time too: on a machine shared with other work, wall time includes the time the process was not run.
  const rollPumpsCpuMs: number[] = [];
  let pumps = 0;
  while (rec.rolls < rolls) {
    nowMs += STEP_MS;
    const before = rec.rolls;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    driver.pump();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    (rec.rolls > before ? rollPumpsMs : otherPumpsMs).push(ms);
    if (rec.rolls > before) rollPumpsCpuMs.push((cpu.user + cpu.system) / 1000);
    // Let the group commit write what was appended, as the live server's event loop does between pumps.
    if (++pumps % 100 === 0) await yieldToLoop();
  }
  // What one keyframe costs on its own (the producer's state exported, the engine hashed, deflated).
  const keyframeMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    encodeKeyframe({ state: publisher.exportState(), stateHash: driver.engine.stateHash() });
    keyframeMs.push(performance.now() - t0);
  }
  await rec.close();
  const reader = SessionReader.open(rec.recorder.dir);
  const keyframeBytes = reader.keyframes.length > 0 ? firstRecordBytes(reader) : 0;
  reader.close();
  const line = (name: string, xs: number[]): string =>
    `${name.padEnd(18)} n=${String(xs.length).padStart(6)}  p50 ${quantile(xs, 0.5).toFixed(3)} ms  p99 ${quantile(xs, 0.99).toFixed(3)} ms  max ${Math.max(...xs).toFixed(3)} ms`;
  process.stdout.write(
    `roll cost: rate ${rate}/s, ${warmupMinutes} min warm-up, ${rolls} rolls every ${rollMinutes} min of feed time, fsync batch, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(2)}\n`,
  );
  process.stdout.write(`keyframe: ${keyframeBytes} bytes deflated\n`);
  process.stdout.write(`${line('pumps that rolled', rollPumpsMs)}\n`);
  process.stdout.write(`${line('  (CPU time)', rollPumpsCpuMs)}\n`);
  process.stdout.write(`${line('other pumps', otherPumpsMs)}\n`);
  process.stdout.write(`${line('one keyframe', keyframeMs)}\n`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

function firstRecordBytes(reader: SessionReader): number {
  const c = reader.log.cursor(1);
  return c.next() ? c.payload.length : 0;
}

function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
