import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Packr } from 'msgpackr';
import type { FeedState } from '../../../feed-server/src/server/index.ts';
import type { Command } from '../../../matching/src/index.ts';
import { ReplayError } from './replay-error.ts';

/** The session records' MessagePack codec. */
// Records are written and read only by Tickwire, after their CRC32C passed: standard MessagePack, no records.
// Integers beyond 32 bits come out as float64, exact below 2^53 like every number we store.
export const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  mapsAsObjects: true,
  int64AsType: 'number',
});

/** A keyframe: the producer's state at a point between commands, and the engine's state hash there. */
export interface Keyframe {
  readonly state: FeedState;
  /** `MatchingEngine.stateHash()` for simulator sessions (checked by re-simulation); null for imports */
  readonly stateHash: string | null;
}

function bad(what: string, cause: unknown): never {
  throw new ReplayError('BAD_RECORD', `a ${what} record does not decode: ${String(cause)}`, { cause });
}

/** A command as a MessagePack map of its defined fields. */
export function encodeCommand(cmd: Command): Uint8Array {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cmd)) if (v !== undefined) plain[k] = v;
  return new Uint8Array(packr.pack(plain));
}

export function decodeCommand(payload: Uint8Array): Command {
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (cause) {
    bad('command', cause);
  }
  const c = value as Partial<Command> | null;
  if (typeof c !== 'object' || c === null || typeof c.type !== 'string' || !Number.isSafeInteger(c.tsUs)) {
    bad('command', 'not a command map');
  }
  return c as Command;
}

/** A keyframe, deflated: most of it is candle history, which compresses 4–6×. */
export function encodeKeyframe(k: Keyframe): Uint8Array {
  return deflateRawSync(packr.pack(k), { level: 1 });
}

export function decodeKeyframe(payload: Uint8Array): Keyframe {
  try {
    const k = packr.unpack(inflateRawSync(payload)) as Keyframe;
    if (typeof k !== 'object' || k === null || typeof k.state !== 'object')
      throw new Error('not a keyframe map');
    return k;
  } catch (cause) {
    return bad('keyframe', cause);
  }
}

/** A source row of an imported session: its feed time, its line in the file and its fields as read. */
export interface SourceRow {
  readonly tsUs: number;
  readonly line: number;
  readonly fields: readonly (string | number)[];
}

export function encodeSource(row: SourceRow): Uint8Array {
  return new Uint8Array(packr.pack([row.tsUs, row.line, row.fields]));
}

export function decodeSource(payload: Uint8Array): SourceRow {
  try {
    const [tsUs, line, fields] = packr.unpack(payload) as [number, number, (string | number)[]];
    if (!Number.isSafeInteger(tsUs)) throw new Error('no time');
    return { tsUs, line, fields };
  } catch (cause) {
    return bad('source', cause);
  }
}

/** A clock tick: the feed time it moved to (the record's own time may lag behind it, never run ahead). */
export function encodeTick(tsUs: number): Uint8Array {
  return new Uint8Array(packr.pack(tsUs));
}

export function decodeTick(payload: Uint8Array): number {
  let tsUs: unknown;
  try {
    tsUs = packr.unpack(payload);
  } catch (cause) {
    bad('tick', cause);
  }
  if (!Number.isSafeInteger(tsUs)) bad('tick', 'not a time');
  return tsUs as number;
}

/** Decodes one recorded channel message (`[4, id, seq, tsUs, ...fields]`). */
export function decodeMessage(payload: Uint8Array): readonly unknown[] {
  try {
    const m = packr.unpack(payload) as unknown[];
    if (!Array.isArray(m) || m.length < 4) throw new Error('not an update message');
    return m;
  } catch (cause) {
    return bad('message', cause);
  }
}

/** Where a recorded channel message's id and seq are, read off its first bytes without decoding it. */
export interface MessageHead {
  channelId: number;
  seq: number;
}

/**
 * Reads the channel id and seq of an encoded update `[4, id, seq, …]` into `out` (MessagePack: an array header,
 * the fixint 4, then two unsigned integers). Throws `ReplayError` `BAD_RECORD` on anything else. Cheap: a replay
 * routes every message by these two numbers and never decodes the rest.
 */
export function readMessageHead(b: Uint8Array, out: MessageHead): MessageHead {
  const h = b[0] ?? 0;
  let p: number;
  if (h >= 0x90 && h <= 0x9f) p = 1;
  else if (h === 0xdc) p = 3;
  else return bad('message', `array header 0x${h.toString(16)}`);
  if (b[p] !== 4) bad('message', 'not an update');
  p = readUint(b, p + 1);
  out.channelId = lastUint;
  readUint(b, p);
  out.seq = lastUint;
  return out;
}

/** The value `readUint` read last: a module variable, not a closure or an object per call (hot path). */
let lastUint = 0;

/** Reads the MessagePack unsigned integer at `p` into `lastUint`; returns the position after it. */
function readUint(b: Uint8Array, p: number): number {
  const t = b[p] ?? 0xc1;
  if (t < 0x80) {
    lastUint = t;
    return p + 1;
  }
  switch (t) {
    case 0xcc:
      lastUint = b[p + 1] as number;
      return p + 2;
    case 0xcd:
      lastUint = ((b[p + 1] as number) << 8) | (b[p + 2] as number);
      return p + 3;
    case 0xce:
      lastUint =
        (b[p + 1] as number) * 0x1000000 +
        (((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 8) | (b[p + 4] as number));
      return p + 5;
    case 0xcf:
    case 0xd3: {
      const view = new DataView(b.buffer, b.byteOffset + p + 1, 8);
      lastUint = view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
      return p + 9;
    }
    default:
      return bad('message', `integer type 0x${t.toString(16)}`);
  }
}
