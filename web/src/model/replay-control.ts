/**
 * What the page needs from a replay server to drive it (PROTOCOL.md §16); `FeedReplayControl` (src/feed)
 * implements it over the SDK. The page shows the replay bar when `welcome.mode` is `"replay"`.
 */
export interface ReplayControl {
  /** the part of the recording being replayed, µs since the epoch */
  readonly range: () => { readonly startUs: number; readonly endUs: number };
  readonly playing: () => boolean;
  /** playback speed, a multiple of real time (Infinity: as fast as the clients read) */
  readonly speed: () => number;
  play(): Promise<void>;
  pause(): Promise<void>;
  setSpeed(speed: number): Promise<void>;
  /** jumps to an engine time in the recording */
  seek(tsUs: number): Promise<void>;
}

/** The speeds the replay bar offers. */
export const REPLAY_SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 5, 10, 50, 100, 1000];
