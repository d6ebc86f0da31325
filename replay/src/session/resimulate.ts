import { buildFrame, decodeFrame } from '../../../feed-server/src/protocol/index.ts';
import { type Bus, FeedPublisher } from '../../../feed-server/src/server/index.ts';
import { MatchingEngine } from '../../../matching/src/index.ts';
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

const decoded = (encoded: Uint8Array): unknown => decodeFrame(buildFrame([encoded]))[0];

/**
 * Re-runs a simulator session's recorded input (commands and clock ticks) through a new engine and producer and
 * compares everything they publish with the recorded messages, byte for byte, and every keyframe with the
 * re-simulated state and engine state hash. The regression harness of the engine and the market data: stops at
 * the first divergence. Throws `ReplayError` `NO_INPUT` for an imported session, `ROLLED_SESSION` for one
 * that a live recording rolled to (its engine state at the start is not recorded; the message names the first
 * session of its chain).
 */
export function resimulate(reader: SessionReader): ResimulationResult {
  const meta = reader.metadata;
  if (meta.source !== 'simulator') {
    throw new ReplayError(
      'NO_INPUT',
      `the session was imported (${meta.source}): it has no engine input to re-run`,
    );
  }
  const rolled = meta.continues?.rolled === true ? meta.continues : undefined;
  if (rolled !== undefined) {
    const first = rolled.chainStart ?? rolled.dir;
    throw new ReplayError(
      'ROLLED_SESSION',
      `the session was rolled from ${rolled.dir} by the same serve: its engine state at the start is not recorded, so it cannot be re-simulated on its own; the chain of rolls starts at ${first}, the only one of them to re-simulate (the rolled sessions replay, seek and verify)`,
    );
  }
  const started = performance.now();
  const bus = new CapturingBus();
  const publisher = new FeedPublisher({ instruments: meta.instruments, bus, session: meta.session });
  // A session that continued an earlier one started from its carried-over market data (first keyframe).
  if (meta.continues !== undefined) publisher.restoreHistory(reader.readKeyframe(1).state.marketData);
  const engine = new MatchingEngine(meta.instruments, (e) => publisher.onEvent(e));
  let commands = 0;
  let messages = 0;
  let keyframes = 0;
  let next = 0;
  const result = (divergence: Divergence | null, cutOff = false): ResimulationResult => ({
    commands,
    messages,
    keyframes,
    divergence,
    cutOff,
    elapsedMs: performance.now() - started,
  });
  const extra = (seq: number): Divergence | null => {
    if (next >= bus.published.length) return null;
    const m = bus.published[next] as { channel: string; encoded: Uint8Array };
    return {
      seq,
      what: `the re-simulation published a message on ${m.channel} that the recording does not have here`,
      recorded: null,
      resimulated: decoded(m.encoded),
    };
  };
  const c = reader.log.cursor();
  while (c.next()) {
    const type = c.type;
    if (type === RECORD_TYPES.MESSAGE) {
      const produced = bus.published[next];
      if (produced === undefined) {
        return result({
          seq: c.seq,
          what: 'the recording has a message here that the re-simulation did not publish',
          recorded: decoded(c.payload),
          resimulated: null,
        });
      }
      if (!Buffer.from(produced.encoded).equals(Buffer.from(c.payload))) {
        return result({
          seq: c.seq,
          what: `a message on ${produced.channel} differs`,
          recorded: decoded(c.payload),
          resimulated: decoded(produced.encoded),
        });
      }
      next++;
      messages++;
      continue;
    }
    const before = extra(c.seq);
    if (before !== null) return result(before);
    bus.published.length = 0;
    next = 0;
    if (type === RECORD_TYPES.COMMAND) {
      engine.submit(decodeCommand(c.payload));
      publisher.endCommand();
      commands++;
    } else if (type === RECORD_TYPES.TICK) {
      publisher.tick(decodeTick(c.payload));
    } else if (type === RECORD_TYPES.KEYFRAME) {
      keyframes++;
      const k = decodeKeyframe(c.payload);
      const hash = engine.stateHash();
      if (k.stateHash !== hash) {
        return result({
          seq: c.seq,
          what: 'the engine state hash differs',
          recorded: k.stateHash,
          resimulated: hash,
        });
      }
      const recorded = Buffer.from(packr.pack(k.state));
      const state = publisher.exportState();
      if (!recorded.equals(Buffer.from(packr.pack(state)))) {
        return result({
          seq: c.seq,
          what: 'the market state differs',
          recorded: k.state,
          resimulated: state,
        });
      }
    } else {
      throw new ReplayError('BAD_RECORD', `record ${c.seq} of a simulator session has type ${type}`);
    }
  }
  return result(null, next < bus.published.length);
}
