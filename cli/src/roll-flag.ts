import type { RetentionPolicy, RollPolicy } from '../../replay/src/index.ts';
import { parseAgeSizeBounds } from './age-size-bounds.ts';
import { CliError } from './cli-error.ts';

/** `serve`'s roll bound in time: a new session every hour (of feed time). */
export const DEFAULT_ROLL_AGE_MS = 3_600_000;
/** `serve`'s roll bound in size, unless `--retain`'s size asks for less (see {@link defaultRollPolicy}). */
export const DEFAULT_ROLL_BYTES = 256e6;
/**
 * The smallest size `--roll` takes: a session holds at least a keyframe of the whole producer state (~30 KiB
 * deflated at the default instruments), so a smaller bound would roll at nearly every command.
 */
export const MIN_ROLL_BYTES = 64 * 1024;

/**
 * `serve`'s roll policy when `--roll` is not given: every hour or {@link DEFAULT_ROLL_BYTES}, whichever first,
 * and at most a quarter of `--retain`'s size, so that the session being written and the one it rolled from (both
 * kept) leave room for history under the bound; never below {@link MIN_ROLL_BYTES}.
 */
export function defaultRollPolicy(retain: RetentionPolicy | null): RollPolicy {
  const quarter = retain?.maxBytes == null ? DEFAULT_ROLL_BYTES : Math.floor(retain.maxBytes / 4);
  return {
    maxAgeUs: DEFAULT_ROLL_AGE_MS * 1000,
    maxBytes: Math.max(MIN_ROLL_BYTES, Math.min(DEFAULT_ROLL_BYTES, quarter)),
  };
}

/**
 * Parses `--roll`: `none` (one session per run, as before rolling), or one or two bounds separated by a comma,
 * at most one of each kind, whichever is reached first closing the session and going on in a new one: an age
 * `<n>m|h|d|w` of feed time (at least a minute) and a size `<n>B|KB|MB|GB|TB` or `KiB|MiB|GiB|TiB` of recorded
 * bytes (at least {@link MIN_ROLL_BYTES}), units as `--retain`'s. Returns null for `none`. Throws `CliError`
 * `BAD_FLAG_VALUE` naming `flag` and what is wrong.
 */
export function parseRollFlag(flag: string, text: string): RollPolicy | null {
  const fail = (why: string): never => {
    throw new CliError(
      'BAD_FLAG_VALUE',
      `${flag}: "${text}" ${why}; expected none, an age (1h, 30m, 1d), a size (256MB, 1GiB) or both (1h,256MB)`,
    );
  };
  const bounds = parseAgeSizeBounds(
    text,
    {
      minBytes: MIN_ROLL_BYTES,
      tooYoung: 'rolls in less than a minute: the shortest age is 1m',
      tooSmall: 'rolls below 64KiB: a session holds at least a keyframe of the whole feed state (~30 KiB)',
    },
    fail,
  );
  if (bounds === null) return null;
  const { maxAgeMs, maxBytes } = bounds;
  return { maxAgeUs: maxAgeMs === null ? null : maxAgeMs * 1000, maxBytes };
}

/**
 * Checks an explicit `--roll` size against `--retain`'s: the session being written and the one it rolled from
 * are never deleted, so two sessions of the roll size must fit in the retained size. Throws `CliError`
 * `BAD_FLAG_VALUE` when they do not. (A roll without a size — `none`, or an age alone — is the operator's choice
 * to let one session outgrow the bound: retention then says so, as it did before rolling.)
 */
export function checkRollAgainstRetain(
  roll: { readonly name: string; readonly text: string; readonly policy: RollPolicy | null },
  retain: { readonly name: string; readonly text: string; readonly policy: RetentionPolicy | null },
): void {
  const bound = retain.policy?.maxBytes ?? null;
  const size = roll.policy?.maxBytes ?? null;
  if (bound === null || size === null || size * 2 <= bound) return;
  throw new CliError(
    'BAD_FLAG_VALUE',
    `${roll.name}: "${roll.text}" is more than half of ${retain.name} "${retain.text}": the session being written and the one it rolled from are never deleted, so two of them must fit in the bound`,
  );
}
