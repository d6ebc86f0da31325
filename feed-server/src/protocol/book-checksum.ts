/** A price level as the checksum reads it: scaled integer price and scaled integer quantity (more ignored). */
export type ChecksumLevel = readonly [price: number, qty: number, ...rest: number[]];

/** Levels per side that enter the checksum (§12). */
export const CHECKSUM_DEPTH = 10;

// CRC-32/ISO-HDLC (IEEE 802.3, reflected polynomial 0xEDB88320), the one zlib's crc32 computes.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as zlib's `crc32`) of `bytes`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Appends one side's top levels as `PRICE:QTY,...`. A module function, not a per-call closure (see below). */
function sideText(levels: readonly ChecksumLevel[]): string {
  let text = '';
  const n = Math.min(levels.length, CHECKSUM_DEPTH);
  for (let i = 0; i < n; i++) {
    const level = levels[i] as ChecksumLevel;
    text += i === 0 ? `${level[0]}:${level[1]}` : `,${level[0]}:${level[1]}`;
  }
  return text;
}

/**
 * The checksummed text of §12: top 10 asks best first, `|`, top 10 bids best first; each level
 * `PRICE:QTY` in base-10 scaled integers, levels joined by `,`. Levels must already be best first.
 */
export function bookChecksumText(bids: readonly ChecksumLevel[], asks: readonly ChecksumLevel[]): string {
  return `${sideText(asks)}|${sideText(bids)}`;
}

/** CRC-32 (IEEE) of an ASCII text (one byte per char), as an unsigned 32-bit integer. */
export function crc32Ascii(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = (TABLE[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The §12 book checksum (unsigned 32-bit) of levels best first; arguments in the wire order, bids then asks.
 * Runs once per book update on the server and in every client, so it allocates only the text: no closures
 * (tsx/esbuild `keepNames` wraps each named one in a helper call), no slices, no byte copy.
 */
export function bookChecksum(bids: readonly ChecksumLevel[], asks: readonly ChecksumLevel[]): number {
  // The text is ASCII digits, ':', ',', '|' and '-': one byte per char.
  return crc32Ascii(bookChecksumText(bids, asks));
}
