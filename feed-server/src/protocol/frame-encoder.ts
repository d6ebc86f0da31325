import type { ServerMessage } from './messages.ts';
import { packPlain } from './plain-msgpack.ts';

/**
 * Encodes one server message as MessagePack, once, so the same bytes can go into every subscriber's frame
 * (`buildFrame`). Integers ≥ 2^32 (e.g. `tsUs`) are int64/uint64, never float64.
 */
export function encodeMessage(message: ServerMessage): Uint8Array {
  return packPlain(message);
}

/** Encodes one server message as JSON text, for `tickwire.v1.json` (all numbers are safe integers, §3). */
export function encodeMessageJson(message: ServerMessage): string {
  return JSON.stringify(message);
}

/**
 * Builds a `tickwire.v1` frame (§2: an array of messages) from messages already encoded by `encodeMessage`,
 * without re-encoding them: the array header (fixarray 0x90|n below 16, array16 0xdc, array32 0xdd) followed
 * by the encoded messages. Returns the frame's bytes. `count`: frame only the first `count` messages (a reused
 * queue array).
 */
export function buildFrame(encoded: readonly Uint8Array[], count = encoded.length): Uint8Array {
  const n = count;
  const headerBytes = n < 16 ? 1 : n <= 0xffff ? 3 : 5;
  let size = headerBytes;
  for (let i = 0; i < n; i++) size += (encoded[i] as Uint8Array).byteLength;
  const frame = new Uint8Array(size);
  const view = new DataView(frame.buffer);
  if (n < 16) frame[0] = 0x90 | n;
  else if (n <= 0xffff) {
    frame[0] = 0xdc;
    view.setUint16(1, n);
  } else {
    frame[0] = 0xdd;
    view.setUint32(1, n);
  }
  let at = headerBytes;
  for (let i = 0; i < n; i++) {
    const m = encoded[i] as Uint8Array;
    frame.set(m, at);
    at += m.byteLength;
  }
  return frame;
}

/** Builds a `tickwire.v1.json` frame from messages encoded by `encodeMessageJson`: `[` + join(`,`) + `]`. */
export function buildJsonFrame(encoded: readonly string[]): string {
  return `[${encoded.join(',')}]`;
}
