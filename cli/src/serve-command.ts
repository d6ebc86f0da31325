import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FeedServerOptions,
  type LiveParts,
  startFeedServer,
  staticFiles,
} from '../../feed-server/src/http/index.ts';
import type { RecordingDiskUsage, RecordingStatus } from '../../feed-server/src/server/index.ts';
import { loadTlsOptions, ServerConfigError } from '../../feed-server/src/server/index.ts';
import type { Instrument } from '../../matching/src/index.ts';
import {
  continueFromDataDir,
  type FsyncPolicy,
  formatBytes,
  LogError,
  type RecordLiveOptions,
  ReplayError,
  type RetentionPolicy,
  RetentionRunner,
  type RollPolicy,
  recordLiveSession,
  type SegmentCompression,
  type SessionContinuation,
} from '../../replay/src/index.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { resolveInstruments } from './instrument-flags.ts';
import { parseCliArgs, parseIntegerFlag, parseListenFlag } from './parse-cli-args.ts';
import { DEFAULT_RETAIN, parseRetainFlag } from './retain-flag.ts';
import { checkRollAgainstRetain, defaultRollPolicy, parseRollFlag } from './roll-flag.ts';
import { parseCompressionFlag, parseSegmentSizeFlag } from './segment-flags.ts';

export const SERVE_USAGE = `Usage: tickwire serve [options]

Runs the live feed in one process: the seeded market simulator → matching engine → market data → WebSocket
fan-out, plus the REST API and the web client, on one port. Every option can also be set by the environment variable shown.

Options:
  -p, --port <n>            TCP port, 0 = any free one (TICKWIRE_PORT, default 8080)
      --host <addr>         address to listen on (TICKWIRE_HOST, default 127.0.0.1; 0.0.0.0 for all)
  -s, --seed <n>            simulator seed, 0 to 4294967295 (TICKWIRE_SEED, default 1)
      --symbols <list>      comma-separated symbols to trade (TICKWIRE_SYMBOLS, default: every configured one)
      --instruments <file>  instrument config JSON, as for 'tickwire simulate' (TICKWIRE_INSTRUMENTS)
      --rate <n>            simulator commands per second, 1 to 1000000 (TICKWIRE_RATE, default 200)
      --flush-ms <n>        minimum batching window of outgoing frames, 0 to 1000 ms; 0 sends what each
                            turn of work produced as soon as it is done (TICKWIRE_FLUSH_MS, default 0)
      --tls-cert <file>     PEM certificate chain: serve https and wss (TICKWIRE_TLS_CERT; with --tls-key)
      --tls-key <file>      PEM private key of the certificate (TICKWIRE_TLS_KEY)
      --auth-secret <s>     require an access token on every WebSocket connection, REST request (/api/)
                            and /metrics scrape; /healthz and the page stay open (open it as
                            /?token=<token>); mint tokens with 'tickwire token' (TICKWIRE_AUTH_SECRET;
                            at least 16 bytes)
      --metrics-listen <a>  serve /metrics on this HOST:PORT instead, without a token, e.g. 127.0.0.1:9464
                            (TICKWIRE_METRICS_LISTEN; bind it to loopback or a scrape-only network)
      --allow-origin <list> comma-separated web origins allowed to connect besides the same origin and
                            localhost, e.g. https://app.example.com; * for any (TICKWIRE_ALLOW_ORIGIN)
      --web-dir <dir>       the built web client served at / (TICKWIRE_WEB_DIR, default web/dist of this
                            package; 'npm start' builds it)
      --data-dir <dir>      where sessions are recorded, one directory per run (TICKWIRE_DATA_DIR, default
                            ./data); replay one with 'tickwire replay <dir>'
      --fsync <policy>      always | batch | none: when recorded records reach the disk (TICKWIRE_FSYNC,
                            default batch: group commit every 2 ms; see replay/README.md)
      --compression <c>     brotli | none: compress each recorded segment once it is sealed, and the last
                            one at the end (TICKWIRE_COMPRESSION, default brotli: ~45% of the bytes)
      --segment-size <size> size of a recorded segment, 64KiB to 1GiB (TICKWIRE_SEGMENT_SIZE, default 64MiB)
      --retain <policy>     how much of --data-dir to keep: the oldest whole sessions are deleted at start,
                            every minute and after each roll while older than an age or over a total size,
                            never the one being written: 7d, 10GB, 7d,10GB (whichever first) or none
                            (TICKWIRE_RETAIN, default ${DEFAULT_RETAIN}); ages m|h|d|w, sizes B|KB|MB|GB|TB
                            (1000) or KiB|MiB|GiB|TiB (1024)
      --roll <policy>       when to close the session being recorded and go on in a new session directory,
                            the feed undisturbed, so that retention can delete the old ones: 1h, 256MB,
                            1h,256MB (whichever first) or none (TICKWIRE_ROLL, default 1h and 256MB or a
                            quarter of --retain's size if less; a size at least 64KiB and at most half of
                            --retain's); ages of feed time m|h|d|w, sizes of recorded bytes as --retain's
      --no-record           do not record the session (TICKWIRE_RECORD=0)
  -h, --help                show this help

Stop with Ctrl-C (SIGINT) or SIGTERM: clients are closed with 1001 and the process exits 0, or 3 when the
recording is incomplete (a write failed, or it fell behind past its bound; the last line says which), 1 on
any other failure. The recording's progress is on /metrics (tickwire_recording_*) and /healthz.
`;

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  seed: { type: 'string', short: 's' },
  symbols: { type: 'string' },
  instruments: { type: 'string' },
  rate: { type: 'string' },
  'flush-ms': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'auth-secret': { type: 'string' },
  'metrics-listen': { type: 'string' },
  'allow-origin': { type: 'string' },
  'web-dir': { type: 'string' },
  'data-dir': { type: 'string' },
  fsync: { type: 'string' },
  compression: { type: 'string' },
  'segment-size': { type: 'string' },
  retain: { type: 'string' },
  roll: { type: 'string' },
  'no-record': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed options of `tickwire serve`. */
export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly seed: number;
  readonly rate: number;
  readonly flushMs: number;
  readonly instruments: readonly Instrument[];
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly tls: { readonly certPath: string; readonly keyPath: string } | undefined;
  readonly authSecret: string | undefined;
  /** `--metrics-listen`: `/metrics` on its own address instead of the feed's port */
  readonly metricsListen: { readonly host: string; readonly port: number } | undefined;
  readonly allowedOrigins: readonly string[];
  /** the directory of the built web client, served at `/` */
  readonly webDir: string;
  /** where to record the session; null: do not record */
  readonly dataDir: string | null;
  readonly fsync: FsyncPolicy;
  /** `--compression`: how sealed segments are stored */
  readonly compression: SegmentCompression;
  /** `--segment-size`: the recording's segment size in bytes; undefined: the log's default (64 MiB) */
  readonly segmentBytes: number | undefined;
  /** `--retain`: what of `dataDir` to keep; null: everything (`none`) */
  readonly retain: RetentionPolicy | null;
  /** `--roll`: when to go on recording in a new session; null: never (`none`) */
  readonly roll: RollPolicy | null;
}

/** The web client's build output in this package (`npm run build:web`, or `npm start`, writes it). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

type Env = Readonly<Record<string, string | undefined>>;

/** Parses the arguments after `serve`, flags over environment variables; `'help'` when asked. Throws `CliError`. */
export function parseServeArgs(argv: readonly string[], env: Env = process.env): ServeOptions | 'help' {
  const { values } = parseCliArgs(argv, OPTIONS);
  if (values.help === true) return 'help';
  const pick = (flag: keyof typeof OPTIONS, variable: string): { name: string; text: string } | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return { name: `--${flag}`, text: fromFlag };
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === '' ? undefined : { name: variable, text: fromEnv };
  };
  const int = (flag: keyof typeof OPTIONS, variable: string, min: number, max: number, fallback: number) => {
    const v = pick(flag, variable);
    return v === undefined ? fallback : parseIntegerFlag(v.name, v.text, min, max);
  };
  const host = pick('host', 'TICKWIRE_HOST')?.text ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) {
    throw new CliError('BAD_FLAG_VALUE', `--host: "${host}" is not a host name or address`);
  }
  const { instruments, initialPrices } = resolveInstruments(
    pick('instruments', 'TICKWIRE_INSTRUMENTS')?.text,
    pick('symbols', 'TICKWIRE_SYMBOLS')?.text,
  );
  const certPath = pick('tls-cert', 'TICKWIRE_TLS_CERT')?.text;
  const keyPath = pick('tls-key', 'TICKWIRE_TLS_KEY')?.text;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new CliError('BAD_FLAG', '--tls-cert and --tls-key go together: give both or neither');
  }
  const origins = pick('allow-origin', 'TICKWIRE_ALLOW_ORIGIN')?.text;
  const metricsListen = pick('metrics-listen', 'TICKWIRE_METRICS_LISTEN');
  const fsync = pick('fsync', 'TICKWIRE_FSYNC');
  if (fsync !== undefined && !FSYNC_POLICIES.includes(fsync.text as FsyncPolicy)) {
    throw new CliError('BAD_FLAG_VALUE', `${fsync.name}: "${fsync.text}" is not always, batch or none`);
  }
  const compression = pick('compression', 'TICKWIRE_COMPRESSION');
  const segmentSize = pick('segment-size', 'TICKWIRE_SEGMENT_SIZE');
  const record = env.TICKWIRE_RECORD;
  if (record !== undefined && record !== '' && record !== '0' && record !== '1') {
    throw new CliError('BAD_FLAG_VALUE', `TICKWIRE_RECORD: "${record}" is not 0 or 1`);
  }
  const noRecord = values['no-record'] === true || record === '0';
  const retain = pick('retain', 'TICKWIRE_RETAIN') ?? { name: '--retain', text: DEFAULT_RETAIN };
  const retainPolicy = parseRetainFlag(retain.name, retain.text);
  const roll = pick('roll', 'TICKWIRE_ROLL');
  let rollPolicy: RollPolicy | null = defaultRollPolicy(retainPolicy);
  if (roll !== undefined) {
    const policy = parseRollFlag(roll.name, roll.text);
    checkRollAgainstRetain({ ...roll, policy }, { ...retain, policy: retainPolicy });
    rollPolicy = policy;
  }
  return {
    retain: retainPolicy,
    roll: rollPolicy,
    dataDir: noRecord ? null : (pick('data-dir', 'TICKWIRE_DATA_DIR')?.text ?? 'data'),
    fsync: (fsync?.text ?? 'batch') as FsyncPolicy,
    compression:
      compression === undefined ? 'brotli' : parseCompressionFlag(compression.name, compression.text),
    segmentBytes:
      segmentSize === undefined ? undefined : parseSegmentSizeFlag(segmentSize.name, segmentSize.text),
    tls: certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : undefined,
    authSecret: pick('auth-secret', 'TICKWIRE_AUTH_SECRET')?.text,
    metricsListen:
      metricsListen === undefined ? undefined : parseListenFlag(metricsListen.name, metricsListen.text),
    allowedOrigins: origins === undefined ? [] : origins.split(',').map((o) => o.trim()),
    webDir: pick('web-dir', 'TICKWIRE_WEB_DIR')?.text ?? DEFAULT_WEB_DIR,
    host,
    port: int('port', 'TICKWIRE_PORT', 0, 65_535, 8080),
    seed: int('seed', 'TICKWIRE_SEED', 0, 2 ** 32 - 1, 1),
    rate: int('rate', 'TICKWIRE_RATE', 1, 1_000_000, 200),
    flushMs: int('flush-ms', 'TICKWIRE_FLUSH_MS', 0, 1000, 0),
    instruments,
    initialPrices,
  };
}

/** Where `serve` records: set once the recorder is open. */
interface RecordingRef {
  dir?: string;
  status?: () => RecordingStatus;
  /** the data directory's usage and what retention deleted */
  disk?: () => RecordingDiskUsage;
}

/** Exit status of `serve` when the feed stopped cleanly but its recording is incomplete (failed or degraded). */
export const RECORDING_INCOMPLETE_EXIT_CODE = 3;

/** The options of `startFeedServer` for parsed `serve` options. */
export function feedServerOptions(
  opts: ServeOptions,
  io: CliIo,
  recording: RecordingRef = {},
  continuation: SessionContinuation | null = null,
): FeedServerOptions {
  // A continued session's simulator starts from the recorded prices, over any configured initial price.
  const initialPrices = { ...opts.initialPrices, ...continuation?.initialPrices };
  return {
    host: opts.host,
    port: opts.port,
    seed: opts.seed,
    rate: opts.rate,
    instruments: opts.instruments,
    initialPrices,
    ...(continuation === null ? {} : { history: continuation.marketData }),
    gateway: { flushMs: opts.flushMs },
    processMetrics: true,
    tls: opts.tls === undefined ? undefined : loadTlsOptions(opts.tls),
    authSecret: opts.authSecret,
    ...(opts.metricsListen === undefined ? {} : { metricsListen: opts.metricsListen }),
    origins: { allowedOrigins: opts.allowedOrigins },
    routes: [staticFiles({ root: opts.webDir })],
    log: (line) => io.stderr.write(`${line}\n`),
    ...(opts.dataDir === null
      ? {}
      : {
          attach: (live: LiveParts) =>
            recordTo(
              opts,
              live,
              io,
              recording,
              {
                initialPrices,
                ...(continuation === null
                  ? {}
                  : { continues: { ...continuation.from, dir: basename(continuation.from.dir) } }),
              },
              continuation === null ? [] : [continuation.from.dir],
            ),
        }),
  };
}

const FSYNC_POLICIES: readonly FsyncPolicy[] = ['always', 'batch', 'none'];

/** Records the live session under `--data-dir` and says where. */
async function recordTo(
  opts: ServeOptions,
  live: LiveParts,
  io: CliIo,
  ref: RecordingRef,
  run: Pick<RecordLiveOptions, 'initialPrices' | 'continues'>,
  // The session this run continues: kept by retention until the next restart continues this one instead, so a
  // crash before this session's first keyframe is durable still leaves the history to continue from.
  keep: readonly string[],
) {
  let retention: RetentionRunner | undefined;
  const recording = await recordLiveSession(live, {
    ...run,
    dataDir: opts.dataDir as string,
    fsync: opts.fsync,
    compression: opts.compression,
    ...(opts.segmentBytes === undefined ? {} : { segmentBytes: opts.segmentBytes }),
    seed: opts.seed,
    rate: opts.rate,
    ...(opts.roll === null ? {} : { roll: opts.roll }),
    onRoll: (roll) => {
      ref.dir = roll.to;
      // The session rolled from is kept as a continued one is, until the next roll (or restart): a crash before
      // the new session's first keyframe is on disk still leaves it to continue from.
      retention?.rolledTo(roll.to, [roll.from]);
      io.stderr.write(
        `recording: rolled to ${roll.to} (${roll.from} closed at ${formatBytes(roll.bytes)}, ${roll.records} records)\n`,
      );
    },
    onRollError: (e) => io.stderr.write(`recording: ${e.message}\n`),
    onWarning: (w) => io.stderr.write(`recording: ${w.message}\n`),
    onError: (e) =>
      io.stderr.write(
        `recording stopped (the feed goes on): ${e instanceof Error ? e.message : String(e)}\n`,
      ),
    onDegraded: (why) => io.stderr.write(`recording degraded: ${why}\n`),
  });
  retention = RetentionRunner.start({
    dataDir: opts.dataDir as string,
    policy: opts.retain,
    currentDir: recording.recorder.dir,
    keep,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  ref.dir = recording.recorder.dir;
  ref.status = recording.status;
  const runner = retention;
  ref.disk = () => runner.usage();
  return {
    status: recording.status,
    close: async () => {
      retention?.stop();
      await recording.close();
    },
  };
}

/**
 * Where a recorded `serve` continues from: the last session recorded in `--data-dir` (README, "History across
 * restarts"); null without recording or in a fresh data directory. Says what it continues, and what it skipped.
 */
function continueRecorded(opts: ServeOptions, io: CliIo): SessionContinuation | null {
  if (opts.dataDir === null) return null;
  const started = performance.now();
  const continuation = continueFromDataDir(opts.dataDir, {
    instruments: opts.instruments,
    startUs: Date.now() * 1000,
    onSkip: (dir, reason) => io.stderr.write(`not continuing ${dir}: ${reason}\n`),
    onWarning: (w) => io.stderr.write(`reading the previous session: ${w.message}\n`),
  });
  if (continuation !== null) {
    const at = new Date(continuation.from.endUs / 1000).toISOString();
    const ms = Math.round(performance.now() - started);
    io.stdout.write(
      `Continuing ${continuation.from.dir} (ended ${at}): its candles and prices carry on (read in ${ms} ms)\n`,
    );
  }
  return continuation;
}

/** `tickwire serve`: runs until `io.signal` aborts; returns the exit status. */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseServeArgs(argv);
  if (parsed === 'help') {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  const recording: RecordingRef = {};
  try {
    const continuation = continueRecorded(parsed, io);
    server = await startFeedServer(feedServerOptions(parsed, io, recording, continuation));
  } catch (cause) {
    if (cause instanceof ServerConfigError) throw new CliError('BAD_CONFIG', cause.message, { cause });
    const syscall = (cause as NodeJS.ErrnoException).syscall;
    if (cause instanceof LogError || cause instanceof ReplayError || syscall === 'mkdir') {
      throw new CliError('BAD_FLAG_VALUE', `--data-dir: cannot record there: ${(cause as Error).message}`, {
        cause,
      });
    }
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      // The feed's port or --metrics-listen's: listen errors name the address that failed.
      const { address = parsed.host, port = parsed.port } = cause as { address?: string; port?: number };
      throw new CliError(
        'BAD_FLAG_VALUE',
        `cannot listen on ${address}:${port}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    throw cause;
  }
  server.metrics.watchRecordingDisk(() => recording.disk?.());
  const shown = server.url.replace(/\/\/(127\.0\.0\.1|\[::1\]|0\.0\.0\.0|\[::\])(?=:)/, '//localhost');
  const auth = parsed.authSecret === undefined ? '' : '; tokens required';
  const symbols = parsed.instruments.map((i) => i.symbol).join(', ');
  io.stdout.write(
    `Tickwire live feed on ${shown}  (WebSocket ${shown.replace(/^http/, 'ws')}/v1/ws; seed ${parsed.seed}, ${symbols} at ${parsed.rate} orders/s${auth})\n`,
  );
  if (parsed.metricsListen !== undefined) {
    io.stdout.write(`Metrics on ${server.metricsUrl} (no token asked there: keep the address private)\n`);
  }
  if (recording.dir !== undefined) {
    io.stdout.write(
      `Recording to ${recording.dir} (fsync ${parsed.fsync}); replay it with 'npx tickwire replay ${recording.dir}'\n`,
    );
    io.stdout.write(`Retention: ${retainText(parsed.retain)} (--retain)\n`);
    io.stdout.write(`Rolling: ${rollText(parsed.roll)} (--roll)\n`);
  }
  if (existsSync(join(parsed.webDir, 'index.html'))) {
    const query = parsed.authSecret === undefined ? '' : "/?token=<a token from 'tickwire token'>";
    io.stdout.write(`Open ${shown}${query} in a browser for the web client\n`);
  } else {
    io.stderr.write(
      `The web client is not built in ${parsed.webDir}: run 'npm run build:web' (npm start does); ${shown}/ shows a plain-text page meanwhile\n`,
    );
  }
  await new Promise<void>((resolve) => {
    if (io.signal === undefined) return;
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  let closeFailure: unknown;
  try {
    await server.close();
  } catch (error) {
    // The server closed everything anyway (clients got 1001); a recording's write failure comes back here.
    if (!(error instanceof LogError)) throw error;
    closeFailure = error;
  }
  io.stdout.write('Tickwire stopped\n');
  const status = recording.status?.();
  if (
    closeFailure !== undefined ||
    (status !== undefined && (status.droppedRecords > 0 || status.writeErrors > 0))
  ) {
    io.stderr.write(`tickwire serve: ${incompleteLine(recording.dir ?? '', status, closeFailure)}\n`);
    return RECORDING_INCOMPLETE_EXIT_CODE;
  }
  return 0;
}

/** `--retain` as `serve` prints it. */
function retainText(policy: RetentionPolicy | null): string {
  if (policy === null) return 'every session kept';
  const parts: string[] = [];
  if (policy.maxAgeMs !== null) {
    const h = policy.maxAgeMs / 3_600_000;
    parts.push(h >= 24 && h % 24 === 0 ? `${h / 24} days` : `${Math.round(h * 100) / 100} h`);
  }
  if (policy.maxBytes !== null) parts.push(formatBytes(policy.maxBytes));
  return `sessions kept up to ${parts.join(' or ')}, whichever first; the oldest deleted first`;
}

/** `--roll` as `serve` prints it. */
function rollText(policy: RollPolicy | null): string {
  if (policy === null) return 'one session for the whole run';
  const parts: string[] = [];
  if (policy.maxAgeUs !== null) parts.push(`${Math.round((policy.maxAgeUs / 3.6e9) * 100) / 100} h`);
  if (policy.maxBytes !== null) parts.push(formatBytes(policy.maxBytes));
  return `a new session directory every ${parts.join(' or ')} of recording, whichever first; the feed goes on undisturbed`;
}

/** The last line of a `serve` whose recording is incomplete. */
function incompleteLine(dir: string, s: RecordingStatus | undefined, failure: unknown): string {
  const why = failure instanceof Error ? failure.message : (s?.reason ?? 'unknown');
  const kept =
    s === undefined ? '' : ` it holds records 1 … ${s.durableSeq}, ${s.droppedRecords} dropped after them`;
  const what = failure !== undefined || (s?.writeErrors ?? 0) > 0 ? 'failed' : 'degraded';
  return `the recording in ${dir} ${what}:${kept}; ${why}`;
}
