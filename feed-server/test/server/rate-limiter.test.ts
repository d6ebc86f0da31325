import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_REQUEST_RATE_LIMIT,
  type RateLimitDecision,
  RequestRateLimiter,
  TokenBucket,
} from '../../src/server/rate-limiter.ts';

const T0 = 1_000_000;

/** Calls `check` at each time and counts the decisions, stopping at the first `'close'`. */
function drive(limiter: RequestRateLimiter, times: readonly number[]) {
  const counts: Record<RateLimitDecision, number> = { ok: 0, limited: 0, close: 0 };
  let closedAtMs: number | undefined;
  for (const t of times) {
    const d = limiter.check(t);
    counts[d]++;
    if (d === 'close') {
      closedAtMs = t;
      break;
    }
  }
  return { ...counts, closedAtMs };
}

/** `count` request times starting at T0, `intervalMs` apart. */
const every = (intervalMs: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => T0 + i * intervalMs);

describe('TokenBucket', () => {
  test('starts full: burst takes back to back, then none', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 20 }, T0);
    for (let i = 0; i < 20; i++) expect(b.tryTake(T0)).toBe(true);
    expect(b.tryTake(T0)).toBe(false);
    expect(b.available(T0)).toBe(0);
  });

  test('refills at the rate, exactly on the boundary', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 1 }, T0);
    expect(b.tryTake(T0)).toBe(true);
    expect(b.tryTake(T0 + 99)).toBe(false);
    expect(b.msUntilAvailable(T0 + 99)).toBe(1);
    expect(b.tryTake(T0 + 100)).toBe(true);
    expect(b.tryTake(T0 + 199)).toBe(false);
    expect(b.tryTake(T0 + 200)).toBe(true);
  });

  test('many small steps add up exactly (no 0.1 + 0.1 + … = 0.9999 refusal)', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 1 }, T0);
    expect(b.tryTake(T0)).toBe(true);
    for (let t = T0 + 10; t < T0 + 100; t += 10) expect(b.tryTake(t)).toBe(false);
    expect(b.tryTake(T0 + 100)).toBe(true);
  });

  test('never holds more than burst, however long the pause', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 3 }, T0);
    expect(b.available(T0 + 3_600_000)).toBe(3);
    for (let i = 0; i < 3; i++) expect(b.tryTake(T0 + 3_600_000)).toBe(true);
    expect(b.tryTake(T0 + 3_600_000)).toBe(false);
  });

  test('a fractional rate: 0.5/s is one token per 2 s', () => {
    const b = new TokenBucket({ ratePerSecond: 0.5, burst: 1 }, T0);
    expect(b.tryTake(T0)).toBe(true);
    expect(b.msUntilAvailable(T0)).toBe(2000);
    expect(b.tryTake(T0 + 1999)).toBe(false);
    expect(b.tryTake(T0 + 2000)).toBe(true);
  });

  test('a clock that steps back does not refill, nor double-count later', () => {
    const b = new TokenBucket({ ratePerSecond: 10, burst: 1 }, T0);
    expect(b.tryTake(T0 + 1000)).toBe(true);
    expect(b.tryTake(T0)).toBe(false);
    expect(b.tryTake(T0 + 1099)).toBe(false);
    expect(b.tryTake(T0 + 1100)).toBe(true);
  });

  test.each([
    [{ ratePerSecond: 0, burst: 1 }, /ratePerSecond must be a finite number > 0, got 0/],
    [{ ratePerSecond: Number.POSITIVE_INFINITY, burst: 1 }, /ratePerSecond/],
    [{ ratePerSecond: Number.NaN, burst: 1 }, /ratePerSecond/],
    [{ ratePerSecond: 1, burst: 0 }, /burst must be an integer >= 1, got 0/],
    [{ ratePerSecond: 1, burst: 1.5 }, /burst/],
  ])('%j is refused', (options, message) => {
    expect(() => new TokenBucket(options, T0)).toThrow(message);
  });

  test('property: in any span, at most burst + rate × span takes succeed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          const b = new TokenBucket({ ratePerSecond: rate, burst }, T0);
          const allowedAt: number[] = [];
          let t = T0;
          for (const gap of gaps) {
            t += gap;
            if (b.tryTake(t)) allowedAt.push(t);
          }
          for (let i = 0; i < allowedAt.length; i++) {
            for (let j = i; j < allowedAt.length; j++) {
              const spanMs = (allowedAt[j] as number) - (allowedAt[i] as number);
              expect(j - i + 1).toBeLessThanOrEqual(burst + Math.floor((rate * spanMs) / 1000));
            }
          }
        },
      ),
    );
  });

  test('property: requests no faster than the rate are never refused', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        (rate, burst, extraGaps) => {
          const b = new TokenBucket({ ratePerSecond: rate, burst }, T0);
          let t = T0;
          for (const extra of extraGaps) {
            t += Math.ceil(1000 / rate) + extra;
            expect(b.tryTake(t)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('RequestRateLimiter', () => {
  test('defaults are PROTOCOL.md §8: 10 requests/s, burst 20', () => {
    expect(DEFAULT_REQUEST_RATE_LIMIT).toMatchObject({ ratePerSecond: 10, burst: 20 });
  });

  test('a client that fires 40 requests at once: 20 served, 20 refused, not closed', () => {
    expect(drive(new RequestRateLimiter(T0), every(0, 40))).toEqual({
      ok: 20,
      limited: 20,
      close: 0,
      closedAtMs: undefined,
    });
  });

  test('the 21st refusal in a burst closes, and it stays closed', () => {
    const limiter = new RequestRateLimiter(T0);
    expect(drive(limiter, every(0, 100))).toMatchObject({ ok: 20, limited: 20, close: 1, closedAtMs: T0 });
    expect(limiter.check(T0 + 3_600_000)).toBe('close');
  });

  test('a client at 10× the rate is closed within a second, though it is served every 100 ms', () => {
    const r = drive(new RequestRateLimiter(T0), every(10, 1000));
    expect(r.closedAtMs).toBeDefined();
    expect((r.closedAtMs as number) - T0).toBeLessThan(1000);
    expect(r.limited).toBeGreaterThanOrEqual(20);
  });

  test('a client at 11/s or 12/s is refused now and then but never closed', () => {
    for (const rate of [11, 12]) {
      const r = drive(new RequestRateLimiter(T0), every(1000 / rate, rate * 600));
      expect(r.closedAtMs, `${rate}/s`).toBeUndefined();
      expect(r.limited, `${rate}/s`).toBeGreaterThan(0);
    }
  });

  test('a client at 13/s is closed once its tolerance runs out (20 refusals, refilled at 2/s)', () => {
    const r = drive(new RequestRateLimiter(T0), every(1000 / 13, 13 * 600));
    // 20 s to drain the burst at 3/s over, then 20 refusals at 1/s net
    expect((r.closedAtMs as number) - T0).toBeGreaterThan(20_000);
    expect((r.closedAtMs as number) - T0).toBeLessThan(60_000);
  });

  test('recovering after RATE_LIMITED: a client that waits retryAfterMs is served', () => {
    const limiter = new RequestRateLimiter(T0, { ratePerSecond: 4, burst: 2 });
    expect([limiter.check(T0), limiter.check(T0), limiter.check(T0)]).toEqual(['ok', 'ok', 'limited']);
    const wait = limiter.retryAfterMs(T0);
    expect(wait).toBe(250);
    expect(limiter.check(T0 + wait - 1)).toBe('limited');
    expect(limiter.check(T0 + wait)).toBe('ok');
  });

  test('custom tolerance: maxViolations 5 in 10 s', () => {
    const r = drive(
      new RequestRateLimiter(T0, { maxViolations: 5, violationWindowMs: 10_000 }),
      every(0, 30),
    );
    expect(r).toMatchObject({ ok: 20, limited: 5, close: 1 });
  });

  test.each([
    [{ maxViolations: 0 }, /maxViolations must be an integer >= 1, got 0/],
    [{ maxViolations: 2.5 }, /maxViolations/],
    [{ violationWindowMs: 0 }, /violationWindowMs must be a finite number > 0, got 0/],
    [{ ratePerSecond: -1 }, /ratePerSecond/],
    [{ burst: 0 }, /burst/],
  ])('%j is refused', (options, message) => {
    expect(() => new RequestRateLimiter(T0, options)).toThrow(message);
  });
});
