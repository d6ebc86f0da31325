/**
 * `node --import tsx bench/encoding/msgpackr-native.ts [--rounds N] [--reps N] [--seconds N] [--json]`: does the
 * optional native accelerator of msgpackr (`msgpackr-extract`, which only decodes strings) pay for itself on our
 * frames? Runs the same measurement in child processes alternately with the accelerator (as `npm ci` installs
 * it, when its prebuilt binary loads) and without it (`MSGPACKR_NATIVE_ACCELERATION_DISABLED=true`, which
 * msgpackr reads once at import), A B A B …, and prints both side by side with their ratio. Figures, not
 * assertions; progress to stderr, the report to stdout.
 *
 * What is timed, per message: the SDK's `decodeFrame` and the server's `encodeMessage` + `buildFrame` on the
 * messages the real producer (`FeedPublisher` driven by the simulator) publishes — updates of `trades`,
 * `ticker`, `book:SYM:10` and `candles:SYM:1s`, framed 1 and 10 at a time, the four interleaved, and the
 * snapshots a subscriber gets first — and the replay's `decodeCommand` / `encodeCommand` on the recorded
 * commands; then two controls with longer strings than our traffic has, where the accelerator should show. The
 * encode columns are a noise gauge: encoding never touches the accelerator, so their ratio is the machine's.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isNativeAccelerationEnabled } from 'msgpackr';
import {
  buildFrame,
  decodeFrame,
  encodeMessage,
  parseChannel,
  type ServerMessage,
} from '../../feed-server/src/protocol/index.ts';
import { FeedPublisher, InProcessBus, SimulationDriver } from '../../feed-server/src/server/index.ts';
import { type Command, DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';
import { decodeCommand, encodeCommand } from '../../replay/src/index.ts';
import { intFlag } from '../common/int-flag.ts';
import { readBenchArgs } from '../common/read-bench-args.ts';
import { type TimedJob, timeRoundRobin, timingChecksum } from './timing.ts';

const USAGE = `Usage: node --import tsx bench/encoding/msgpackr-native.ts [flags]
  --rounds N    child processes per variant, run alternately (default 3)
  --reps N      timed passes per case in each child; the best is kept (default 7)
  --seconds N   simulated market seconds recorded at 200 commands/s (default 120)
  --json        print one JSON object instead of the table
  --help`;

interface Options {
  readonly rounds: number;
  readonly reps: number;
  readonly seconds: number;
  readonly json: boolean;
}

function parseOptions(argv: readonly string[]): Options | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      rounds: { type: 'string' },
      reps: { type: 'string' },
      seconds: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  return {
    rounds: intFlag('rounds', values.rounds, 3, 1),
    reps: intFlag('reps', values.reps, 7, 1),
    seconds: intFlag('seconds', values.seconds, 120, 5),
    json: values.json,
  };
}

/** One thing decoded and encoded: `items` messages (or records) in `units` frames (or records). */
interface CaseResult {
  readonly name: string;
  readonly messages: number;
  readonly bytesPerMsg: number;
  /** strings per message on the wire (what the accelerator is for) */
  readonly stringsPerMsg: number;
  /** best pass, ns per message */
  readonly decodeNs: number;
  readonly encodeNs: number;
}

interface ChildResult {
  readonly native: boolean;
  readonly cases: readonly CaseResult[];
}

// ---- the child: record a feed, time it ----

interface Recorded {
  readonly updates: Map<string, Uint8Array[]>;
  /** every update of the four channels, in publish order */
  readonly mixed: Uint8Array[];
  readonly snapshots: Map<string, Uint8Array>;
  readonly commands: Command[];
}

const SYMBOL = 'BTC-USD';
const UPDATE_CHANNELS = [`trades:${SYMBOL}`, `ticker:${SYMBOL}`, `book:${SYMBOL}:10`, `candles:${SYMBOL}:1s`];
const SNAPSHOT_CHANNELS = [`trades:${SYMBOL}`, `candles:${SYMBOL}:1s`, 'instruments'];

function record(seconds: number): Recorded {
  const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
  let nowMs = Date.UTC(2026, 0, 5, 14);
  const clockMs = (): number => nowMs;
  const bus = new InProcessBus((error) => {
    throw error;
  });
  const publisher = new FeedPublisher({ instruments, bus, clockMs, session: 'bench' });
  const driver = new SimulationDriver({ seed: 1, instruments, rate: 200, publisher, clockMs });
  const commands: Command[] = [];
  driver.onCommand = (cmd) => commands.push(cmd);
  const updates = new Map<string, Uint8Array[]>();
  const mixed: Uint8Array[] = [];
  const handles = new Map<string, ReturnType<FeedPublisher['open']>>();
  for (const name of new Set([...UPDATE_CHANNELS, ...SNAPSHOT_CHANNELS])) {
    const handle = publisher.open(parseChannel(name, { knownSymbols: publisher.symbols }));
    handles.set(handle.name, handle);
  }
  for (const name of UPDATE_CHANNELS) {
    const list: Uint8Array[] = [];
    updates.set(name, list);
    bus.subscribe(name, (_channel, _seq, encoded) => {
      list.push(encoded);
      mixed.push(encoded);
    });
  }
  for (let t = 0; t < seconds * 200; t++) {
    nowMs += 5;
    driver.pump();
  }
  const snapshots = new Map<string, Uint8Array>();
  for (const name of SNAPSHOT_CHANNELS) {
    const handle = handles.get(name);
    if (handle === undefined) throw new Error(`no channel ${name}`);
    snapshots.set(name, publisher.snapshot(handle).encoded);
  }
  return { updates, mixed, snapshots, commands };
}

/** MessagePack strings in `bytes` (fixstr, str8/16/32): a rough count, by walking the decoded value. */
function countStrings(v: unknown): number {
  if (typeof v === 'string') return 1;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countStrings(x), 0);
  if (typeof v === 'object' && v !== null)
    return Object.entries(v).reduce((n, [, x]) => n + 1 + countStrings(x), 0);
  return 0;
}

interface Case {
  readonly name: string;
  readonly messages: number;
  readonly bytes: number;
  readonly strings: number;
  readonly decode: TimedJob;
  readonly encode: TimedJob;
}

function frameCase(name: string, encoded: readonly Uint8Array[], batch: number): Case {
  const frames: Uint8Array[] = [];
  const values: ServerMessage[][] = [];
  for (let i = 0; i + batch <= encoded.length; i += batch) {
    const frame = buildFrame(encoded.slice(i, i + batch));
    frames.push(frame);
    values.push(decodeFrame(frame));
  }
  const messages = frames.length * batch;
  const bytes = frames.reduce((n, f) => n + f.length, 0);
  const strings = values.reduce((n, v) => n + countStrings(v), 0);
  const scratch: Uint8Array[] = new Array(batch);
  return {
    name,
    messages,
    bytes,
    strings,
    decode: {
      items: messages,
      pass: () => {
        let n = 0;
        for (const f of frames) n += decodeFrame(f).length;
        return n;
      },
    },
    encode: {
      items: messages,
      pass: () => {
        let n = 0;
        for (const v of values) {
          for (let i = 0; i < v.length; i++) scratch[i] = encodeMessage(v[i] as ServerMessage);
          n += buildFrame(scratch, v.length).length;
        }
        return n;
      },
    },
  };
}

function commandCase(commands: readonly Command[]): Case {
  const records = commands.map(encodeCommand);
  return {
    name: 'replay: command records',
    messages: records.length,
    bytes: records.reduce((n, r) => n + r.length, 0),
    strings: records.reduce((n, r) => n + countStrings(decodeCommand(r)), 0),
    decode: {
      items: records.length,
      pass: () => {
        let n = 0;
        for (const r of records) n += decodeCommand(r).tsUs;
        return n;
      },
    },
    encode: {
      items: commands.length,
      pass: () => {
        let n = 0;
        for (const c of commands) n += encodeCommand(c).length;
        return n;
      },
    },
  };
}

function child(options: Options): void {
  const rec = record(options.seconds);
  const get = (name: string): Uint8Array[] => rec.updates.get(name) ?? [];
  const cases: Case[] = [];
  for (const name of UPDATE_CHANNELS) {
    const kind = name.split(':')[0];
    cases.push(frameCase(`${kind} updates, 1/frame`, get(name), 1));
    cases.push(frameCase(`${kind} updates, 10/frame`, get(name), 10));
  }
  cases.push(frameCase('mixed updates, 10/frame', rec.mixed, 10));
  for (const [name, encoded] of rec.snapshots) {
    cases.push(frameCase(`${name.split(':')[0]} snapshot`, [encoded], 1));
  }
  cases.push(commandCase(rec.commands));
  // Controls, not our traffic: strings long enough for the accelerator to matter, to show the measurement
  // can see it. An `error` message carries ~60 characters of text; a `reset` reason can be anything.
  const errors = Array.from({ length: 2000 }, (_, i) =>
    encodeMessage([
      2,
      i,
      'UNKNOWN_CHANNEL',
      `channel "book:XYZ-${i}:10": no such symbol on this feed`,
      `book:XYZ-${i}:10`,
    ]),
  );
  cases.push(frameCase('control: error messages, 10/frame', errors, 10));
  const resets = Array.from({ length: 500 }, (_, i) => encodeMessage([5, i, `${'x'.repeat(1000)}${i}`]));
  cases.push(frameCase('control: 1 KB reset reasons, 10/frame', resets, 10));
  const jobs = cases.flatMap((c) => [c.decode, c.encode]);
  // Snapshots are one message: repeat them so a pass lasts long enough to time.
  const repeated = jobs.map((job): TimedJob => {
    const times = Math.max(1, Math.ceil(20_000 / job.items));
    return {
      items: job.items * times,
      pass: () => {
        let n = 0;
        for (let i = 0; i < times; i++) n += job.pass();
        return n;
      },
    };
  });
  const times = timeRoundRobin(repeated, options.reps, 3);
  const result: ChildResult = {
    native: isNativeAccelerationEnabled,
    cases: cases.map((c, i) => ({
      name: c.name,
      messages: c.messages,
      bytesPerMsg: c.bytes / c.messages,
      stringsPerMsg: c.strings / c.messages,
      decodeNs: times[2 * i]?.bestNs ?? Number.NaN,
      encodeNs: times[2 * i + 1]?.bestNs ?? Number.NaN,
    })),
  };
  process.stderr.write(`  checksum ${timingChecksum()}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ---- the parent: run the children alternately, compare ----

function runChild(native: boolean, argv: readonly string[]): Promise<ChildResult> {
  const env = { ...process.env };
  if (native) delete env.MSGPACKR_NATIVE_ACCELERATION_DISABLED;
  else env.MSGPACKR_NATIVE_ACCELERATION_DISABLED = 'true';
  const script = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, '--child', ...argv], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}`));
      else resolve(JSON.parse(out) as ChildResult);
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function parent(options: Options, argv: readonly string[]): Promise<number> {
  const runs: Record<'native' | 'js', ChildResult[]> = { native: [], js: [] };
  for (let r = 0; r < options.rounds; r++) {
    for (const native of [true, false]) {
      process.stderr.write(`· round ${r + 1}/${options.rounds}, ${native ? 'native' : 'JS only'}\n`);
      const result = await runChild(native, argv);
      if (result.native !== native) {
        process.stderr.write(
          `the ${native ? 'native' : 'JS-only'} child reported isNativeAccelerationEnabled=${result.native}` +
            (native ? ': msgpackr-extract is not installed or its binary does not load here\n' : '\n'),
        );
        return 1;
      }
      runs[native ? 'native' : 'js'].push(result);
    }
  }
  const first = runs.native[0] as ChildResult;
  const rows = first.cases.map((c, i) => {
    const pick = (list: ChildResult[], f: (x: CaseResult) => number): number =>
      median(list.map((x) => f(x.cases[i] as CaseResult)));
    return {
      name: c.name,
      messages: c.messages,
      bytesPerMsg: c.bytesPerMsg,
      stringsPerMsg: c.stringsPerMsg,
      decodeNative: pick(runs.native, (x) => x.decodeNs),
      decodeJs: pick(runs.js, (x) => x.decodeNs),
      encodeNative: pick(runs.native, (x) => x.encodeNs),
      encodeJs: pick(runs.js, (x) => x.encodeNs),
    };
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, options, rows })}\n`);
    return 0;
  }
  const f = (x: number): string => x.toFixed(0);
  const lines = [
    `msgpackr native string extraction: ns per message, median over ${options.rounds} processes each of the best of ${options.reps} passes (node ${process.version})`,
    '',
    '| messages | msgs | B/msg | strings/msg | decode native | decode JS | native/JS | encode native | encode JS | native/JS |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.messages} | ${r.bytesPerMsg.toFixed(1)} | ${r.stringsPerMsg.toFixed(2)} | ` +
        `${f(r.decodeNative)} | ${f(r.decodeJs)} | ${(r.decodeNative / r.decodeJs).toFixed(2)} | ` +
        `${f(r.encodeNative)} | ${f(r.encodeJs)} | ${(r.encodeNative / r.encodeJs).toFixed(2)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

const argv = process.argv.slice(2);
const options = readBenchArgs(
  argv.filter((a) => a !== '--child'),
  parseOptions,
  USAGE,
);
if (typeof options === 'number') process.exitCode = options;
else if (argv.includes('--child')) child(options);
else
  process.exitCode = await parent(
    options,
    argv.filter((a) => a !== '--json'),
  );
