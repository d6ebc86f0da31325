/**
 * `npm run bench:log -- [--quick] [--json] [--records N] …`: the session log's storage figures — append
 * throughput under each fsync policy, a full read, random seeks and recovery on open, on a log of 10 million
 * records (payloads of 40–120 bytes) written to a temporary directory and deleted at the end. Figures, not
 * assertions. Progress goes to stderr; the report (or the JSON) to stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHistogram } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  compressLog,
  DEFAULT_SEGMENT_BYTES,
  type FsyncPolicy,
  LogReader,
  LogWriter,
  RECORD_HEADER_BYTES,
} from '../../replay/src/index.ts';
import { readBenchArgs } from '../common/read-bench-args.ts';
import { type LogBenchOptions, parseLogBenchArgs, USAGE } from './options.ts';
import { measureRecordedBytes } from './recorded-bytes.ts';
import {
  type AppendFigures,
  type CompressionFigures,
  checkTargets,
  formatReport,
  type LogBenchResult,
  type ReadFigures,
  type RecoveryFigures,
  type SeekFigures,
} from './report.ts';
import { generate, sessionRuns } from './sessions.ts';
import { payloadPool, tsOf, uniform } from './workload.ts';

const START_US = 1_767_225_600_000_000;
/** Records appended between two turns of the event loop (where the group commit's I/O completes). */
const SLICE = 4096;
/** Appending pauses until the log catches up when this much is buffered. */
const MAX_BUFFERED = 32 * 1024 * 1024;

async function main(argv: readonly string[]): Promise<number> {
  const options = readBenchArgs(argv, parseLogBenchArgs, USAGE);
  if (typeof options === 'number') return options;
  const log = options.json ? () => {} : (msg: string) => process.stderr.write(`· ${msg}\n`);
  const root = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'tickwire-bench-log-'));
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const result = await run(options, root, log);
    process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${formatReport(result)}\n`);
    return 0;
  } finally {
    cleanup();
  }
}

async function run(
  options: LogBenchOptions,
  root: string,
  log: (msg: string) => void,
): Promise<LogBenchResult> {
  const pool = payloadPool(options.seed);
  const loadAtStart = os.loadavg()[0] ?? 0;
  const appends: AppendFigures[] = [];
  const big = path.join(root, 'batch');
  log(`appending ${int(options.records)} records under fsync batch (the log the rest reads)`);
  appends.push(await appendRun(big, 'batch', options.records, pool));
  log(`appending ${int(options.noneRecords)} records under fsync none`);
  appends.push(await appendRun(path.join(root, 'none'), 'none', options.noneRecords, pool));
  fs.rmSync(path.join(root, 'none'), { recursive: true });
  log(`appending ${int(options.alwaysRecords)} records under fsync always`);
  appends.push(await appendRun(path.join(root, 'always'), 'always', options.alwaysRecords, pool));

  log('reading the whole log');
  const reads = readRuns(big);
  log(`${int(options.seeks)} random seeks`);
  const seek = seekRun(big, options.seeks, options.seed);
  log('recovery on open');
  const recovery = await recoveryRuns(big);
  fs.rmSync(big, { recursive: true });
  const sessions =
    options.sessionMessages > 0
      ? await sessionRuns(root, options.sessionMessages, Math.min(200, options.seeks), options.seed, log)
      : null;
  const compression =
    options.sessionMessages > 0
      ? await compressionRuns(
          root,
          Math.min(options.sessionMessages, 3_000_000),
          options.seeks,
          options.seed,
          log,
        )
      : null;
  let recordedBytes = null;
  if (options.bytesSeconds > 0) {
    log(
      `weighing ${int(options.bytesSeconds)} s of a recorded session at 200 commands/s (bytes per command)`,
    );
    recordedBytes = await measureRecordedBytes(path.join(root, 'bytes'), 200, options.bytesSeconds);
  }
  const cpus = os.cpus();
  const partial = { appends, seek, sessions };
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
    options,
    appends,
    reads,
    seek,
    recovery,
    sessions,
    compression,
    recordedBytes,
    targets: checkTargets(partial),
  };
}

async function appendRun(
  dir: string,
  fsync: FsyncPolicy,
  n: number,
  pool: Uint8Array[],
): Promise<AppendFigures> {
  // As written: these figures stay comparable with earlier runs; compression is measured on a real session.
  const w = await LogWriter.open(dir, { fsync, compression: 'none', metadata: { bench: 'log', fsync } });
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += RECORD_HEADER_BYTES + (pool[i & 4095] as Uint8Array).length;
  let appendMs = 0;
  const t0 = performance.now();
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + SLICE);
    const s0 = performance.now();
    for (; i < end; i++) w.append(1 + (i % 3), tsOf(START_US, i), pool[i & 4095] as Uint8Array);
    appendMs += performance.now() - s0;
    if (w.bufferedBytes > MAX_BUFFERED) await w.whenDurable(w.lastSeq);
    else await yieldToLoop();
  }
  await w.whenDurable(n);
  const seconds = (performance.now() - t0) / 1000;
  await w.close();
  return {
    fsync,
    records: n,
    bytes,
    seconds,
    recordsPerSec: n / seconds,
    mbPerSec: bytes / 2 ** 20 / seconds,
    appendCallNs: (appendMs * 1e6) / n,
  };
}

function readRuns(dir: string): ReadFigures[] {
  const out: ReadFigures[] = [];
  const r = LogReader.open(dir);
  try {
    const bytes = r.segments.reduce((n, s) => n + s.bytes, 0);
    for (const method of ['cursor', 'records()'] as const) {
      const t0 = performance.now();
      let n = 0;
      let payloadBytes = 0;
      if (method === 'cursor') {
        const c = r.cursor();
        while (c.next()) {
          n++;
          payloadBytes += c.payloadEnd - c.payloadStart;
        }
      } else {
        for (const rec of r.records()) {
          n++;
          payloadBytes += rec.payload.length;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      if (n !== r.lastSeq || payloadBytes <= 0) throw new Error(`read ${n} of ${r.lastSeq} records`);
      out.push({
        method,
        records: n,
        seconds,
        recordsPerSec: n / seconds,
        mbPerSec: bytes / 2 ** 20 / seconds,
      });
    }
  } finally {
    r.close();
  }
  return out;
}

function seekRun(dir: string, seeks: number, seed: number): SeekFigures {
  const t0 = performance.now();
  const r = LogReader.open(dir);
  const openMs = performance.now() - t0;
  const random = uniform(seed);
  const first = r.firstTsUs ?? 0;
  const last = r.lastTsUs ?? 0;
  const h = createHistogram({ lowest: 1, highest: 1e12, figures: 3 });
  let checked = 0;
  try {
    for (let k = 0; k < seeks; k++) {
      const target = first + Math.floor(random() * (last - first + 1));
      const s0 = process.hrtime.bigint();
      const pos = r.seek(target);
      h.record(Math.max(1, Number(process.hrtime.bigint() - s0)));
      // Spot-check the answer: ts ≥ target and the record before it earlier than target.
      if (k % 50 === 0) {
        const before = pos === undefined || pos.seq === 1 ? undefined : r.positionOfSeq(pos.seq - 1);
        if (pos === undefined || pos.tsUs < target || (before !== undefined && before.tsUs >= target)) {
          throw new Error(`seek(${target}) landed on ${JSON.stringify(pos)}`);
        }
        checked++;
      }
    }
  } finally {
    r.close();
  }
  return {
    records: r.lastSeq,
    segments: r.segments.length,
    seeks,
    checked,
    openMs,
    p50Ms: h.percentile(50) / 1e6,
    p99Ms: h.percentile(99) / 1e6,
    maxMs: h.max / 1e6,
  };
}

/**
 * A recorded session's log (the messages of a simulated session: what a log really holds, unlike the random
 * payloads above) read and seeked as written and once compressed by `compressLog`, side by side.
 */
async function compressionRuns(
  root: string,
  messages: number,
  seeks: number,
  seed: number,
  log: (msg: string) => void,
): Promise<CompressionFigures> {
  log(`recording a session of ${int(messages)} messages as written, then compressing a copy`);
  const g = await generate(path.join(root, 'compression'), messages, () => {}, 'none');
  const zdir = `${g.dir}-compressed`;
  fs.cpSync(g.dir, zdir, { recursive: true });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { before, after } = await compressLog(zdir);
  const c = process.cpuUsage(c0);
  const compressWallMs = performance.now() - t0;
  const compressCpuMs = (c.user + c.system) / 1000;
  log('reading and seeking it, as written and compressed');
  const figures: CompressionFigures = {
    records: g.records,
    segments: after.segments,
    bytes: before.bytes,
    storedBytes: after.storedBytes,
    compressWallMs,
    compressCpuMs,
    compressCpuMsPerSegment: (compressCpuMs * DEFAULT_SEGMENT_BYTES) / before.bytes,
    raw: { reads: readRuns(g.dir), seek: seekRun(g.dir, seeks, seed) },
    compressed: { reads: readRuns(zdir), seek: seekRun(zdir, seeks, seed) },
  };
  fs.rmSync(g.dir, { recursive: true });
  fs.rmSync(zdir, { recursive: true });
  return figures;
}

async function recoveryRuns(dir: string): Promise<RecoveryFigures> {
  const opens: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    LogReader.open(dir).close();
    opens.push(performance.now() - t0);
  }
  opens.sort((a, b) => a - b);
  const last = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.twlog'))
    .sort()
    .at(-1) as string;
  const lastFile = path.join(dir, last);
  const lastBytes = fs.statSync(lastFile).size;
  fs.appendFileSync(
    lastFile,
    Uint8Array.from({ length: 57 }, (_, i) => (i * 151) & 0xff),
  );
  let t0 = performance.now();
  const w = await LogWriter.open(dir, { fsync: 'batch', compression: 'none', onWarning: () => {} });
  const tornMs = performance.now() - t0;
  await w.close();
  t0 = performance.now();
  const r = LogReader.open(dir, { verify: 'all' });
  const verifyAllMs = performance.now() - t0;
  r.close();
  return {
    cleanOpenMs: opens[2] as number,
    lastSegmentBytes: lastBytes,
    tornTailWriterOpenMs: tornMs,
    verifyAllMs,
  };
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

process.exitCode = await main(process.argv.slice(2));
