/** A token bucket's shape. */
export interface TokenBucketOptions {
  /** tokens added per second (the sustained rate); > 0 */
  readonly ratePerSecond: number;
  /** capacity: the most takes accepted back to back after a quiet spell; an integer ≥ 1 */
  readonly burst: number;
}

/**
 * Fixed-point units per token: with integer `ratePerSecond` and integer ms the arithmetic is exact, so the
 * 10th request at 10/s is allowed at exactly +100 ms, not refused by a float that summed to 0.9999….
 */
const UNITS_PER_TOKEN = 1000;

/**
 * A token bucket driven by the caller's clock: no timers, O(1) per call, 3 numbers of state. It starts full.
 * `nowMs` is any monotonic millisecond clock (e.g. `performance.now()`); a clock that steps back is treated as
 * not having moved.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  #units: number;
  #lastMs: number;

  constructor(options: TokenBucketOptions, nowMs: number) {
    const { ratePerSecond, burst } = options;
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new RangeError(`TokenBucket: ratePerSecond must be a finite number > 0, got ${ratePerSecond}`);
    }
    if (!(Number.isSafeInteger(burst) && burst >= 1)) {
      throw new RangeError(`TokenBucket: burst must be an integer >= 1, got ${burst}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.#units = burst * UNITS_PER_TOKEN;
    this.#lastMs = nowMs;
  }

  /** Takes one token if there is one at `nowMs`: `true` = go ahead, `false` = over the rate. */
  tryTake(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#units < UNITS_PER_TOKEN) return false;
    this.#units -= UNITS_PER_TOKEN;
    return true;
  }

  /** Tokens available at `nowMs`, possibly fractional. */
  available(nowMs: number): number {
    this.#refill(nowMs);
    return this.#units / UNITS_PER_TOKEN;
  }

  /** Milliseconds from `nowMs` until a take can succeed; 0 when one can now. For a "retry after" hint. */
  msUntilAvailable(nowMs: number): number {
    this.#refill(nowMs);
    const missing = UNITS_PER_TOKEN - this.#units;
    return missing <= 0 ? 0 : Math.ceil(missing / this.ratePerSecond);
  }

  #refill(nowMs: number): void {
    if (nowMs <= this.#lastMs) return;
    // units/ms = tokens/s × UNITS_PER_TOKEN / 1000 = ratePerSecond
    this.#units = Math.min(
      this.burst * UNITS_PER_TOKEN,
      this.#units + (nowMs - this.#lastMs) * this.ratePerSecond,
    );
    this.#lastMs = nowMs;
  }
}

/** The request rate limit of one connection and when refusing turns into closing it. */
export interface RequestRateLimitOptions extends TokenBucketOptions {
  /**
   * refusals tolerated back to back (integer ≥ 1); the tolerance refills evenly over `violationWindowMs`, and
   * a refusal that finds none left closes the connection
   */
  readonly maxViolations: number;
  /** ms for the whole tolerance to refill: a sustained `maxViolations` refusals per window never close */
  readonly violationWindowMs: number;
}

/**
 * Defaults: PROTOCOL.md §8 (10 requests/s, burst 20), and a tolerance of 20 refusals refilled at 2/s — a
 * client may overshoot by its whole burst once, or by 2 requests/s for ever, but not keep ignoring
 * `RATE_LIMITED`.
 */
export const DEFAULT_REQUEST_RATE_LIMIT: RequestRateLimitOptions = {
  ratePerSecond: 10,
  burst: 20,
  maxViolations: 20,
  violationWindowMs: 10_000,
};

/**
 * What to do with one request: serve it; answer `RATE_LIMITED` (PROTOCOL.md §10) and keep the connection;
 * or close the connection with 4029 (§9). The verdicts of the gateway's `RequestGuard.check`, so a
 * {@link RequestRateLimiter} can be passed as the guard.
 */
export type RateLimitDecision = 'ok' | 'limited' | 'close';

/**
 * The subscribe/unsubscribe rate limit of one connection (PROTOCOL.md §8) with the "repeatedly" rule of close
 * code 4029: refusals draw from a second bucket of `maxViolations` that refills over `violationWindowMs`;
 * a refusal that finds it empty means close. Counting refusals in a window rather than refusals in a row
 * matters: a client at 10× the rate gets an allowed request every 100 ms, so a run of refusals never grows
 * long, yet it makes the server decode a request and encode an error 90 times a second. And a window of
 * 20 rather than 5 lets a naive client that fires 40 subscribes at once see its errors before it is closed.
 * Once `'close'` is returned, every later call returns it too.
 */
export class RequestRateLimiter {
  readonly #requests: TokenBucket;
  readonly #violations: TokenBucket;
  #closed = false;

  constructor(nowMs: number, options: Partial<RequestRateLimitOptions> = {}) {
    const o = { ...DEFAULT_REQUEST_RATE_LIMIT, ...options };
    if (!(Number.isSafeInteger(o.maxViolations) && o.maxViolations >= 1)) {
      throw new RangeError(
        `RequestRateLimiter: maxViolations must be an integer >= 1, got ${o.maxViolations}`,
      );
    }
    if (!(Number.isFinite(o.violationWindowMs) && o.violationWindowMs > 0)) {
      throw new RangeError(
        `RequestRateLimiter: violationWindowMs must be a finite number > 0, got ${o.violationWindowMs}`,
      );
    }
    this.#requests = new TokenBucket(o, nowMs);
    this.#violations = new TokenBucket(
      { ratePerSecond: (o.maxViolations * 1000) / o.violationWindowMs, burst: o.maxViolations },
      nowMs,
    );
  }

  /** Decides on one request arriving at `nowMs`. */
  check(nowMs: number): RateLimitDecision {
    if (this.#closed) return 'close';
    if (this.#requests.tryTake(nowMs)) return 'ok';
    if (this.#violations.tryTake(nowMs)) return 'limited';
    this.#closed = true;
    return 'close';
  }

  /** Milliseconds from `nowMs` until a request would be allowed; for the `RATE_LIMITED` message. */
  retryAfterMs(nowMs: number): number {
    return this.#requests.msUntilAvailable(nowMs);
  }
}
