import { Packr } from 'msgpackr';
import type { ServerMessage } from './messages.ts';

// The options measured portable in bench/encoding/codecs/portable-msgpack.ts: standard MessagePack only
// (maps, arrays, strings, ints, nil, booleans), no msgpackr extensions, smallest map headers.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  useBigIntExtension: false,
  encodeUndefinedAsNil: true,
  variableMapSize: true,
  mapsAsObjects: true,
  int64AsType: 'bigint',
});

const INT32_MIN = -0x8000_0000;
const UINT32_MAX = 0xffff_ffff;

/**
 * msgpackr writes a JS number beyond 32 bits as float64 (0xcb); §11 requires int64/uint64, so integers outside
 * [-2^31, 2^32) go out as bigint, which msgpackr writes as int64/uint64 (the same 9 bytes). See
 * bench/encoding/wire-ints.ts for the measurement.
 */
function toWire(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && (v > UINT32_MAX || v < INT32_MIN) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toWire(x);
    return out;
  }
  return v;
}

/**
 * Encodes one server message as MessagePack, once, so the same bytes can go into every subscriber's frame
 * (`buildFrame`). Integers ≥ 2^32 (e.g. `tsUs`) are int64/uint64, never float64.
 */
export function encodeMessage(message: ServerMessage): Uint8Array {
  // Copy: msgpackr returns a view into its reusable buffer.
  return new Uint8Array(packr.pack(toWire(message)));
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
