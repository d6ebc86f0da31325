/** Default of `FeedClientOptions.firstConnectTimeoutMs`: how long a new client tries before it gives up. */
export const DEFAULT_FIRST_CONNECT_TIMEOUT_MS = 30_000;

/**
 * The two ways a client that never got through stops trying: a deadline for its first connection (with
 * reconnecting on, a wrong URL or a server that is down would otherwise be retried forever, and `connect()`
 * never settle) and the caller's `AbortSignal`. The deadline runs from the first attempt to the first
 * `welcome`; the signal is heeded for the client's whole life.
 */
export class FirstConnect {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armed = false;
  private readonly onAbortEvent = (): void => this.onAbort();

  /**
   * @param timeoutMs - the deadline, ms; null: none
   * @param signal - aborting it closes the client
   * @param onTimeout - the deadline passed without a connection
   * @param onAbort - the signal was aborted
   */
  constructor(
    private readonly timeoutMs: number | null,
    private readonly signal: AbortSignal | undefined,
    private readonly onTimeout: () => void,
    private readonly onAbort: () => void,
  ) {
    signal?.addEventListener('abort', this.onAbortEvent, { once: true });
  }

  /** Whether the signal was aborted already (the client is closed from the start). */
  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  /** The signal's reason, for the error's `cause`. */
  get abortReason(): unknown {
    return this.signal?.reason;
  }

  /** An attempt to connect starts: the first one starts the deadline. */
  attempt(): void {
    if (this.armed) return;
    this.armed = true;
    if (this.timeoutMs !== null) this.timer = setTimeout(this.onTimeout, this.timeoutMs);
  }

  /** A connection went live: the deadline no longer applies. */
  connected(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The client closed: drop the timer and the listener. */
  dispose(): void {
    this.connected();
    this.signal?.removeEventListener('abort', this.onAbortEvent);
  }
}
