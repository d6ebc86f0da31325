import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import {
  DEFAULT_KEYFRAME_POLICY,
  DEFAULT_SEGMENT_BYTES,
  encodeRecord,
  LogReader,
  LogWriter,
  type MessageHead,
  RECORD_HEADER_BYTES,
  RECORD_TYPE_NAMES,
  RECORD_TYPES,
  readMessageHead,
  recordLiveSession,
} from '../../replay/src/index.ts';

/** One way of storing the recording, and what it costs. */
export interface StorageOption {
  readonly name: string;
  readonly bytes: number;
  readonly bytesPerCommand: number;
  /** at the measured rate, for 24 h of feed time, MB (10^6 bytes) */
  readonly mbPerDay: number;
  /** CPU to compress (user + system), ms per MB of the log as recorded; 0 for none */
  readonly compressCpuMsPerMb: number;
  /** CPU to decompress, ms per MB of the log as recorded; 0 for none */
  readonly decompressCpuMsPerMb: number;
  /** share of one core compressing takes at the measured rate */
  readonly coreShare: number;
}

/** What `tickwire serve` records per engine command, by record kind and channel, and the storage options. */
export interface RecordedBytesFigures {
  readonly rate: number;
  readonly feedSeconds: number;
  readonly commands: number;
  readonly records: number;
  /** the session directory's files */
  readonly fileBytes: number;
  /** bytes (record headers included) by what they hold: input, keyframe, tick, and output by channel kind */
  readonly byKind: readonly { readonly kind: string; readonly records: number; readonly bytes: number }[];
  readonly options: readonly StorageOption[];
  /** the log compressed as the writer does it (`compressLog`: .twlogz segments, sidecars kept) */
  readonly stored: StoredFigures;
}

/** The session compressed by the log's own code, as `serve` stores it. */
export interface StoredFigures {
  /** the session directory's files once compressed (segments, sidecars, metadata) */
  readonly fileBytes: number;
  readonly segments: number;
  /** CPU of compressing (user + system of every thread: brotli runs in the thread pool), ms */
  readonly cpuMs: number;
  /** wall time of compressing, ms */
  readonly wallMs: number;
  /** CPU per 64 MiB segment as written, ms */
  readonly cpuMsPerSegment: number;
}

/** `trades:BTC-USD` → `trades`, `book:ETH-USD:50` → `book:50`, `candles:AMZN:1m` → `candles`. */
function channelKind(name: string): string {
  const [kind = name, , depth] = name.split(':');
  return kind === 'book' && depth !== undefined ? `book:${depth}` : kind;
}

const MB = 1e6;
const BLOCK_BYTES = 256 * 1024;

function cpuMs(work: () => void): number {
  const c0 = process.cpuUsage();
  work();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * Records `feedSeconds` of the default simulator at `rate` commands/s through the live pipeline in virtual time
 * (simulator → engine → publisher → recorder, as `tickwire serve` records), then weighs the log: bytes by kind,
 * and what the two ways to shrink it would store: (a) only the input and keyframes (the output re-derived by
 * re-simulation), (b) the log compressed (gzip 1 and 6, brotli 5 and 9), and both.
 */
export async function measureRecordedBytes(
  root: string,
  rate: number,
  feedSeconds: number,
  /** records between two keyframes (default the recorder's, 4,000) */
  keyframeRecords?: number,
): Promise<RecordedBytesFigures> {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 0, 1);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((e) => {
    throw e;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs });
  const driver = new SimulationDriver({ seed: 1, instruments, rate, publisher, clockMs });
  const rec = await recordLiveSession(
    { publisher, driver, bus },
    {
      dataDir: root,
      fsync: 'none',
      seed: 1,
      rate,
      clockMs,
      // Recorded as written, so the other options are weighed on the same bytes; compressed below by the
      // log's own code (what `serve` does as it records).
      compression: 'none',
      maxBufferedBytes: Number.POSITIVE_INFINITY,
      ...(keyframeRecords === undefined
        ? {}
        : { keyframes: { ...DEFAULT_KEYFRAME_POLICY, everyRecords: keyframeRecords } }),
    },
  );
  // 5 ms pumps, as the live driver's timer: the same commands per pump, ticks and keyframes as `serve`.
  for (let i = 0; i < (feedSeconds * 1000) / 5; i++) {
    nowMs += 5;
    driver.pump();
  }
  await rec.close();
  const dir = rec.recorder.dir;
  const fileBytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

  const reader = LogReader.open(dir);
  const channelNames = new Map<number, string>(
    (reader.metadata.channels as [number, string][]).map(([id, name]) => [id, channelKind(name)]),
  );
  const kinds = new Map<string, { records: number; bytes: number }>();
  const head: MessageHead = { channelId: 0, seq: 0 };
  const inputParts: Uint8Array[] = [];
  let commands = 0;
  let records = 0;
  for (const r of reader.records()) {
    records++;
    let kind: string;
    if (r.type === RECORD_TYPES.MESSAGE) {
      kind = `output ${channelNames.get(readMessageHead(r.payload, head).channelId) ?? '?'}`;
    } else {
      kind = `${r.type === RECORD_TYPES.KEYFRAME ? '' : 'input '}${RECORD_TYPE_NAMES[r.type] ?? `type ${r.type}`}`;
      if (r.type === RECORD_TYPES.COMMAND) commands++;
      const bytes = new Uint8Array(RECORD_HEADER_BYTES + r.payload.length);
      encodeRecord(bytes, 0, r.seq, r.tsUs, r.type, r.payload);
      inputParts.push(bytes);
    }
    const k = kinds.get(kind) ?? { records: 0, bytes: 0 };
    k.records++;
    k.bytes += RECORD_HEADER_BYTES + r.payload.length;
    kinds.set(kind, k);
  }
  reader.close();

  const segments = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.twlog'))
    .map((f) => fs.readFileSync(path.join(dir, f)));
  const whole = Buffer.concat(segments);
  const inputOnly = Buffer.concat(inputParts);
  const perDay = 86_400 / feedSeconds;
  const option = (name: string, bytes: number, compressMs = 0, decompressMs = 0): StorageOption => ({
    name,
    bytes,
    bytesPerCommand: bytes / commands,
    mbPerDay: (bytes * perDay) / MB,
    compressCpuMsPerMb: compressMs / (whole.length / MB),
    decompressCpuMsPerMb: decompressMs / (whole.length / MB),
    coreShare: compressMs / 1000 / feedSeconds,
  });
  const codecs: [string, (b: Buffer) => Uint8Array, (b: Uint8Array) => Uint8Array][] = [
    ['gzip -1', (b) => zlib.gzipSync(b, { level: 1 }), (b) => zlib.gunzipSync(b)],
    ['gzip -6', (b) => zlib.gzipSync(b, { level: 6 }), (b) => zlib.gunzipSync(b)],
    ['brotli 5', (b) => brotli(b, 5), (b) => zlib.brotliDecompressSync(b)],
    ['brotli 9', (b) => brotli(b, 9), (b) => zlib.brotliDecompressSync(b)],
  ];
  const options: StorageOption[] = [option('as written (--compression none)', fileBytes)];
  for (const [name, compress, decompress] of codecs) {
    let out: Uint8Array = new Uint8Array(0);
    const c = cpuMs(() => {
      out = compress(whole);
    });
    const d = cpuMs(() => decompress(out));
    options.push(option(`(b) segments, ${name}`, out.length, c, d));
  }
  // Compressed in independent 256 KiB blocks (the sidecar index's spacing), so a seek decompresses one block.
  for (const [name, compress, decompress] of codecs.filter(([c]) => c === 'gzip -1' || c === 'brotli 5')) {
    let bytes = 0;
    const blocks: Uint8Array[] = [];
    const c = cpuMs(() => {
      for (let at = 0; at < whole.length; at += BLOCK_BYTES) {
        const block = compress(whole.subarray(at, at + BLOCK_BYTES));
        blocks.push(block);
        bytes += block.length;
      }
    });
    const d = cpuMs(() => {
      for (const b of blocks) decompress(b);
    });
    options.push(option(`(b) 256 KiB blocks, ${name}`, bytes, c, d));
  }
  const stored = await measureStored(dir, path.join(root, 'stored'), whole.length);
  options.push(
    option(
      'stored (.twlogz: brotli 5 blocks at index entries ≥ 256 KiB, sidecars)',
      stored.fileBytes,
      stored.cpuMs,
      0,
    ),
  );
  options.push(option('(a) input + keyframes only', inputOnly.length));
  let gz: Uint8Array = new Uint8Array(0);
  const c = cpuMs(() => {
    gz = zlib.gzipSync(inputOnly, { level: 6 });
  });
  options.push(option('(a) + (b) gzip -6', gz.length, c, 0));
  return {
    rate,
    feedSeconds,
    commands,
    records,
    fileBytes,
    byKind: [...kinds].map(([kind, v]) => ({ kind, ...v })).sort((a, b) => b.bytes - a.bytes),
    options,
    stored,
  };
}

/**
 * Copies the log `dir` to `to` and compresses it as a writer does, timing it: a writer with compression
 * opens it (one scan of its last segment, ~0.1 s; sealed segments are queued at once) and its `close` seals
 * and compresses the last one and waits for the rest — what `serve` spends over the session, in the thread pool.
 */
async function measureStored(dir: string, to: string, rawSegmentBytes: number): Promise<StoredFigures> {
  fs.cpSync(dir, to, { recursive: true });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const w = await LogWriter.open(to, { compression: 'brotli', fsync: 'batch' });
  await w.close();
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  const cpuMs = (c.user + c.system) / 1000;
  const r = LogReader.open(to);
  const compressed = r.segments.filter((x) => x.compressed).length;
  r.close();
  return {
    fileBytes: fs.readdirSync(to).reduce((n, f) => n + fs.statSync(path.join(to, f)).size, 0),
    segments: compressed,
    cpuMs,
    wallMs,
    cpuMsPerSegment: (cpuMs * DEFAULT_SEGMENT_BYTES) / rawSegmentBytes,
  };
}

function brotli(b: Buffer, quality: number): Uint8Array {
  return zlib.brotliCompressSync(b, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
    },
  });
}

/** The figures as Markdown tables. */
export function formatRecordedBytes(f: RecordedBytesFigures): string {
  const n = (x: number, d = 0) =>
    x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `Recorded bytes per engine command: ${n(f.feedSeconds)} s of feed time at ${n(f.rate)} commands/s (${n(f.commands)} commands, ${n(f.records)} records, ${n(f.fileBytes)} bytes of files)`,
    '',
    '| what | records | bytes | bytes/command | share |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...f.byKind.map(
      (k) =>
        `| ${k.kind} | ${n(k.records)} | ${n(k.bytes)} | ${n(k.bytes / f.commands, 1)} | ${n((100 * k.bytes) / f.fileBytes, 1)}% |`,
    ),
    '',
    '| storage | bytes/command | MB/day | compress CPU ms/MB | decompress CPU ms/MB | share of a core |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...f.options.map(
      (o) =>
        `| ${o.name} | ${n(o.bytesPerCommand, 1)} | ${n(o.mbPerDay)} | ${n(o.compressCpuMsPerMb, 1)} | ${n(o.decompressCpuMsPerMb, 1)} | ${n(100 * o.coreShare, 2)}% |`,
    ),
    '',
    `Stored by the log (a writer's open and close, as serve does): ${n(f.stored.segments)} segments compressed in ${n(f.stored.wallMs)} ms wall, ${n(f.stored.cpuMs)} ms CPU (${n(f.stored.cpuMsPerSegment)} ms per 64 MiB segment, ${n((100 * f.stored.cpuMs) / 1000 / f.feedSeconds, 2)}% of a core at ${n(f.rate)} commands/s); ${n(f.stored.fileBytes)} bytes of files (${n((100 * f.stored.fileBytes) / f.fileBytes, 1)}% of ${n(f.fileBytes)})`,
  ];
  return lines.join('\n');
}
