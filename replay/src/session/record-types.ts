/**
 * The record types of a session log (replay/README.md, "Sessions"). The log itself treats the type byte as
 * opaque; these are what the recorder writes and the replay reads.
 */
export const RECORD_TYPES = {
  /** input: one engine command, as the engine received it (MessagePack map) */
  COMMAND: 1,
  /** output: one channel message exactly as published on the wire (the encoded `[4, id, seq, tsUs, …]`) */
  MESSAGE: 2,
  /** the producer's whole state (FeedState) and the engine's state hash, deflated MessagePack */
  KEYFRAME: 3,
  /** input: the feed's clock moved to the record's time with no command (bars close, windows roll) */
  TICK: 4,
  /** input of an imported session: one source row (file line and fields), MessagePack */
  SOURCE: 5,
} as const;

/** A record type byte of a session. */
export type RecordType = (typeof RECORD_TYPES)[keyof typeof RECORD_TYPES];

/** Display names of the record types, for `tickwire log`. */
export const RECORD_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'command',
  2: 'message',
  3: 'keyframe',
  4: 'tick',
  5: 'source',
};
