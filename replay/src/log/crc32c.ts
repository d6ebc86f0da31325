/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, as in iSCSI, ext4, Kafka and LevelDB), slicing-by-8.
 *
 * Why our own: it takes a byte range instead of a view, so checking a ~100-byte record allocates nothing, and
 * measured ~1.5–2× faster than `crc-32/crc32c` on a subarray at 60–150 bytes (the same speed on large buffers).
 * Node's `zlib.crc32` is CRC-32 (ISO-HDLC), a different polynomial. The tests check it against `crc-32`.
 */

/** 8 tables of 256 entries: TABLES[k * 256 + b] is the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number;
    for (let k = 1; k < 8; k++) {
      c = (c >>> 8) ^ (t[c & 0xff] as number);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/**
 * The CRC-32C of `bytes[start, end)`, as an unsigned 32-bit integer. `crc32c("123456789") = 0xE3069283`.
 * Pass a previous result as `seed` to continue a checksum over several ranges.
 */
export function crc32c(bytes: Uint8Array, start = 0, end: number = bytes.length, seed = 0): number {
  const t = TABLES;
  let c = ~seed;
  let i = start;
  const last8 = end - 8;
  // Indexes are in range by construction; `as number` only tells the compiler so.
  for (; i <= last8; i += 8) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (t[1792 + (c & 0xff)] as number) ^
      (t[1536 + ((c >>> 8) & 0xff)] as number) ^
      (t[1280 + ((c >>> 16) & 0xff)] as number) ^
      (t[1024 + (c >>> 24)] as number) ^
      (t[768 + (bytes[i + 4] as number)] as number) ^
      (t[512 + (bytes[i + 5] as number)] as number) ^
      (t[256 + (bytes[i + 6] as number)] as number) ^
      (t[bytes[i + 7] as number] as number);
  }
  for (; i < end; i++) c = (c >>> 8) ^ (t[(c ^ (bytes[i] as number)) & 0xff] as number);
  return ~c >>> 0;
}
