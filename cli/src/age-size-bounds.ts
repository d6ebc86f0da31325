/** The age units of `--retain` and `--roll`, in ms. */
export const AGE_UNITS_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The size units of `--retain` and `--roll` (case-insensitive), in bytes. */
export const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** An age bound and a size bound, either absent: whichever is reached first. */
export interface AgeSizeBounds {
  readonly maxAgeMs: number | null;
  readonly maxBytes: number | null;
}

/** What a flag allows at least, and how it says a bound is below that. */
export interface AgeSizeLimits {
  /** the smallest size in bytes (at least 1) */
  readonly minBytes: number;
  /** the reason given for an age under a minute */
  readonly tooYoung: string;
  /** the reason given for a size under `minBytes` */
  readonly tooSmall: string;
}

/**
 * The grammar `--retain` and `--roll` share: `none` (null), or one or two bounds separated by a comma, at most
 * one of each kind: an age `<n>m|h|d|w` (lower case, at least a minute) and a size `<n>B|KB|MB|GB|TB` (powers of
 * 1000) or `KiB|MiB|GiB|TiB` (powers of 1024), size units in any case; `n` may have a fraction (`1.5GB`).
 * Each mistake calls `fail` with its own reason (which throws).
 */
export function parseAgeSizeBounds(
  text: string,
  limits: AgeSizeLimits,
  fail: (why: string) => never,
): AgeSizeBounds | null {
  if (text.trim() === 'none') return null;
  let maxAgeMs: number | null = null;
  let maxBytes: number | null = null;
  for (const term of text.split(',').map((t) => t.trim())) {
    if (term === '') fail('has an empty bound');
    if (term === 'none') fail('mixes none with a bound');
    const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(term);
    if (m === null) fail(`has "${term}", which is not a number with a unit`);
    const [, num = '', unit = ''] = m as RegExpExecArray;
    const n = Number(num);
    const ageMs = AGE_UNITS_MS[unit];
    const sizeBytes = /b$/i.test(unit) ? SIZE_UNITS[unit.toLowerCase()] : undefined;
    if (ageMs !== undefined) {
      if (maxAgeMs !== null) fail('gives two ages');
      maxAgeMs = Math.round(n * ageMs);
      if (maxAgeMs < 60_000) fail(limits.tooYoung);
    } else if (sizeBytes !== undefined) {
      if (maxBytes !== null) fail('gives two sizes');
      maxBytes = Math.floor(n * sizeBytes);
      if (maxBytes < limits.minBytes) fail(limits.tooSmall);
    } else if (unit === 'M' || unit === 'H' || unit === 'D' || unit === 'W') {
      fail(`has the unit "${unit}": ages are lower case (${unit.toLowerCase()}), sizes end in B (${unit}B)`);
    } else if (unit === 's') {
      fail('has an age in seconds: the shortest unit is m (minutes)');
    } else {
      fail(`has the unit "${unit}", which is neither an age nor a size`);
    }
  }
  return { maxAgeMs, maxBytes };
}
