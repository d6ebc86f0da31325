import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LiveParts } from '../../../feed-server/src/http/index.ts';
import type { FeedPublisher, RecordingStatus } from '../../../feed-server/src/server/index.ts';
import type { FsyncPolicy, LogWarningHandler, SegmentCompression } from '../log/index.ts';
import { type RollPolicy, rollDue } from './roll-policy.ts';
import { encodeKeyframe, type Keyframe } from './session-codec.ts';
import {
  SESSION_FORMAT,
  SESSION_FORMAT_VERSION,
  type SessionMetadata,
  type SessionSource,
} from './session-metadata.ts';
import { DEFAULT_KEYFRAME_POLICY, DEFAULT_MAX_BUFFERED_BYTES, SessionRecorder } from './session-recorder.ts';
import { tickwireVersion } from './version.ts';

/** The metadata of a session recorded from `publisher`'s channels. */
export function sessionMetadata(
  publisher: FeedPublisher,
  source: SessionSource,
  startUs: number,
  extra: Pick<SessionMetadata, 'seed' | 'rate' | 'origin' | 'initialPrices' | 'continues'> = {},
  keyframes: SessionMetadata['keyframes'] = DEFAULT_KEYFRAME_POLICY,
): SessionMetadata {
  return {
    format: SESSION_FORMAT,
    version: SESSION_FORMAT_VERSION,
    session: publisher.session,
    source,
    engine: `tickwire/${tickwireVersion()}`,
    startUs,
    instruments: publisher.instruments(),
    channels: publisher.channels().map((c) => [c.id, c.name] as const),
    keyframes,
    ...extra,
  };
}

/**
 * A new session directory under `dataDir`, named by the UTC time (`2026-12-01T21-49-44Z`, then `-2`, `-3` … if
 * taken), so sessions sort by when they were recorded.
 */
export function newSessionDir(dataDir: string, nowMs: number): string {
  mkdirSync(dataDir, { recursive: true });
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  for (let n = 1; ; n++) {
    const dir = join(dataDir, n === 1 ? stamp : `${stamp}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Opens a session in `dir`, just made by {@link newSessionDir}; when that fails (disk full, a metadata error), the
 * directory goes again, so no empty or half-made session stays behind for every later start to skip.
 */
function inNewSessionDir<T>(dir: string, open: (dir: string) => T): T {
  try {
    return open(dir);
  } catch (error) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the error that matters is the one thrown below.
    }
    throw error;
  }
}

/** Options of {@link recordLiveSession}. */
export interface RecordLiveOptions {
  readonly dataDir: string;
  readonly fsync: FsyncPolicy;
  readonly seed: number;
  readonly rate: number;
  /** the simulator's starting prices, when not its defaults (see `SessionMetadata.initialPrices`) */
  readonly initialPrices?: Readonly<Record<string, number>>;
  /** the session this one continues (see `SessionMetadata.continues`) */
  readonly continues?: SessionMetadata['continues'];
  /** default {@link DEFAULT_KEYFRAME_POLICY} */
  readonly keyframes?: SessionMetadata['keyframes'];
  /** when to close the session and go on recording in a new one (replay/README.md, "Rolling"); default never */
  readonly roll?: RollPolicy;
  /** told after each roll, synchronously, between two engine commands: keep it short */
  readonly onRoll?: (roll: SessionRoll) => void;
  /**
   * told once when a roll cannot open the new session (its directory cannot be created: disk full, permissions,
   * the data directory gone): rolling stops and the recording goes on in the current session, so this is not
   * a recording failure (`onError`); default a line on stderr
   */
  readonly onRollError?: (error: Error) => void;
  readonly onWarning?: LogWarningHandler;
  readonly onError?: (error: unknown) => void;
  readonly onDegraded?: (reason: string) => void;
  /**
   * the recorder's bound on bytes not yet written (default `DEFAULT_MAX_BUFFERED_BYTES`; `Infinity` for a
   * caller that drives a simulated clock without ever yielding, as a benchmark does)
   */
  readonly maxBufferedBytes?: number;
  /** the log's segment size (default the log's) */
  readonly segmentBytes?: number;
  /** how sealed segments are stored (default brotli: compressed, the last one at each close and roll) */
  readonly compression?: SegmentCompression;
  /** the feed's clock, ms (default `Date.now`, as the live driver's) */
  readonly clockMs?: () => number;
}

/** One roll of a live recording: the session closed and the one that goes on from it. */
export interface SessionRoll {
  /** the session closed (its writer finishes in the background) */
  readonly from: string;
  /** the new session being written */
  readonly to: string;
  /** records and record bytes of the session closed, its last keyframe included */
  readonly records: number;
  readonly bytes: number;
}

/** A live recording (see {@link recordLiveSession}). */
export interface LiveRecording {
  /** the recorder of the session being written: a new one after each roll */
  readonly recorder: SessionRecorder;
  /** sessions closed at a roll bound so far */
  readonly rolls: number;
  /** rolls that could not open the new session (0 or 1: the first one stops rolling) */
  readonly rollFailures: number;
  /** the recording's progress; drops and write errors counted over every session of the run */
  status(): RecordingStatus;
  /** closes the session being written, and waits for the writers of the sessions rolled from */
  close(): Promise<void>;
}

/**
 * Records a live server's session (the `attach` of `startFeedServer`): taps the driver for the input and the bus
 * for every message of the channels produced from the start, and keyframes the publisher with the engine's
 * state hash.
 *
 * With `roll`, the recording rolls (replay/README.md, "Rolling"): at the first step where a bound is reached —
 * between two engine inputs, where the producer's state is whole and every message of the last input is
 * recorded — it opens a new session directory whose log starts with a keyframe of the whole state and whose
 * metadata `continues` the old one with `rolled: true`, switches the taps to it, and closes the old session (a
 * last keyframe, appended now; its writer drains in the background). All of it synchronous, so no message is
 * published in between: the old log ends where the new one's records go on, and the live feed sees nothing.
 */
export async function recordLiveSession(live: LiveParts, options: RecordLiveOptions): Promise<LiveRecording> {
  const { publisher, driver } = live;
  const startUs = (options.clockMs ?? Date.now)() * 1000;
  // A failure is reported once: by the recorder that saw it, else by the roll that closed that recorder.
  const reported = new WeakSet<object>();
  const onError = (error: unknown): void => {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    (options.onError ?? defaultOnError)(error);
  };
  const keyframe = (): Keyframe => ({ state: publisher.exportState(), stateHash: driver.engine.stateHash() });
  const open: OpenSession = (tsUs, continues, firstKeyframe) =>
    inNewSessionDir(newSessionDir(options.dataDir, tsUs / 1000), (dir) =>
      SessionRecorder.createSync({
        dir,
        fsync: options.fsync,
        metadata: sessionMetadata(
          publisher,
          'simulator',
          tsUs,
          {
            seed: options.seed,
            rate: options.rate,
            ...(options.initialPrices === undefined || Object.keys(options.initialPrices).length === 0
              ? {}
              : { initialPrices: options.initialPrices }),
            ...(continues === undefined ? {} : { continues }),
          },
          options.keyframes,
        ),
        keyframe,
        ...(firstKeyframe === undefined ? {} : { firstKeyframe }),
        ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
        onError,
        ...(options.onDegraded === undefined ? {} : { onDegraded: options.onDegraded }),
        maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
        ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
        ...(options.compression === undefined ? {} : { compression: options.compression }),
      }),
    );
  const first = open(startUs, options.continues);
  return new RollingRecording(live, first, open, keyframe, onError, options);
}

/** Opens the session that goes on at `tsUs`, its first keyframe given already encoded or built. */
type OpenSession = (
  tsUs: number,
  continues: SessionMetadata['continues'],
  firstKeyframe?: Uint8Array,
) => SessionRecorder;

/** The recording of a live session across its rolls: the taps write to the current recorder. */
class RollingRecording implements LiveRecording {
  #current: SessionRecorder;
  #rolls = 0;
  #rollFailures = 0;
  /** drops and write errors of the sessions rolled from */
  #droppedBefore = 0;
  #writeErrorsBefore = 0;
  readonly #closing = new Set<Promise<void>>();
  readonly #chainStart: string;
  readonly #untap: () => void;
  #policy: RollPolicy | undefined;

  constructor(
    live: LiveParts,
    first: SessionRecorder,
    readonly open: OpenSession,
    readonly keyframe: () => Keyframe,
    readonly onError: (error: unknown) => void,
    readonly options: RecordLiveOptions,
  ) {
    const { publisher, driver, bus } = live;
    this.#current = first;
    this.#chainStart = basename(first.dir);
    this.#policy = options.roll;
    const taps = publisher
      .channels()
      .map((c) => bus.subscribe(c.name, (_name, _seq, encoded) => this.#current.message(encoded)));
    driver.onCommand = (cmd) => this.#current.command(cmd);
    driver.onTick = (tsUs) => this.#current.tick(tsUs);
    driver.onStep = () => {
      this.#current.step();
      if (this.#policy !== undefined && rollDue(this.#current, this.#policy)) this.#roll();
    };
    this.#untap = () => {
      driver.onCommand = undefined;
      driver.onTick = undefined;
      driver.onStep = undefined;
      for (const untap of taps) untap();
    };
  }

  get recorder(): SessionRecorder {
    return this.#current;
  }

  get rolls(): number {
    return this.#rolls;
  }

  get rollFailures(): number {
    return this.#rollFailures;
  }

  // Arrow properties: `serve` and the server hand these on unbound (`recording.status`).
  readonly status = (): RecordingStatus => {
    const s = this.#current.status();
    return {
      ...s,
      droppedRecords: s.droppedRecords + this.#droppedBefore,
      writeErrors: s.writeErrors + this.#writeErrorsBefore,
      rolls: this.#rolls,
      rollFailures: this.#rollFailures,
    };
  };

  readonly close = async (): Promise<void> => {
    this.#untap();
    try {
      await this.#current.close();
    } finally {
      await Promise.all(this.#closing);
    }
  };

  #roll(): void {
    const old = this.#current;
    const endUs = old.tsUs;
    // The old log's last record and the new log's first are the same keyframe (no input in between): built and
    // deflated once (~half of a roll's time on the event loop), its bytes appended to both.
    const keyframe = encodeKeyframe(this.keyframe());
    let next: SessionRecorder;
    try {
      next = this.open(
        endUs,
        {
          dir: basename(old.dir),
          session: old.metadata.session,
          endUs,
          rolled: true,
          chainStart: this.#chainStart,
        },
        keyframe,
      );
    } catch (error) {
      // The new directory cannot be created (disk full, permissions): the recording goes on where it is, and
      // rolling stops rather than failing at every step. Not a recording failure: nothing is lost, so it is
      // told apart from onError (which says the recording stopped) and counted on its own.
      this.#policy = undefined;
      this.#rollFailures++;
      (this.options.onRollError ?? defaultOnRollError)(
        new Error(
          `cannot roll to a new session, rolling stops and the recording goes on in ${old.dir}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
      return;
    }
    this.#current = next;
    this.#rolls++;
    // close() appends the old session's last keyframe synchronously, before its first await.
    const closed = old.close(keyframe).then(
      () => this.#settled(old),
      (error: unknown) => {
        this.#settled(old);
        this.onError(error);
      },
    );
    this.#closing.add(closed);
    void closed.finally(() => this.#closing.delete(closed));
    this.options.onRoll?.({ from: old.dir, to: next.dir, records: old.records, bytes: old.bytes });
  }

  /** A rolled-from session's writer finished: what it dropped or failed to write counts for the run. */
  #settled(old: SessionRecorder): void {
    const s = old.status();
    this.#droppedBefore += s.droppedRecords;
    this.#writeErrorsBefore += s.writeErrors;
  }
}

const defaultOnRollError = (error: Error): void => {
  process.stderr.write(`recording: ${error.message}\n`);
};

const defaultOnError = (error: unknown): void => {
  process.stderr.write(`recording: ${String(error)}
`);
};
