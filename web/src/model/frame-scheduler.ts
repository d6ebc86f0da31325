/**
 * Coalesces renders to one per animation frame: the feed calls `request()` on every message (a thousand times
 * a second in a burst), the page draws at most once per frame, from the latest state. `requestFrame` is
 * `requestAnimationFrame` in the browser (paused in a hidden tab: the state keeps only the latest values and
 * bounded rings, so nothing piles up meanwhile), a fake in tests.
 *
 * @example
 * ```ts
 * const frames = new FrameScheduler((cb) => requestAnimationFrame(cb), render);
 * client.on('trade', (t) => { tape.push(t); frames.request(); });
 * ```
 */
export class FrameScheduler {
  private pending = false;
  private readonly requestFrame: (callback: () => void) => void;
  private readonly render: () => void;
  /** frames rendered */
  frames = 0;

  constructor(requestFrame: (callback: () => void) => void, render: () => void) {
    this.requestFrame = requestFrame;
    this.render = render;
  }

  /** Asks for a render in the next frame (once, however often it is called before). */
  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.requestFrame(this.run);
  }

  private readonly run = (): void => {
    this.pending = false;
    this.frames++;
    this.render();
  };
}
