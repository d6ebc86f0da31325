/** Realistic record sizes: payloads of 40–120 bytes (a trade, a book update, a command in MessagePack). */
export const MIN_PAYLOAD = 40;
export const MAX_PAYLOAD = 120;
const POOL = 4096;

/** A seeded pool of payloads (record i uses `payloads[i & 4095]`), so the timed loop allocates nothing. */
export function payloadPool(seed: number): Uint8Array[] {
  let s = (seed * 0x9e3779b1) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return Array.from({ length: POOL }, () => {
    const p = new Uint8Array(MIN_PAYLOAD + (next() % (MAX_PAYLOAD - MIN_PAYLOAD + 1)));
    for (let i = 0; i < p.length; i++) p[i] = next() & 0xff;
    return p;
  });
}

/** ts of record i: 10,000 records per second of market time, several records per µs now and then. */
export function tsOf(startUs: number, i: number): number {
  return startUs + Math.floor(i / 3) * 300;
}

/** A seeded uniform number in [0, 1). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
