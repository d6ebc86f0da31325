import { MESSAGE_TYPES, type ServerMessage } from './messages.ts';
import { unpackPlain } from './plain-msgpack.ts';
import { frameError } from './protocol-error.ts';

// Fewest elements of each message type (§11), by tag: an update has at least one field after its head (the
// `replay` channel's status, §16).
const MIN_LENGTH: readonly number[] = (() => {
  const min: number[] = [];
  min[MESSAGE_TYPES.welcome] = 2;
  min[MESSAGE_TYPES.ack] = 3;
  min[MESSAGE_TYPES.error] = 5;
  min[MESSAGE_TYPES.snapshot] = 5;
  min[MESSAGE_TYPES.update] = 5;
  min[MESSAGE_TYPES.reset] = 3;
  min[MESSAGE_TYPES.heartbeat] = 3;
  min[MESSAGE_TYPES.pong] = 3;
  return min;
})();

/**
 * int64/uint64 arrive as bigint: back to numbers, which §3 guarantees are safe. In place — the decoded value is
 * this call's own — so a frame of thousands of messages is not copied once more (most of a client's decoding
 * time went to that copy).
 */
function fromWire(v: unknown): unknown {
  if (typeof v === 'bigint') return safeNumber(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'bigint') v[i] = safeNumber(x);
      else if (typeof x === 'object' && x !== null) fromWire(x);
    }
    return v;
  }
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === 'bigint') o[k] = safeNumber(x);
      else if (typeof x === 'object' && x !== null) fromWire(x);
    }
  }
  return v;
}

function safeNumber(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw frameError('BAD_FRAME', `integer ${v} is beyond 2^53`);
  return n;
}

function checkFrame(value: unknown): ServerMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw frameError('BAD_FRAME', 'frame is not a non-empty array');
  for (const m of value) {
    const type: unknown = Array.isArray(m) ? m[0] : undefined;
    const min = typeof type === 'number' ? MIN_LENGTH[type] : undefined;
    if (!Array.isArray(m) || min === undefined || m.length < min) {
      throw frameError('BAD_FRAME', 'frame holds something that is not a server message');
    }
  }
  return value as ServerMessage[];
}

/**
 * Client side: decodes a `tickwire.v1` server frame into its messages, in order. int64/uint64 become numbers
 * (an integer beyond 2^53 is a protocol violation). Checks the envelope (array of arrays, known type tag,
 * enough elements), not every payload field. Throws `ProtocolError` `UNDECODABLE` or `BAD_FRAME`.
 */
export function decodeFrame(frame: Uint8Array): ServerMessage[] {
  return checkFrame(fromWire(unpackPlain(frame)));
}

/**
 * Decodes one server message as `encodeMessage` wrote it (a message, not a frame), with the checks of
 * `decodeFrame`: for code that holds encoded messages, such as a server writing them to JSON subscribers or
 * comparing recorded ones.
 */
export function decodeMessage(encoded: Uint8Array): ServerMessage {
  return checkFrame([fromWire(unpackPlain(encoded))])[0] as ServerMessage;
}

/** Client side: decodes a `tickwire.v1.json` server frame; same checks and errors as `decodeFrame`. */
export function decodeFrameJson(frame: string): ServerMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (cause) {
    throw frameError('UNDECODABLE', 'frame is not JSON', cause);
  }
  return checkFrame(value);
}
