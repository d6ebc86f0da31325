import type { RetentionPolicy } from '../../../replay/src/index.ts';
import { CliError } from './cli-error.ts';

/** `serve`'s default retention: a week or 2 GB, whichever is reached first (about 4–5 h of `npm start`'s recording). */
export const DEFAULT_RETAIN = '7d,2GB';

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

/**
 * Parses `--retain`: `none` (keep everything), or one or two bounds separated by a comma, at most one of each
 * kind, whichever is reached first deleting the oldest sessions: an age `<n>m|h|d|w` (minutes, hours, days,
 * weeks; lower case) and a size `<n>B|KB|MB|GB|TB` (powers of 1000) or `KiB|MiB|GiB|TiB` (powers of 1024),
 * size units in any case. `n` may have a fraction (`1.5GB`). Returns null for `none`. Throws `CliError`
 * `BAD_FLAG_VALUE` naming `flag` and what is wrong.
 */
export function parseRetainFlag(flag: string, text: string): RetentionPolicy | null {
  const fail = (why: string): never => {
    throw new CliError(
      'BAD_FLAG_VALUE',
      `${flag}: "${text}" ${why}; expected none, an age (7d, 12h, 30m, 2w), a size (10GB, 500MB, 2GiB) or both (7d,10GB)`,
    );
  };
  if (text.trim() === 'none') return null;
  const terms = text.split(',').map((t) => t.trim());
  let maxAgeMs: number | null = null;
  let maxBytes: number | null = null;
  for (const term of terms) {
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
      if (maxAgeMs < 60_000) fail('keeps less than a minute: use none to keep everything, or a larger age');
    } else if (sizeBytes !== undefined) {
      if (maxBytes !== null) fail('gives two sizes');
      maxBytes = Math.floor(n * sizeBytes);
      if (maxBytes < 1) fail('keeps less than a byte');
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
