/** Options of `Backoff`. */
export interface BackoffOptions {
  /** the first delay's upper bound, milliseconds (default {@link DEFAULT_MIN_DELAY_MS}: 250) */
  readonly minDelayMs?: number;
  /** the cap of every delay, milliseconds (default {@link DEFAULT_MAX_DELAY_MS}: 10 000) */
  readonly maxDelayMs?: number;
  /** uniform random numbers in [0, 1) (default `Math.random`); tests pass a fixed sequence */
  readonly random?: () => number;
}

/**
 * Default upper bound of the first reconnect delay, milliseconds: a restarted server is retried within a quarter
 * of a second (issue 12: the page took 4–8 s to come back after a restart with 500 ms to 30 s).
 */
export const DEFAULT_MIN_DELAY_MS = 250;
/**
 * Default cap of the reconnect delay, milliseconds: 0–250 ms, 0–500 ms, 0–1 s, 0–2 s, 0–4 s, 0–8 s, then 0–10 s
 * for as long as the server is away. Full jitter keeps a crowd of clients spread even at the cap.
 */
export const DEFAULT_MAX_DELAY_MS = 10_000;

/**
 * Exponential backoff with full jitter: attempt `n` (from 0) waits a uniform random delay in
 * [0, min(maxDelayMs, minDelayMs × 2^n)). Full jitter spreads a crowd of clients that lost the same server
 * so they do not reconnect in lockstep (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 *
 * @example
 * ```ts
 * const backoff = new Backoff({ minDelayMs: 250, maxDelayMs: 10_000 });
 * setTimeout(reconnect, backoff.next()); // 0–250 ms, then 0–500 ms, 0–1 s, … capped at 10 s
 * backoff.reset(); // once a connection has proved stable
 * ```
 */
export class Backoff {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  private readonly random: () => number;
  private attemptCount = 0;

  constructor(options: BackoffOptions = {}) {
    this.minDelayMs = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.random = options.random ?? Math.random;
    if (!(Number.isFinite(this.minDelayMs) && this.minDelayMs > 0)) {
      throw new RangeError(`minDelayMs must be a positive number, got ${this.minDelayMs}`);
    }
    if (!(Number.isFinite(this.maxDelayMs) && this.maxDelayMs >= this.minDelayMs)) {
      throw new RangeError(`maxDelayMs must be a number ≥ minDelayMs, got ${this.maxDelayMs}`);
    }
  }

  /** Attempts since the last `reset`. */
  get attempt(): number {
    return this.attemptCount;
  }

  /** The delay before the next attempt, whole milliseconds, and counts the attempt. */
  next(): number {
    // 2^n overflows nothing: the exponent stops growing once the cap is reached.
    const ceiling = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** Math.min(this.attemptCount, 52));
    this.attemptCount++;
    return Math.floor(this.random() * ceiling);
  }

  /** Starts over from the smallest delay. */
  reset(): void {
    this.attemptCount = 0;
  }
}
