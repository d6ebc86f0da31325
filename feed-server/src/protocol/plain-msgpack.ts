import { Packr } from 'msgpackr';
import { frameError } from './protocol-error.ts';

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
 * Encodes a value of arrays, plain objects (as maps), strings, integers, null and booleans as *plain*
 * MessagePack: no extension types, integers ≥ 2^32 as int64/uint64. Returns a copy the next call cannot
 * overwrite. Used for server messages and client requests alike, so both sides write the same bytes.
 */
export function packPlain(value: unknown): Uint8Array<ArrayBuffer> {
  // Copy: msgpackr returns a view into its reusable buffer.
  return new Uint8Array(packr.pack(toWire(value)));
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
