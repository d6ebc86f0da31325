import { basename } from 'node:path';
import { decodeMessage } from '../../../feed-server/src/protocol/index.ts';
import { type Bus, EngineFeed, FeedPublisher } from '../../../feed-server/src/server/index.ts';
import { RECORD_TYPES } from './record-types.ts';
import { ReplayError } from './replay-error.ts';
import { decodeCommand, decodeKeyframe, decodeTick, packr } from './session-codec.ts';
import type { SessionReader } from './session-reader.ts';

/** The first place where a re-simulation differs from its recording. */
export interface Divergence {
  /** seq of the record where it shows */
  readonly seq: number;
  /** what differs, in words */
  readonly what: string;
  /** the recording's value and the re-simulation's, decoded for display */
  readonly recorded: unknown;
  readonly resimulated: unknown;
}

/** What `resimulate` found. */
export interface ResimulationResult {
  readonly commands: number;
  readonly messages: number;
  readonly keyframes: number;
  /** null: every message and keyframe equal */
  readonly divergence: Divergence | null;
  /**
   * The log ends inside its last input: the re-simulation published messages after the last recorded one (a
   * session cut off by a crash, whose last records never reached the disk). Not a divergence.
   */
  readonly cutOff: boolean;
  readonly elapsedMs: number;
}

/** A bus that keeps what is published, in order, for the comparison. */
class CapturingBus implements Bus {
  readonly published: { channel: string; encoded: Uint8Array }[] = [];
  publish(channel: string, _seq: number, encoded: Uint8Array): void {
    this.published.push({ channel, encoded });
  }
  subscribe(): () => void {
    return () => {};
  }
}

/** The re-simulation's engine, producer and progress, carried from one session of a chain of rolls to the next. */
interface Run {
  readonly bus: CapturingBus;
  readonly publisher: FeedPublisher;
  /** the engine, wired to `publisher` */
  readonly feed: EngineFeed;
  commands: number;
  messages: number;
  keyframes: number;
  /** index in `bus.published` of the next message to compare */
  next: number;
}

/**
 * Re-runs a simulator session's recorded input (commands and clock ticks) through a new engine and producer and
 * compares everything they publish with the recorded messages, byte for byte, and every keyframe with the
 * re-simulated state and engine state hash. The regression harness of the engine and the market data: stops at
 * the first divergence. Throws `ReplayError` `NO_INPUT` for an imported session, `ROLLED_SESSION` for one
 * that a live recording rolled to (its engine state at the start is not recorded; the message names the first
 * session of its chain: see {@link resimulateChain}).
 */
export function resimulate(reader: SessionReader): ResimulationResult {
  return resimulateChain([reader]);
}

/**
 * {@link resimulate} over a chain of rolls (replay/README.md, "Rolling"): its first session, from its start,
 * then each session rolled from the one before it, in order, with the same engine and producer — each rolled
 * session's first keyframe is compared with the re-simulated state like any other keyframe. A divergence's
 * `what` names the session it is in. Throws `ReplayError` `ROLLED_SESSION` when the first session is itself
 * rolled, or a later one is not rolled from the one before it.
 */
export function resimulateChain(readers: readonly SessionReader[]): ResimulationResult {
  const first = readers[0];
  if (first === undefined) throw new ReplayError('BAD_OPTION', 'no session to re-simulate');
  const meta = first.metadata;
  if (meta.source !== 'simulator') {
    throw new ReplayError(
      'NO_INPUT',
      `the session was imported (${meta.source}): it has no engine input to re-run`,
    );
  }
  const rolled = meta.continues?.rolled === true ? meta.continues : undefined;
  if (rolled !== undefined) {
    const start = rolled.chainStart ?? rolled.dir;
    throw new ReplayError(
      'ROLLED_SESSION',
      `the session was rolled from ${rolled.dir} by the same serve: its engine state at the start is not recorded, so it cannot be re-simulated on its own; the chain of rolls starts at ${start}, where re-simulation starts (the rolled sessions replay, seek and verify on their own)`,
    );
  }
  for (let i = 1; i < readers.length; i++) {
    const prev = basename((readers[i - 1] as SessionReader).log.dir);
    const c = (readers[i] as SessionReader).metadata.continues;
    if (c?.rolled !== true || c.dir !== prev) {
      throw new ReplayError(
        'ROLLED_SESSION',
        `${(readers[i] as SessionReader).log.dir} is not rolled from ${prev}: not a chain of rolls`,
      );
    }
  }
  const started = performance.now();
  const bus = new CapturingBus();
  const publisher = new FeedPublisher({ instruments: meta.instruments, bus, session: meta.session });
  // A session that continued an earlier one started from its carried-over market data (first keyframe).
  if (meta.continues !== undefined) publisher.restoreHistory(first.readKeyframe(1).state.marketData);
  const feed = new EngineFeed(meta.instruments, publisher);
  const run: Run = { bus, publisher, feed, commands: 0, messages: 0, keyframes: 0, next: 0 };
  const result = (divergence: Divergence | null, cutOff = false): ResimulationResult => ({
    commands: run.commands,
    messages: run.messages,
    keyframes: run.keyframes,
    divergence,
    cutOff,
    elapsedMs: performance.now() - started,
  });
  for (const reader of readers) {
    const divergence = rerun(reader, run);
    if (divergence !== null) {
      return result(
        readers.length === 1
          ? divergence
          : { ...divergence, what: `${basename(reader.log.dir)}: ${divergence.what}` },
      );
    }
  }
  return result(null, run.next < bus.published.length);
}

/** Re-runs one session's records on `run`; the first divergence, or null. */
function rerun(reader: SessionReader, run: Run): Divergence | null {
  const { bus, publisher, feed } = run;
  const extra = (seq: number): Divergence | null => {
    if (run.next >= bus.published.length) return null;
    const m = bus.published[run.next] as { channel: string; encoded: Uint8Array };
    return {
      seq,
      what: `the re-simulation published a message on ${m.channel} that the recording does not have here`,
      recorded: null,
      resimulated: decodeMessage(m.encoded),
    };
  };
  const c = reader.log.cursor();
  while (c.next()) {
    const type = c.type;
    if (type === RECORD_TYPES.MESSAGE) {
      const produced = bus.published[run.next];
      if (produced === undefined) {
        return {
          seq: c.seq,
          what: 'the recording has a message here that the re-simulation did not publish',
          recorded: decodeMessage(c.payload),
          resimulated: null,
        };
      }
      if (!Buffer.from(produced.encoded).equals(Buffer.from(c.payload))) {
        return {
          seq: c.seq,
          what: `a message on ${produced.channel} differs`,
          recorded: decodeMessage(c.payload),
          resimulated: decodeMessage(produced.encoded),
        };
      }
      run.next++;
      run.messages++;
      continue;
    }
    const before = extra(c.seq);
    if (before !== null) return before;
    bus.published.length = 0;
    run.next = 0;
    if (type === RECORD_TYPES.COMMAND) {
      feed.submit(decodeCommand(c.payload));
      run.commands++;
    } else if (type === RECORD_TYPES.TICK) {
      publisher.tick(decodeTick(c.payload));
    } else if (type === RECORD_TYPES.KEYFRAME) {
      run.keyframes++;
      const k = decodeKeyframe(c.payload);
      const hash = feed.engine.stateHash();
      if (k.stateHash !== hash) {
        return {
          seq: c.seq,
          what: 'the engine state hash differs',
          recorded: k.stateHash,
          resimulated: hash,
        };
      }
      const recorded = Buffer.from(packr.pack(k.state));
      const state = publisher.exportState();
      if (!recorded.equals(Buffer.from(packr.pack(state)))) {
        return { seq: c.seq, what: 'the market state differs', recorded: k.state, resimulated: state };
      }
    } else {
      throw new ReplayError('BAD_RECORD', `record ${c.seq} of a simulator session has type ${type}`);
    }
  }
  return null;
}
