import {
  compressLog,
  LogError,
  LogReader,
  type LogStorage,
  type LogSummary,
  type LogWarning,
  logStorage,
  RECORD_TYPE_NAMES,
  ReplayError,
  readRecordingSidecar,
  summarizeLog,
} from '../../replay/src/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import type { LogInfoSection } from './log-info-section.ts';
import { parseCliArgsWithPositionals } from './parse-cli-args.ts';
import { SESSION_CHANNELS_SECTION } from './session-info-section.ts';

export const LOG_USAGE = `Usage: tickwire log <verify|info|compress> <dir>

Checks, describes or compresses a recorded session log (replay/README.md). verify and info change no file: a
torn tail is reported, and cut off by the next writer or reader that opens the log.

Subcommands:
  verify <dir>   read every segment and record, checking headers, CRC32C, sequence and time order, and the
                 index sidecars (and the blocks of compressed segments); print counts (segments, records,
                 bytes as written and on disk, records per type, time span)
  info <dir>     print the session metadata, the time span in UTC, the records per type and the bytes
  compress <dir> compress every segment of a finished log not compressed yet (.twlog to .twlogz, brotli),
                 as 'tickwire serve' does while it records; opens the log as a writer (refused while
                 another process writes it; a torn tail is cut off into a .broken file)

Options:
  -h, --help     show this help

Exit status: 0 the log is sound (a torn tail is not corruption), 1 it is corrupt or unreadable (the message
names the file and byte offset), 2 usage error.
`;

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

/** Sections `log info` prints after the built-in ones: the session's messages per channel. */
export const LOG_INFO_SECTIONS: LogInfoSection[] = [SESSION_CHANNELS_SECTION];

/** Names of the record types the recorder writes, for display. */
const TYPE_NAMES = RECORD_TYPE_NAMES;

/** `tickwire log`: returns the exit status. */
export async function logCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgsWithPositionals(argv, OPTIONS);
  if (values.help === true) {
    io.stdout.write(LOG_USAGE);
    return 0;
  }
  const [sub, dir, ...extra] = positionals;
  if (sub !== 'verify' && sub !== 'info' && sub !== 'compress') {
    throw new CliError(
      'BAD_FLAG',
      sub === undefined ? 'missing subcommand: verify, info or compress' : `unknown subcommand "${sub}"`,
    );
  }
  if (dir === undefined) throw new CliError('BAD_FLAG', `log ${sub}: missing the log directory`);
  if (extra.length > 0) throw new CliError('BAD_FLAG', `unexpected argument "${extra[0]}"`);
  if (sub === 'compress') return compressCommand(dir, io);

  const warnings: LogWarning[] = [];
  let reader: LogReader | undefined;
  try {
    reader = LogReader.open(dir, {
      repair: false,
      verify: sub === 'verify' ? 'all' : 'tail',
      onWarning: (w) => warnings.push(w),
    });
    const sections =
      sub === 'info'
        ? LOG_INFO_SECTIONS.map((s) => ({ title: s.title, o: s.create(reader?.metadata ?? {}) }))
        : [];
    const summary = summarizeLog(
      reader,
      sections.map((s) => s.o),
    );
    const recording = recordingNote(dir);
    const lines =
      sub === 'verify'
        ? [...verifyReport(dir, reader, summary, warnings), ...recording]
        : [
            ...infoReport(dir, reader, summary, warnings),
            ...recording,
            ...sections.flatMap((s) => {
              const lines = s.o.lines();
              return lines.length === 0 ? [] : [s.title, ...lines.map((l) => `  ${l}`)];
            }),
          ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof LogError || err instanceof ReplayError)) throw err;
    io.stderr.write(
      `tickwire log ${sub}: ${sub === 'verify' ? 'CORRUPT: ' : ''}${err.message} [${err.code}]\n`,
    );
    return 1;
  } finally {
    reader?.close();
  }
}

function verifyReport(dir: string, r: LogReader, s: LogSummary, warnings: readonly LogWarning[]): string[] {
  const segs = r.segments;
  const lines = [
    `${dir}: OK, every record checked`,
    `  segments  ${int(s.segments)} (${baseName(segs[0]?.file)} … ${baseName(segs.at(-1)?.file)})`,
    `  records   ${int(s.records)}${s.records > 0 ? ` (seq 1 … ${int(s.records)})` : ''}`,
    `  bytes     ${int(s.bytes)} (payloads ${int(s.payloadBytes)})`,
    `  on disk   ${onDisk(logStorage(r))}`,
    `  per type  ${perType(s)}`,
    `  span      ${span(s)}`,
  ];
  return [...lines, ...notes(warnings)];
}

function infoReport(dir: string, r: LogReader, s: LogSummary, warnings: readonly LogWarning[]): string[] {
  const meta = Object.entries(r.metadata).map(([k, v]) => `  ${k.padEnd(14)} ${shortJson(k, v)}`);
  return [
    `log       ${dir}`,
    'metadata',
    ...(meta.length > 0 ? meta : ['  (none)']),
    `span      ${span(s)}`,
    `records   ${int(s.records)} in ${int(s.segments)} segment${s.segments === 1 ? '' : 's'}, ${int(s.bytes)} bytes`,
    `on disk   ${onDisk(logStorage(r))}`,
    `per type  ${perType(s)}`,
    ...notes(warnings),
  ];
}

/** `tickwire log compress <dir>`. */
async function compressCommand(dir: string, io: CliIo): Promise<number> {
  try {
    const { before, after } = await compressLog(dir, (w) =>
      io.stderr.write(`tickwire log compress: ${w.message}\n`),
    );
    io.stdout.write(
      `${dir}: ${int(after.compressedSegments - before.compressedSegments)} segment(s) compressed\n` +
        `  before    ${onDisk(before)}\n  after     ${onDisk(after)}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof LogError)) throw err;
    io.stderr.write(`tickwire log compress: ${err.message} [${err.code}]\n`);
    return 1;
  }
}

/** `12,345,678 bytes (3 of 4 segments compressed: 45.1% of 27,000,000 as written)`. */
function onDisk(s: LogStorage): string {
  const share =
    s.bytes === 0 ? '' : `: ${((100 * s.storedBytes) / s.bytes).toFixed(1)}% of ${int(s.bytes)} as written`;
  return `${int(s.storedBytes)} bytes (${s.compressedSegments} of ${s.segments} segment${s.segments === 1 ? '' : 's'} compressed${share})`;
}

/** A metadata value for display: a session's instrument and channel lists are summarized. */
function shortJson(key: string, v: unknown): string {
  if (Array.isArray(v) && key === 'instruments' && v.every((i) => typeof i?.symbol === 'string')) {
    return v.map((i) => String((i as { symbol?: unknown }).symbol)).join(', ');
  }
  if (Array.isArray(v) && key === 'channels') return `${v.length} recorded (listed below)`;
  return JSON.stringify(v);
}

/** The session's `recording.json`: why its log ends before the session did (none for a whole recording). */
function recordingNote(dir: string): string[] {
  const s = readRecordingSidecar(dir);
  if (s === null) return [];
  return [
    `recording ${s.state.toUpperCase()} at ${isoUs(s.stoppedUs)} after seq ${int(s.lastSeq)}: ${int(s.droppedRecords)} records dropped, ${int(s.writeErrors)} write errors`,
    `  reason: ${s.reason}`,
  ];
}

function notes(warnings: readonly LogWarning[]): string[] {
  return warnings.map((w) =>
    w.code === 'TORN_TAIL_KEPT'
      ? `  note: ${w.message.replace(/ left in place.*$/, '')}: not corruption; the next open cuts it off`
      : `  note: ${w.message}`,
  );
}

function perType(s: LogSummary): string {
  if (s.recordsByType.size === 0) return '(no records)';
  return [...s.recordsByType]
    .map(([t, n]) => `${t}${TYPE_NAMES[t] === undefined ? '' : ` ${TYPE_NAMES[t]}`}: ${int(n)}`)
    .join(', ');
}

function span(s: LogSummary): string {
  if (s.firstTsUs === null || s.lastTsUs === null) return '(empty)';
  return `${isoUs(s.firstTsUs)} … ${isoUs(s.lastTsUs)} (${duration(s.lastTsUs - s.firstTsUs)})`;
}

/** ISO 8601 UTC with microseconds: 2026-01-01T00:00:00.000123Z. */
export function isoUs(tsUs: number): string {
  const ms = Math.floor(tsUs / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(tsUs - ms * 1000).padStart(3, '0')}Z`;
}

function duration(us: number): string {
  const s = us / 1e6;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(3);
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function baseName(file: string | undefined): string {
  return file === undefined ? '' : (file.split('/').at(-1) ?? file);
}
