import type { FeedMessage } from '../feed-message.ts';

/** The encodings compared: (a) … (f) as in the brief, and (g), (f) with frame-relative times. */
export type CodecId = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g';

/**
 * One wire encoding of a frame: a batch of channel messages sent as one WebSocket message. Every codec
 * writes a frame as an array (JSON or msgpack) with one element per message; (g) puts the frame's base time
 * in front of them.
 */
export interface FrameCodec {
  readonly id: CodecId;
  /** kebab-case name, stable in the JSON report */
  readonly name: string;
  /** one line for the report */
  readonly description: string;
  readonly format: 'json' | 'msgpack';
  /** The frame's bytes (UTF-8 text for JSON). */
  encode(frame: readonly FeedMessage[]): Uint8Array;
  /** Reads a frame back into model messages: scaled integers, bigints for volumes and notionals. */
  decode(bytes: Uint8Array): FeedMessage[];
}
