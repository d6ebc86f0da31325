import type { ReplaySpeed } from '../../../feed-server/src/protocol/index.ts';

/**
 * The replay clock: feed time as a function of wall time, at a speed, paused or playing. Pure (the wall clock is
 * injected). At speed `'max'` there is no schedule: the time is that of the last record played (`reached`).
 */
export class ReplayClock {
  #speed: ReplaySpeed;
  #playing = false;
  #anchorWallMs: number;
  #anchorUs: number;

  constructor(
    startUs: number,
    speed: ReplaySpeed,
    private readonly wallMs: () => number,
  ) {
    this.#speed = speed;
    this.#anchorUs = startUs;
    this.#anchorWallMs = wallMs();
  }

  get speed(): ReplaySpeed {
    return this.#speed;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** The feed time now, µs. */
  nowUs(): number {
    if (!this.#playing || this.#speed === 'max') return this.#anchorUs;
    return this.#anchorUs + Math.floor((this.wallMs() - this.#anchorWallMs) * 1000 * this.#speed);
  }

  play(): void {
    if (this.#playing) return;
    this.#rebase();
    this.#playing = true;
  }

  pause(): void {
    if (!this.#playing) return;
    this.#rebase();
    this.#playing = false;
  }

  setSpeed(speed: ReplaySpeed): void {
    this.#rebase();
    this.#speed = speed;
  }

  /** Sets the feed time (a seek, or the time of a record played at `'max'` or by a step). */
  jump(tsUs: number): void {
    this.#anchorUs = tsUs;
    this.#anchorWallMs = this.wallMs();
  }

  /** At `'max'`, or while paused: the feed time advanced to a record's; never goes back. */
  reached(tsUs: number): void {
    if (tsUs > this.#anchorUs) this.jump(tsUs);
  }

  #rebase(): void {
    this.#anchorUs = this.nowUs();
    this.#anchorWallMs = this.wallMs();
  }
}
