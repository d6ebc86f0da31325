/**
 * What the page needs from a replay server to drive it: the hook for the replay issue. Nothing implements it
 * yet — the replay server and its control messages do not exist — so the page shows the replay bar (and the
 * replay clock, from the events' own times) when `welcome.mode` is `"replay"`, with its controls disabled
 * until a `ReplayControl` is given to the view.
 */
export interface ReplayControl {
  /** the recording's span and where playback stands, µs since the epoch */
  readonly range: () => { readonly startUs: number; readonly endUs: number };
  readonly playing: () => boolean;
  /** playback speed, a multiple of real time */
  readonly speed: () => number;
  play(): Promise<void>;
  pause(): Promise<void>;
  setSpeed(speed: number): Promise<void>;
  /** jumps to an engine time in the recording */
  seek(tsUs: number): Promise<void>;
}

/** The speeds the replay bar offers. */
export const REPLAY_SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 5, 10, 50];
