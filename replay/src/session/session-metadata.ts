import type { Instrument } from '../../../matching/src/index.ts';
import type { LogMetadata } from '../log/index.ts';
import { ReplayError } from './replay-error.ts';

/** `format` of a session's log metadata. */
export const SESSION_FORMAT = 'tickwire.session';
/** The session format version this code writes and reads. */
export const SESSION_FORMAT_VERSION = 1;

/** Where a session's data came from. */
export type SessionSource = 'simulator' | 'lobster' | 'trades';

/**
 * The metadata every segment of a session log carries (replay/README.md): what is needed to replay the session
 * without anything else — its instruments, its channel ids, its keyframe policy.
 */
export interface SessionMetadata {
  readonly format: typeof SESSION_FORMAT;
  readonly version: typeof SESSION_FORMAT_VERSION;
  /** the recorded feed's `welcome.session` */
  readonly session: string;
  readonly source: SessionSource;
  /** what wrote it, e.g. `tickwire/0.1.0` */
  readonly engine: string;
  /** µs since the epoch: the feed's time when recording started */
  readonly startUs: number;
  readonly instruments: readonly Instrument[];
  /** `[channelId, name]` of every recorded channel (the conflated ones are never recorded) */
  readonly channels: readonly (readonly [number, string])[];
  /** a keyframe follows at most this many records, or this much feed time, after the previous one */
  readonly keyframes: { readonly everyRecords: number; readonly everyUs: number };
  /** simulator sessions: the seed and the rate (commands/s) */
  readonly seed?: number;
  readonly rate?: number;
  /**
   * simulator sessions: the starting fair price per symbol, scaled, when not the simulator's defaults — a
   * configured `initialPrice`, or the last recorded price of the session this one continues; with the seed,
   * the rate and `startUs` they define the run
   */
  readonly initialPrices?: Readonly<Record<string, number>>;
  /**
   * a live session that continues an earlier one recorded in the same data directory (README, "History across
   * restarts"): that session's directory name, `welcome.session` and the feed time of its last record (µs). Its
   * candle history and ticker windows are in this session's first keyframe.
   */
  readonly continues?: SessionContinues;
  /**
   * imported sessions: what was imported (file names, symbol, date…); `timeZone` is the exchange's IANA time
   * zone when the import knows it (LOBSTER: `--tz`, default America/New_York; trades: `--tz`) — read it with
   * {@link sessionTimeZone}
   */
  readonly origin?: Readonly<Record<string, string>>;
}

/** What a session continues (see `SessionMetadata.continues`). */
export interface SessionContinues {
  /** the directory name of the session continued, in the same data directory */
  readonly dir: string;
  /** its `welcome.session` */
  readonly session: string;
  /** the feed time of its last record, µs */
  readonly endUs: number;
  /**
   * true: the same `serve` closed `dir` at a roll bound (`--roll`) and went on recording here, with the same
   * producer and engine: the feed did not stop, `session` is this session's too, and every channel's seq goes on
   * from `dir`'s last message. The first keyframe holds the whole producer state, so the session replays, seeks
   * and answers REST on its own; the engine's state at its start is not recorded, so it is not re-simulated on
   * its own (see `chainStart`). Absent: a restart continued `dir` (a new feed, new seq space).
   */
  readonly rolled?: true;
  /**
   * rolled sessions: the directory name of the first session of the chain of rolls, the one `serve` started
   * recording with: the only one of the chain whose records begin where its engine began
   */
  readonly chainStart?: string;
}

/**
 * The exchange time zone of a session (an IANA name such as `America/New_York`), or undefined when it has none:
 * simulator sessions run on UTC and carry no zone. Imports record it in `origin.timeZone`; a name this runtime
 * does not know counts as none (the session still replays; times show in UTC).
 */
export function sessionTimeZone(meta: Pick<SessionMetadata, 'origin'>): string | undefined {
  const zone = meta.origin?.timeZone;
  if (typeof zone !== 'string' || zone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined; // RangeError: unknown zone — documented above as "none"
  }
}

const INSTRUMENT_FIELDS = [
  'priceScale',
  'qtyScale',
  'tickSize',
  'lotSize',
  'minQty',
  'maxPrice',
  'maxQty',
] as const;

/** Checks a log's metadata is a session of this format; throws `ReplayError` `NOT_A_SESSION` / `BAD_SESSION`. */
export function parseSessionMetadata(meta: LogMetadata, dir: string): SessionMetadata {
  if (meta.format !== SESSION_FORMAT) {
    throw new ReplayError(
      'NOT_A_SESSION',
      `${dir}: not a Tickwire session (metadata format ${String(meta.format)})`,
    );
  }
  const bad = (why: string): never => {
    throw new ReplayError('BAD_SESSION', `${dir}: session metadata ${why}`);
  };
  if (meta.version !== SESSION_FORMAT_VERSION)
    bad(`version ${String(meta.version)} is not ${SESSION_FORMAT_VERSION}`);
  if (typeof meta.session !== 'string' || meta.session === '') bad('has no session id');
  if (meta.source !== 'simulator' && meta.source !== 'lobster' && meta.source !== 'trades')
    bad('has an unknown source');
  if (!Number.isSafeInteger(meta.startUs)) bad('has no start time');
  if (!Array.isArray(meta.instruments) || meta.instruments.length === 0) bad('lists no instruments');
  for (const i of meta.instruments as unknown[]) {
    const inst = i as Record<string, unknown>;
    if (typeof inst?.symbol !== 'string') bad('has an instrument without a symbol');
    for (const f of INSTRUMENT_FIELDS)
      if (!Number.isSafeInteger(inst[f])) bad(`has ${String(inst.symbol)} without ${f}`);
  }
  if (!Array.isArray(meta.channels)) bad('lists no channels');
  for (const c of meta.channels as unknown[]) {
    if (!Array.isArray(c) || !Number.isSafeInteger(c[0]) || typeof c[1] !== 'string')
      bad('has a malformed channel');
  }
  const k = meta.keyframes as Record<string, unknown> | undefined;
  if (!Number.isSafeInteger(k?.everyRecords) || !Number.isSafeInteger(k?.everyUs))
    bad('has no keyframe policy');
  return meta as unknown as SessionMetadata;
}
