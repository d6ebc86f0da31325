/**
 * Records derived from their seq alone, so a test (or a crashed child's parent) can check any record it reads
 * back without having kept what was written.
 */
export const BASE_TS_US = 1_700_000_000_000_000;

/** Type byte of record `seq`: 1, 2 or 3. */
export function typeFor(seq: number): number {
  return 1 + (seq % 3);
}

/** ts of record `seq`: non-decreasing, with runs of equal values. */
export function tsFor(seq: number): number {
  return BASE_TS_US + Math.floor(seq / 2) * 1000;
}

/** Payload of record `seq`: 40–120 bytes, content from the seq. */
export function payloadFor(seq: number): Uint8Array {
  const n = 40 + ((seq * 37) % 81);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (seq * 131 + i * 7 + (seq >>> 8)) & 0xff;
  return p;
}

/** Null when `payload` is what `payloadFor(seq)` gives, else what differs. */
export function payloadMismatch(seq: number, payload: Uint8Array): string | null {
  const want = payloadFor(seq);
  if (want.length !== payload.length) return `length ${payload.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) if (want[i] !== payload[i]) return `byte ${i} differs`;
  return null;
}
