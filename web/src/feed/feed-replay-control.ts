import type { FeedClient, ReplayStatus } from 'tickwire/client';
import type { ReplayControl } from '../model/index.ts';

/**
 * The replay bar's link to a replay server (PROTOCOL.md §16), through the SDK: it follows the `replay` channel
 * once the welcome says the feed is a replay, and sends play, pause, speed and seek as replay requests.
 * Every viewer of the replay shares its clock; what one changes, all see.
 */
export class FeedReplayControl implements ReplayControl {
  #status: ReplayStatus | null = null;
  #following = false;

  /**
   * @param onChange - called on every status the server reports (re-render the bar)
   * @param onError - a request the server refused, or a lost connection
   */
  constructor(
    private readonly client: FeedClient,
    private readonly onChange: () => void,
    private readonly onError: (error: unknown) => void,
  ) {
    client.on('status', (s) => {
      if (s.status === 'live' && s.mode === 'replay' && !this.#following) {
        this.#following = true;
        client.subscribe('replay').catch((e: unknown) => this.onError(e));
      }
    });
    client.on('replay', (r) => {
      this.#status = r.status;
      this.onChange();
    });
  }

  /** The latest status, null before the first. */
  get status(): ReplayStatus | null {
    return this.#status;
  }

  range(): { readonly startUs: number; readonly endUs: number } {
    const s = this.#status;
    return s === null ? { startUs: 0, endUs: 0 } : { startUs: s.fromUs, endUs: s.toUs };
  }

  playing(): boolean {
    return this.#status?.state === 'playing';
  }

  speed(): number {
    const speed = this.#status?.speed ?? 1;
    return speed === 'max' ? Number.POSITIVE_INFINITY : speed;
  }

  play(): Promise<void> {
    return this.#send(this.client.replay('play'));
  }

  pause(): Promise<void> {
    return this.#send(this.client.replay('pause'));
  }

  setSpeed(speed: number): Promise<void> {
    return this.#send(this.client.replay('speed', { speed: Number.isFinite(speed) ? speed : 'max' }));
  }

  seek(tsUs: number): Promise<void> {
    return this.#send(this.client.replay('seek', { tsUs: Math.round(tsUs) }));
  }

  #send(request: Promise<void>): Promise<void> {
    return request.catch((e: unknown) => this.onError(e));
  }
}
