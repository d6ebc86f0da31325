import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LogError, LogReader, type LogWarning } from '../../src/index.ts';
import { payloadFor, payloadMismatch, tsFor, typeFor } from './support/derived-records.ts';
import { tempDir } from './support/temp-dir.ts';

// The bar: ≥ 200 SIGKILLs at random points (CRASH_RUNS for more), every seq reported durable under
// fsync 'always' present afterwards, and only whole, CRC-valid, contiguous records.
const RUNS = Number(process.env.CRASH_RUNS ?? 200);
const LANES = Number(process.env.CRASH_LANES ?? 2);
/** Extra kills of a writer under fsync 'batch', in a lane of their own (large writes: torn pages happen). */
const BATCH_RUNS = Number(process.env.CRASH_BATCH_RUNS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
/** Small segments, so kills also land while a segment is sealed and the next one created. */
const SEGMENT_BYTES: Record<Policy, number> = { always: 2048, batch: 512 * 1024 };

type Policy = 'always' | 'batch';

const tmp = tempDir('tickwire-crash-');
const child = path.join(tmp.path, 'crash-writer.mjs');
afterAll(() => tmp.remove());

// The child is bundled to plain JavaScript once: it starts in ~0.1 s, where `node --import tsx` takes ~0.7 s.
// esbuild is tsx's compiler, already installed with it.
beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./support/crash-writer.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: child,
    logLevel: 'error',
  });
});

/** mulberry32: a seeded PRNG, so a failing run can be repeated with CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stats {
  runs: number;
  simulatedTears: number;
  batchRuns: number;
  killedBeforeOpen: number;
  tornTails: number;
  records: number;
  maxDurable: number;
}

interface ChildRun {
  readonly opened: number | null;
  readonly reported: number;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs the child on `dir` and SIGKILLs it: `afterOpenMs` after it printed `open`, or `earlyMs` after spawn. */
function runChild(dir: string, policy: Policy, early: boolean, delayMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(SEGMENT_BYTES[policy]), policy], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let opened: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => proc.kill('SIGKILL');
    if (early) timer = setTimeout(kill, delayMs);
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (opened === null) {
        const m = /^open (\d+)\n/.exec(out);
        if (m !== null) {
          opened = Number(m[1]);
          if (!early) timer = setTimeout(kill, delayMs);
        }
      }
    });
    proc.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      // Only whole lines count: the kill may cut the last one.
      const lines = out.split('\n').slice(0, -1);
      let reported = 0;
      for (const line of lines) if (/^\d+$/.test(line)) reported = Math.max(reported, Number(line));
      resolve({ opened, reported, signal, code, stderr });
    });
  });
}

/**
 * A SIGKILL lets the kernel finish the write(2) in progress, so kills alone rarely tear a record (a power loss
 * does). To give the next child's recovery torn tails to handle, damage the bytes after the last durable record
 * like a torn write would: cut inside them, or add zeros or garbage. Returns true when it did.
 */
function tearAfterDurable(r: LogReader, durable: number, random: () => number): boolean {
  const last = r.segments.at(-1);
  if (last === undefined) return false;
  const pos = durable > 0 ? r.positionOfSeq(durable) : undefined;
  if (durable > 0 && pos?.file !== last.file) return false;
  const durableEnd = pos === undefined ? headerEnd(last.file) : pos.offset + 25 + payloadFor(durable).length;
  const size = fs.statSync(last.file).size;
  if (size - durableEnd > 1) {
    fs.truncateSync(last.file, durableEnd + 1 + Math.floor(random() * (size - durableEnd - 1)));
  } else {
    const n = 1 + Math.floor(random() * 200);
    const zeros = random() < 0.5;
    fs.appendFileSync(
      last.file,
      Uint8Array.from({ length: n }, () => (zeros ? 0 : Math.floor(random() * 256))),
    );
  }
  return true;
}

/** Where the records of a segment start. */
function headerEnd(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    return 24 + head.readUInt32LE(12) + 4;
  } finally {
    fs.closeSync(fd);
  }
}

async function lane(
  index: number,
  policy: Policy,
  runs: number,
  random: () => number,
  stats: Stats,
): Promise<void> {
  const dir = path.join(tmp.path, `lane-${index}-${policy}`);
  let durable = 0;
  for (let run = 0; run < runs; run++) {
    // The batch writer appends ~100k records/s: start its log afresh now and then to keep the reads short.
    if (policy === 'batch' && run % 10 === 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      durable = 0;
    }
    const early = random() < 0.15;
    const result = await runChild(
      dir,
      policy,
      early,
      early ? random() * 200 : random() * (policy === 'batch' ? 100 : 60),
    );
    const context = `lane ${index} (${policy}) run ${run} (CRASH_SEED=${SEED}); child stderr:\n${result.stderr}`;
    expect(result.signal, context).toBe('SIGKILL');
    // What the writer recovered on open already held every record reported durable before.
    if (result.opened !== null) expect(result.opened, context).toBeGreaterThanOrEqual(durable);
    else stats.killedBeforeOpen++;
    durable = Math.max(durable, result.reported);

    // Usually leave recovery to the next child's writer; one run in four lets this reader cut the tail.
    const warnings: LogWarning[] = [];
    let r: LogReader;
    try {
      r = LogReader.open(dir, { repair: run % 4 === 0, onWarning: (w) => warnings.push(w) });
    } catch (err) {
      // Killed before the first segment was created: acceptable only if nothing was ever reported.
      if (!(err instanceof LogError && err.code === 'NOT_A_LOG' && durable === 0 && result.opened === null))
        throw err;
      stats.runs += policy === 'always' ? 1 : 0;
      stats.batchRuns += policy === 'batch' ? 1 : 0;
      continue;
    }
    try {
      let seq = 0;
      const c = r.cursor();
      while (c.next()) {
        seq++;
        if (
          c.seq !== seq ||
          c.type !== typeFor(seq) ||
          c.tsUs !== tsFor(seq) ||
          payloadMismatch(seq, c.payload) !== null
        ) {
          throw new Error(`record ${seq} is not what was written; ${context}`);
        }
      }
      expect(seq, context).toBe(r.lastSeq);
      expect(r.lastSeq, `every durable seq is present; ${context}`).toBeGreaterThanOrEqual(durable);
      for (const w of warnings) expect(['TORN_TAIL', 'TORN_TAIL_KEPT'], context).toContain(w.code);
      if (r.tornTail !== null) stats.tornTails++;
      stats.records = Math.max(stats.records, seq);
      if (random() < 0.3 && tearAfterDurable(r, durable, random)) stats.simulatedTears++;
    } finally {
      r.close();
    }
    if (policy === 'always') stats.runs++;
    else stats.batchRuns++;
    stats.maxDurable = Math.max(stats.maxDurable, durable);
  }
}

test(`SIGKILL at ${RUNS} random points under fsync 'always': every durable record survives, nothing torn is read`, async () => {
  const started = performance.now();
  const random = prng(SEED);
  const stats: Stats = {
    runs: 0,
    simulatedTears: 0,
    batchRuns: 0,
    killedBeforeOpen: 0,
    tornTails: 0,
    records: 0,
    maxDurable: 0,
  };
  await Promise.all(
    Array.from({ length: LANES }, (_, i) => lane(i, 'always', Math.ceil(RUNS / LANES), random, stats)),
  );
  // After, not beside: a third busy child would slow the timing-sensitive tests running next to this one.
  await lane(LANES, 'batch', BATCH_RUNS, random, stats);
  const seconds = (performance.now() - started) / 1000;
  const brokenFiles = fs
    .readdirSync(tmp.path, { recursive: true })
    .filter((n) => String(n).includes('.broken'));
  // The figures the issue asks for: how many kills, how long, what recovery saw.
  console.log(
    `crash test: ${stats.runs} SIGKILLs under 'always' over ${LANES} lanes and ${stats.batchRuns} under 'batch' ` +
      `in ${seconds.toFixed(1)} s (seed ${SEED}); ` +
      `${stats.killedBeforeOpen} before the writer opened, ${stats.tornTails} torn tails seen by the parent, ` +
      `${stats.simulatedTears} tears simulated after a kill, ${brokenFiles.length} .broken files kept; ` +
      `logs reached ${stats.records} records`,
  );
  expect(stats.runs).toBeGreaterThanOrEqual(RUNS);
}, 600_000);
