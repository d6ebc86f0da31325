import type { RetentionPolicy } from '../../replay/src/index.ts';
import { parseAgeSizeBounds } from './age-size-bounds.ts';
import { CliError } from './cli-error.ts';

/** `serve`'s default retention: a week or 2 GB, whichever is reached first (about 4–5 h of `npm start`'s recording). */
export const DEFAULT_RETAIN = '7d,2GB';

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
  return parseAgeSizeBounds(
    text,
    {
      minBytes: 1,
      tooYoung: 'keeps less than a minute: use none to keep everything, or a larger age',
      tooSmall: 'keeps less than a byte',
    },
    fail,
  );
}
