import type { FsyncPolicy } from '../../replay/src/index.ts';
import type { LogBenchOptions } from './options.ts';
import { formatRecordedBytes, type RecordedBytesFigures } from './recorded-bytes.ts';
import type { SessionFigures } from './sessions.ts';

/** One append run under one fsync policy, timed from the first append until every record is durable. */
export interface AppendFigures {
  readonly fsync: FsyncPolicy;
  readonly records: number;
  /** framed bytes: 25-byte headers plus payloads */
  readonly bytes: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  /** time inside `append` calls alone, per record (the producer's CPU cost) */
  readonly appendCallNs: number;
}

/** One full read of the big log. */
export interface ReadFigures {
  readonly method: 'cursor' | 'records()';
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
}

/** Random seeks on the big log. */
export interface SeekFigures {
  readonly records: number;
  readonly segments: number;
  readonly seeks: number;
  /** answers checked against their neighbours */
  readonly checked: number;
  /** the reader's open before the seeks */
  readonly openMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Opening the big log. */
export interface RecoveryFigures {
  /** LogReader.open of a clean log (headers, sidecars, a scan of the last segment), median of 5 */
  readonly cleanOpenMs: number;
  readonly lastSegmentBytes: number;
  /** LogWriter.open of the log with a torn tail: scan, keep it in .broken, truncate, 3 syncs */
  readonly tornTailWriterOpenMs: number;
  /** LogReader.open with verify 'all': every record of every segment checked (what `log verify` does first) */
  readonly verifyAllMs: number;
}

/** One target the log is held to, with what was measured. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** A recorded session's log read and seeked as written and compressed (`compressLog`), side by side. */
export interface CompressionFigures {
  readonly records: number;
  readonly segments: number;
  /** header and record bytes as written */
  readonly bytes: number;
  /** bytes of the compressed segment files */
  readonly storedBytes: number;
  /** compressing the copy: wall time, and CPU of every thread (brotli runs in the thread pool) */
  readonly compressWallMs: number;
  readonly compressCpuMs: number;
  /** that CPU per 64 MiB segment as written */
  readonly compressCpuMsPerSegment: number;
  readonly raw: { readonly reads: readonly ReadFigures[]; readonly seek: SeekFigures };
  readonly compressed: { readonly reads: readonly ReadFigures[]; readonly seek: SeekFigures };
}

/** Everything one `bench:log` run measured; `--json` prints exactly this. */
export interface LogBenchResult {
  readonly node: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly platform: string;
  readonly loadAverage: readonly [start: number, end: number];
  readonly options: LogBenchOptions;
  readonly appends: readonly AppendFigures[];
  readonly reads: readonly ReadFigures[];
  readonly seek: SeekFigures;
  readonly recovery: RecoveryFigures;
  /** a recorded session replayed, seeked; the LOBSTER import; null when skipped */
  readonly sessions: SessionFigures | null;
  /** a recorded session's log read and seeked as written and compressed; null or absent when skipped */
  readonly compression?: CompressionFigures | null;
  /** what `serve` records per engine command at the default rate, and compressed; null or absent when skipped */
  readonly recordedBytes?: RecordedBytesFigures | null;
  readonly targets: readonly TargetCheck[];
}

/** The issue's targets: ≥ 1M records/s appended under fsync batch; a seek ≤ 50 ms (the slowest of all). */
export function checkTargets(r: Pick<LogBenchResult, 'appends' | 'seek' | 'sessions'>): TargetCheck[] {
  const batch = r.appends.find((a) => a.fsync === 'batch');
  const rate = batch?.recordsPerSec ?? 0;
  const s = r.sessions;
  const replay = s?.replay.find((x) => x.deflate);
  const sessionTargets: TargetCheck[] =
    s === null
      ? []
      : [
          {
            name: `replay at max to one client (${mil(s.generate.messages)} messages, deflate)`,
            target: '≥ 1M messages/s',
            measured: `${((replay?.messagesPerSec ?? 0) / 1e6).toFixed(2)}M messages/s`,
            pass: (replay?.messagesPerSec ?? 0) >= 1e6,
          },
          {
            name: `replay seek, slowest of ${s.seek.seeks} (${mil(s.generate.messages)} messages)`,
            target: '≤ 50 ms',
            measured: ms(s.seek.maxMs),
            pass: s.seek.maxMs <= 50,
          },
          ...(s.lobster === null
            ? []
            : [
                {
                  name: 'import the AMZN LOBSTER day (57,515 events)',
                  target: '≤ 2 s',
                  measured: `${s.lobster.seconds.toFixed(2)} s`,
                  pass: s.lobster.seconds <= 2,
                },
              ]),
        ];
  return [
    {
      name: `append, fsync batch (${mil(batch?.records ?? 0)} records)`,
      target: '≥ 1M records/s',
      measured: `${(rate / 1e6).toFixed(2)}M records/s`,
      pass: rate >= 1e6,
    },
    {
      name: `seek, slowest of ${int(r.seek.seeks)} (${mil(r.seek.records)} records)`,
      target: '≤ 50 ms',
      measured: ms(r.seek.maxMs),
      pass: r.seek.maxMs <= 50,
    },
    ...sessionTargets,
  ];
}

/** The human-readable report. */
export function formatReport(r: LogBenchResult): string {
  const lines = [
    `Tickwire session log — node ${r.node}, ${r.cpu} × ${r.cpus}, ${r.platform}`,
    `load average ${r.loadAverage[0].toFixed(2)} at the start, ${r.loadAverage[1].toFixed(2)} at the end` +
      (Math.max(...r.loadAverage) > 1 ? ' — other processes were running: expect noise' : ''),
    'records of 40–120 byte payloads (+25 bytes of framing); the page cache is warm for reads',
    '',
    `${'append'.padEnd(16)}${'records'.padStart(12)}${'records/s'.padStart(14)}${'MiB/s'.padStart(9)}${'append() ns'.padStart(13)}`,
  ];
  for (const a of r.appends) {
    lines.push(
      `${`fsync ${a.fsync}`.padEnd(16)}${int(a.records).padStart(12)}${int(Math.round(a.recordsPerSec)).padStart(14)}` +
        `${a.mbPerSec.toFixed(1).padStart(9)}${a.appendCallNs.toFixed(0).padStart(13)}`,
    );
  }
  lines.push(
    '  timed from the first append until every record is durable (fdatasynced; under none: written), appending',
    '  4096 records per turn of the event loop; append() ns = the producer-side cost alone',
    '',
    `${'read'.padEnd(16)}${'records'.padStart(12)}${'records/s'.padStart(14)}${'MiB/s'.padStart(9)}`,
  );
  for (const x of r.reads) {
    lines.push(
      `${x.method.padEnd(16)}${int(x.records).padStart(12)}${int(Math.round(x.recordsPerSec)).padStart(14)}${x.mbPerSec.toFixed(1).padStart(9)}`,
    );
  }
  lines.push(
    '  every record checked (CRC32C, seq, ts); cursor allocates nothing per record, records() one object and a view',
    '',
    `seek      ${int(r.seek.seeks)} random times over ${int(r.seek.records)} records in ${r.seek.segments} segments: ` +
      `p50 ${ms(r.seek.p50Ms)}, p99 ${ms(r.seek.p99Ms)}, max ${ms(r.seek.maxMs)} (${r.seek.checked} answers checked)`,
    `open      clean ${ms(r.recovery.cleanOpenMs)} (headers, sidecars, a scan of the ${mib(r.recovery.lastSegmentBytes)} last segment); ` +
      `writer with a torn tail ${ms(r.recovery.tornTailWriterOpenMs)}; verify all ${ms(r.recovery.verifyAllMs)}`,
    '',
    ...sessionLines(r.sessions),
    ...compressionLines(r.compression ?? null),
    ...(r.recordedBytes ? [formatRecordedBytes(r.recordedBytes), ''] : []),
    'targets',
  );
  for (const c of r.targets) {
    lines.push(
      `  ${c.name.padEnd(58)}${c.target.padEnd(18)}${c.measured.padEnd(20)}${c.pass ? 'PASS' : 'FAIL'}`,
    );
  }
  return lines.join('\n');
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function mil(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n % 1e6 === 0 ? 0 : 1)}M` : int(n);
}

function ms(v: number): string {
  return v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function compressionLines(c: CompressionFigures | null): string[] {
  if (c === null) return [];
  const row = (what: string, raw: string, z: string) =>
    `  ${what.padEnd(22)}${raw.padStart(18)}${z.padStart(18)}`;
  const reads = c.raw.reads.map((x, i) => {
    const z = c.compressed.reads[i] as ReadFigures;
    return row(
      `read, ${x.method}`,
      `${int(Math.round(x.recordsPerSec))}/s`,
      `${int(Math.round(z.recordsPerSec))}/s`,
    );
  });
  const seek = (f: (s: SeekFigures) => number) => [ms(f(c.raw.seek)), ms(f(c.compressed.seek))] as const;
  return [
    `compressed segments: a recorded session of ${int(c.records)} records in ${c.segments} segments, ` +
      `${mib(c.bytes)} as written, ${mib(c.storedBytes)} compressed (${((100 * c.storedBytes) / c.bytes).toFixed(1)}%)`,
    `  compressing it (compressLog): ${ms(c.compressWallMs)} wall, ${ms(c.compressCpuMs)} CPU ` +
      `(${ms(c.compressCpuMsPerSegment)} per 64 MiB segment)`,
    row('', 'as written', 'compressed'),
    ...reads,
    row(`open (${c.raw.seek.seeks} seeks after)`, ...seek((s) => s.openMs)),
    row('seek p50', ...seek((s) => s.p50Ms)),
    row('seek p99', ...seek((s) => s.p99Ms)),
    row('seek max', ...seek((s) => s.maxMs)),
    '',
  ];
}

function sessionLines(s: SessionFigures | null): string[] {
  if (s === null) return [];
  const g = s.generate;
  return [
    `session   ${int(g.messages)} messages (${int(g.records)} records, ${mib(g.bytes)}) recorded through the live ` +
      `pipeline in ${g.seconds.toFixed(1)} s (${int(Math.round(g.messages / g.seconds))} messages/s, virtual time)`,
    `          opened (every record checked, keyframes listed) in ${ms(s.openMs)}`,
    `          played at max onto the bus, no client: ${int(Math.round(s.playAlone.messagesPerSec))} messages/s`,
    ...s.replay.map(
      (x) =>
        `          replayed at max to one client${x.deflate ? ' with permessage-deflate' : ', uncompressed'}: ` +
        `${int(Math.round(x.messagesPerSec))} messages/s (${int(x.frames)} frames, every message decoded)`,
    ),
    `          ${s.seek.seeks} seeks to random times (state rebuilt from the keyframe before): p50 ${ms(s.seek.p50Ms)}, ` +
      `p99 ${ms(s.seek.p99Ms)}, max ${ms(s.seek.maxMs)}`,
    ...(s.lobster === null
      ? []
      : [
          `lobster   the AMZN day: ${int(s.lobster.rows)} rows → ${int(s.lobster.records)} records in ${s.lobster.seconds.toFixed(2)} s`,
        ]),
    '',
  ];
}

/** The compressed-segment figures as a Markdown section body (bench/RESULTS.md, "Compressed segments"). */
export function compressionMarkdown(c: CompressionFigures): string[] {
  const rate = (x: ReadFigures | undefined) => (x === undefined ? '–' : int(Math.round(x.recordsPerSec)));
  return [
    `A recorded session's log (${int(c.records)} records, ${c.segments} segments, ${mib(c.bytes)} as written), read and seeked as written and once compressed by the log's own code (${mib(c.storedBytes)}, ${((100 * c.storedBytes) / c.bytes).toFixed(1)}%; compressing took ${ms(c.compressWallMs)} wall, ${ms(c.compressCpuMs)} CPU, ${ms(c.compressCpuMsPerSegment)} per 64 MiB segment).`,
    '',
    '| | as written | compressed |',
    '|---|---:|---:|',
    ...c.raw.reads.map(
      (x, i) => `| read, ${x.method} (records/s) | ${rate(x)} | ${rate(c.compressed.reads[i])} |`,
    ),
    `| open | ${ms(c.raw.seek.openMs)} | ${ms(c.compressed.seek.openMs)} |`,
    `| seek p50 / p99 / max (${c.raw.seek.seeks} random) | ${ms(c.raw.seek.p50Ms)} / ${ms(c.raw.seek.p99Ms)} / ${ms(c.raw.seek.maxMs)} | ${ms(c.compressed.seek.p50Ms)} / ${ms(c.compressed.seek.p99Ms)} / ${ms(c.compressed.seek.maxMs)} |`,
  ];
}
