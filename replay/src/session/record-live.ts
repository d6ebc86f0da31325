import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedPublisher, LiveParts, RecordingStatus } from '../../../feed-server/src/server/index.ts';
import type { FsyncPolicy, LogWarningHandler } from '../log/index.ts';
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
  /** the feed's clock, ms (default `Date.now`, as the live driver's) */
  readonly clockMs?: () => number;
}

/**
 * Records a live server's session (the `attach` of `startFeedServer`): taps the driver for the input and the bus
 * for every message of the channels produced from the start, and keyframes the publisher with the engine's
 * state hash.
 */
export async function recordLiveSession(
  live: LiveParts,
  options: RecordLiveOptions,
): Promise<{ readonly recorder: SessionRecorder; status(): RecordingStatus; close(): Promise<void> }> {
  const { publisher, driver, bus } = live;
  const startUs = (options.clockMs ?? Date.now)() * 1000;
  const dir = newSessionDir(options.dataDir, startUs / 1000);
  const recorder = await SessionRecorder.create({
    dir,
    fsync: options.fsync,
    metadata: sessionMetadata(
      publisher,
      'simulator',
      startUs,
      {
        seed: options.seed,
        rate: options.rate,
        ...(options.initialPrices === undefined || Object.keys(options.initialPrices).length === 0
          ? {}
          : { initialPrices: options.initialPrices }),
        ...(options.continues === undefined ? {} : { continues: options.continues }),
      },
      options.keyframes,
    ),
    keyframe: () => ({ state: publisher.exportState(), stateHash: driver.engine.stateHash() }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.onDegraded === undefined ? {} : { onDegraded: options.onDegraded }),
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
  });
  const taps = publisher
    .channels()
    .map((c) => bus.subscribe(c.name, (_name, _seq, encoded) => recorder.message(encoded)));
  driver.onCommand = (cmd) => recorder.command(cmd);
  driver.onTick = (tsUs) => recorder.tick(tsUs);
  driver.onStep = () => recorder.step();
  return {
    recorder,
    status: () => recorder.status(),
    close: async () => {
      driver.onCommand = undefined;
      driver.onTick = undefined;
      driver.onStep = undefined;
      for (const untap of taps) untap();
      await recorder.close();
    },
  };
}
