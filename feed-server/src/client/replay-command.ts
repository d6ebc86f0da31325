import type { ReplayAction, ReplaySpeed } from '../protocol/index.ts';
import { FeedClientError } from './feed-client-error.ts';

/**
 * A replay action with exactly its arguments (PROTOCOL.md §16), as `FeedClient.replay` sends it: `seek`
 * needs a time, `speed` a speed, `step` may have a count, `play` and `pause` take nothing.
 */
export type ReplayCommand =
  | { readonly action: 'play' }
  | { readonly action: 'pause' }
  /** `speed`: a multiple of real time, 0.01 to 10000, or `'max'` (as fast as the slowest client reads) */
  | { readonly action: 'speed'; readonly speed: ReplaySpeed }
  /** `seek`: the feed time to jump to, µs since the Unix epoch, within the replay's `fromUs`…`toUs` */
  | { readonly action: 'seek'; readonly tsUs: number }
  /** `step`: pause, then play `count` inputs (1 to 10000, default 1) and what each caused */
  | { readonly action: 'step'; readonly count?: number };

/**
 * The command of `action` with its arguments from `options`; a missing required argument (a JavaScript
 * caller, or a cast past the types) is a `BAD_OPTION` here rather than a request the server reads otherwise.
 */
export function replayCommand(
  action: ReplayAction,
  options: { readonly speed?: ReplaySpeed; readonly tsUs?: number; readonly count?: number },
): ReplayCommand {
  switch (action) {
    case 'play':
    case 'pause':
      return { action };
    case 'speed':
      if (options.speed === undefined) throw missing(action, 'speed');
      return { action, speed: options.speed };
    case 'seek':
      if (options.tsUs === undefined) throw missing(action, 'tsUs');
      return { action, tsUs: options.tsUs };
    case 'step':
      return options.count === undefined ? { action } : { action, count: options.count };
    default:
      throw new FeedClientError('BAD_OPTION', `unknown replay action ${JSON.stringify(action)}`);
  }
}

function missing(action: ReplayAction, field: string): FeedClientError {
  return new FeedClientError('BAD_OPTION', `replay('${action}') needs { ${field} }`);
}
