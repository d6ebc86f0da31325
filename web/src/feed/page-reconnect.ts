import type { BackoffOptions } from 'tickwire/client';

/**
 * The page's reconnect backoff: the first retry within 250 ms, then exponential with full jitter (0–250 ms,
 * 0–500 ms, 0–1 s) up to a cap of 2 s, so a restarted server has its pages back within about 2 s of coming
 * up. A page is one client per person and waits for its own server; the SDK's default cap (10 s) suits
 * programs that may be many against one server.
 */
export const PAGE_RECONNECT: BackoffOptions = { minDelayMs: 250, maxDelayMs: 2_000 };
