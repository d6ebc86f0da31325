import { Packr, Unpackr } from 'msgpackr';
import { PLAIN_MSGPACK_OPTIONS } from './msgpack-options.ts';
import { frameError } from './protocol-error.ts';

const packr = new Packr(PLAIN_MSGPACK_OPTIONS);
// `assertPlainMsgpack` refuses every extension type before this reads a byte.
const unpackr = new Unpackr(PLAIN_MSGPACK_OPTIONS);

const INT32_MIN = -0x8000_0000;
const UINT32_MAX = 0xffff_ffff;
const TWO_32 = 0x1_0000_0000;

/**
 * msgpackr writes a JS number beyond 32 bits as float64 (0xcb); §11 requires int64/uint64, so integers outside
 * [-2^31, 2^32) go out as bigint, which msgpackr writes as int64/uint64 (the same 9 bytes). See
 * bench/encoding/wire-ints.ts for the measurement. Used only by `packPlainReference`.
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
 * `packPlain` through msgpackr: the reference the hand-written writer is checked against, byte for byte
 * (test/protocol/plain-msgpack.test.ts).
 */
export function packPlainReference(value: unknown): Uint8Array<ArrayBuffer> {
  // Copy: msgpackr returns a view into its reusable buffer.
  return new Uint8Array(packr.pack(toWire(value)));
}

// The writer's buffer, reused; grown when a value does not fit.
let out = new Uint8Array(64 * 1024);
let view = new DataView(out.buffer);
let at = 0;
const utf8 = new TextEncoder();

function room(n: number): void {
  if (at + n <= out.length) return;
  let size = out.length * 2;
  while (size < at + n) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(out.subarray(0, at));
  out = bigger;
  view = new DataView(out.buffer);
}

function writeInt(v: number): void {
  room(9);
  if (v >= 0) {
    if (v < 0x80) out[at++] = v;
    else if (v < 0x100) {
      out[at++] = 0xcc;
      out[at++] = v;
    } else if (v < 0x1_0000) {
      out[at++] = 0xcd;
      view.setUint16(at, v);
      at += 2;
    } else if (v <= UINT32_MAX) {
      out[at++] = 0xce;
      view.setUint32(at, v);
      at += 4;
    } else {
      // int64, as msgpackr writes a bigint (a safe integer is far below 2^63)
      out[at++] = 0xd3;
      view.setUint32(at, Math.floor(v / TWO_32));
      view.setUint32(at + 4, v >>> 0);
      at += 8;
    }
  } else if (v >= -0x20) out[at++] = 0x100 + v;
  else if (v >= -0x80) {
    out[at++] = 0xd0;
    view.setInt8(at++, v);
  } else if (v >= -0x8000) {
    out[at++] = 0xd1;
    view.setInt16(at, v);
    at += 2;
  } else if (v >= INT32_MIN) {
    out[at++] = 0xd2;
    view.setInt32(at, v);
    at += 4;
  } else {
    const hi = Math.floor(v / TWO_32);
    out[at++] = 0xd3;
    view.setInt32(at, hi);
    view.setUint32(at + 4, v - hi * TWO_32);
    at += 8;
  }
}

function writeString(s: string): void {
  const n = s.length;
  room(5 + 3 * n);
  // ASCII, the usual case, is copied as is; anything else goes through the UTF-8 encoder.
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const bytes = ascii ? n : utf8.encode(s).length;
  if (bytes < 0x20) out[at++] = 0xa0 | bytes;
  else if (bytes < 0x100) {
    out[at++] = 0xd9;
    out[at++] = bytes;
  } else if (bytes < 0x1_0000) {
    out[at++] = 0xda;
    view.setUint16(at, bytes);
    at += 2;
  } else {
    out[at++] = 0xdb;
    view.setUint32(at, bytes);
    at += 4;
  }
  if (ascii) for (let i = 0; i < n; i++) out[at++] = s.charCodeAt(i);
  else at += utf8.encodeInto(s, out.subarray(at)).written;
}

function writeHeader(n: number, fix: number, b16: number): void {
  room(5);
  if (n < 16) out[at++] = fix | n;
  else if (n < 0x1_0000) {
    out[at++] = b16;
    view.setUint16(at, n);
    at += 2;
  } else {
    out[at++] = b16 + 1;
    view.setUint32(at, n);
    at += 4;
  }
}

function write(v: unknown): void {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v)) writeInt(v);
      else {
        room(9);
        out[at++] = 0xcb;
        view.setFloat64(at, v);
        at += 8;
      }
      return;
    case 'string':
      writeString(v);
      return;
    case 'boolean':
      room(1);
      out[at++] = v ? 0xc3 : 0xc2;
      return;
    case 'bigint':
      if (v < BigInt(INT32_MIN) || v > BigInt(UINT32_MAX)) {
        room(9);
        const int64 = v >= -(2n ** 63n) && v < 2n ** 63n;
        out[at++] = int64 ? 0xd3 : 0xcf;
        view.setBigUint64(at, BigInt.asUintN(64, v));
        at += 8;
      } else writeInt(Number(v));
      return;
    case 'undefined':
      room(1);
      out[at++] = 0xc0;
      return;
    case 'object':
      if (v === null) {
        room(1);
        out[at++] = 0xc0;
      } else if (Array.isArray(v)) {
        writeHeader(v.length, 0x90, 0xdc);
        for (let i = 0; i < v.length; i++) write(v[i]);
      } else {
        const keys = Object.keys(v);
        writeHeader(keys.length, 0x80, 0xde);
        for (const k of keys) {
          writeString(k);
          write((v as Record<string, unknown>)[k]);
        }
      }
      return;
    default:
      throw new TypeError(`packPlain: cannot encode a ${typeof v}`);
  }
}

/**
 * Encodes a value of arrays, plain objects (as maps), strings, integers, null and booleans as *plain*
 * MessagePack: no extension types, the smallest header for every value, integers beyond 32 bits as
 * int64 (§11; never float64). Returns a copy the next call cannot overwrite. Used for server messages and
 * client requests alike, so both sides write the same bytes.
 *
 * Hand-written rather than msgpackr: msgpackr writes such integers as float64 unless they are bigints, and the
 * conversion plus its per-call setup cost ~0.7–0.9 µs per small message — the most expensive step of publishing
 * one (the producer encodes every message of every channel). This writer produces the same bytes as msgpackr
 * with the integers converted (`packPlainReference`; a property test checks it) in about a fifth of the time.
 */
export function packPlain(value: unknown): Uint8Array<ArrayBuffer> {
  at = 0;
  write(value);
  return out.slice(0, at);
}

/**
 * Checks that `bytes` hold exactly one *plain* MessagePack value (spec: github.com/msgpack/msgpack spec.md):
 * no extension types (ext 8/16/32, fixext 1–16), no never-used byte 0xc1, not truncated, no trailing bytes.
 * Why before msgpackr: its extension table is process-global (undefined, bigint, Error, Set, RegExp, typed
 * arrays, records, timestamps), so an `Unpackr` alone cannot stop a client from building those objects.
 * Throws `ProtocolError` `UNDECODABLE` (close 4000). Iterative, so nesting cannot overflow the stack.
 */
export function assertPlainMsgpack(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let pending = 1;
  const need = (n: number): number => {
    if (pos + n > bytes.length) throw frameError('UNDECODABLE', `truncated MessagePack at byte ${pos}`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2));
  const u32 = (): number => view.getUint32(need(4));
  while (pending > 0) {
    pending--;
    const b = u8();
    if (b <= 0x7f || b >= 0xe0) continue;
    if (b <= 0x8f) pending += 2 * (b & 0x0f);
    else if (b <= 0x9f) pending += b & 0x0f;
    else if (b <= 0xbf) need(b & 0x1f);
    else {
      switch (b) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          break;
        case 0xc4:
        case 0xd9:
          need(u8());
          break;
        case 0xc5:
        case 0xda:
          need(u16());
          break;
        case 0xc6:
        case 0xdb:
          need(u32());
          break;
        case 0xca:
          need(4);
          break;
        case 0xcb:
          need(8);
          break;
        case 0xcc:
        case 0xd0:
          need(1);
          break;
        case 0xcd:
        case 0xd1:
          need(2);
          break;
        case 0xce:
        case 0xd2:
          need(4);
          break;
        case 0xcf:
        case 0xd3:
          need(8);
          break;
        case 0xdc:
          pending += u16();
          break;
        case 0xdd:
          pending += u32();
          break;
        case 0xde:
          pending += 2 * u16();
          break;
        case 0xdf:
          pending += 2 * u32();
          break;
        default:
          // 0xc1 (never used), 0xc7–0xc9 and 0xd4–0xd8 (extensions)
          throw frameError(
            'UNDECODABLE',
            `MessagePack type 0x${b.toString(16)} not allowed at byte ${pos - 1}`,
          );
      }
    }
    // A count can never exceed the bytes left (each value is at least one byte): stop absurd headers early.
    if (pending > bytes.length - pos) throw frameError('UNDECODABLE', `truncated MessagePack at byte ${pos}`);
  }
  if (pos !== bytes.length) throw frameError('UNDECODABLE', `${bytes.length - pos} trailing bytes`);
}

/**
 * Decodes one *plain* MessagePack value (`assertPlainMsgpack` first): maps as plain objects, int64/uint64 as
 * bigint. The one reader of the wire's MessagePack, for server frames and client requests alike. Throws
 * `ProtocolError` `UNDECODABLE` (close 4000).
 */
export function unpackPlain(bytes: Uint8Array): unknown {
  assertPlainMsgpack(bytes);
  try {
    return unpackr.unpack(bytes);
  } catch (cause) {
    throw frameError('UNDECODABLE', 'frame is not MessagePack', cause);
  }
}
