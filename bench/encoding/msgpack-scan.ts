/** What one MessagePack value is made of, by the spec's type families. */
export interface MsgpackScan {
  readonly values: number;
  readonly ints: number;
  /** float32 / float64: a typed decoder in another language reading an integer field would refuse these */
  readonly floats: number;
  /** ext / fixext of any type: only a decoder that knows the extension can read these */
  readonly extensions: number;
  readonly strings: number;
  readonly binaries: number;
  readonly arrays: number;
  readonly maps: number;
  readonly nils: number;
  readonly booleans: number;
}

/**
 * Walks one MessagePack value by the spec (github.com/msgpack/msgpack/blob/master/spec.md) without decoding
 * it, counting type families. Throws `RangeError` on the never-used byte 0xc1, a truncated value, or bytes
 * left over after the value. Used to prove an encoding is plain, portable MessagePack.
 */
export function scanMsgpack(bytes: Uint8Array): MsgpackScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = {
    values: 0,
    ints: 0,
    floats: 0,
    extensions: 0,
    strings: 0,
    binaries: 0,
    arrays: 0,
    maps: 0,
    nils: 0,
    booleans: 0,
  };
  let pos = 0;
  let pending = 1;
  const need = (n: number): number => {
    if (pos + n > bytes.length) throw new RangeError(`truncated msgpack at byte ${pos}`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2));
  const u32 = (): number => view.getUint32(need(4));
  while (pending > 0) {
    pending--;
    c.values++;
    const b = u8();
    if (b <= 0x7f || b >= 0xe0) c.ints++;
    else if (b <= 0x8f) {
      c.maps++;
      pending += 2 * (b & 0x0f);
    } else if (b <= 0x9f) {
      c.arrays++;
      pending += b & 0x0f;
    } else if (b <= 0xbf) {
      c.strings++;
      need(b & 0x1f);
    } else {
      switch (b) {
        case 0xc0:
          c.nils++;
          break;
        case 0xc1:
          throw new RangeError(`never-used byte 0xc1 at ${pos - 1}`);
        case 0xc2:
        case 0xc3:
          c.booleans++;
          break;
        case 0xc4:
          c.binaries++;
          need(u8());
          break;
        case 0xc5:
          c.binaries++;
          need(u16());
          break;
        case 0xc6:
          c.binaries++;
          need(u32());
          break;
        case 0xc7:
          c.extensions++;
          need(u8() + 1);
          break;
        case 0xc8:
          c.extensions++;
          need(u16() + 1);
          break;
        case 0xc9:
          c.extensions++;
          need(u32() + 1);
          break;
        case 0xca:
          c.floats++;
          need(4);
          break;
        case 0xcb:
          c.floats++;
          need(8);
          break;
        case 0xcc:
        case 0xd0:
          c.ints++;
          need(1);
          break;
        case 0xcd:
        case 0xd1:
          c.ints++;
          need(2);
          break;
        case 0xce:
        case 0xd2:
          c.ints++;
          need(4);
          break;
        case 0xcf:
        case 0xd3:
          c.ints++;
          need(8);
          break;
        case 0xd4:
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
          c.extensions++;
          need(1 + (1 << (b - 0xd4)));
          break;
        case 0xd9:
          c.strings++;
          need(u8());
          break;
        case 0xda:
          c.strings++;
          need(u16());
          break;
        case 0xdb:
          c.strings++;
          need(u32());
          break;
        case 0xdc:
          c.arrays++;
          pending += u16();
          break;
        case 0xdd:
          c.arrays++;
          pending += u32();
          break;
        case 0xde:
          c.maps++;
          pending += 2 * u16();
          break;
        case 0xdf:
          c.maps++;
          pending += 2 * u32();
          break;
      }
    }
  }
  if (pos !== bytes.length) throw new RangeError(`${bytes.length - pos} bytes after the msgpack value`);
  return c;
}
