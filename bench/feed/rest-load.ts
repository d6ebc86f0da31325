/*
 * REST load with autocannon: `main.ts` runs `runRestLoad` against a live server (at the bench's input rate, no
 * WebSocket clients) after the feed phases.
 */

/** A fixed JSON answer on the same server: what a REST request costs with no work behind it (the ceiling). */
export const STATIC_JSON_PATH = '/bench/static.json';

/** The REST endpoints to load (PROTOCOL.md §14), each on its own, and the static ceiling last. */
export const REST_PATHS: readonly string[] = [
  '/api/v1/ticker/BTC-USD',
  '/api/v1/book/BTC-USD?depth=10',
  '/api/v1/trades/BTC-USD?limit=100',
  '/api/v1/candles/BTC-USD?interval=1m&limit=100',
  STATIC_JSON_PATH,
];

/** What autocannon measured on one path. */
export interface RestPathResult {
  readonly path: string;
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** The REST phase: figures per path, or why it did not run. */
export type RestLoadResult =
  | { readonly status: 'ran'; readonly paths: readonly RestPathResult[] }
  | { readonly status: 'skipped'; readonly reason: string };

/** Subset of autocannon's result that we read. */
interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
}) => Promise<AutocannonResult>;

/**
 * Loads each of `paths` on `baseUrl` (`http://127.0.0.1:PORT`) for `seconds` with autocannon, one path after the
 * other. Skipped when there are no paths or autocannon is not installed.
 */
export async function runRestLoad(
  baseUrl: string,
  paths: readonly string[],
  seconds: number,
  connections = 100,
): Promise<RestLoadResult> {
  if (paths.length === 0) {
    return {
      status: 'skipped',
      reason: 'no REST paths yet (REST API not on main; see bench/feed/rest-load.ts)',
    };
  }
  let autocannon: Autocannon;
  try {
    // A variable specifier: the bench must typecheck and run while autocannon is not installed.
    const name = 'autocannon';
    autocannon = ((await import(name)) as { default: Autocannon }).default;
  } catch {
    return { status: 'skipped', reason: 'autocannon is not installed (npm install -D autocannon)' };
  }
  const results: RestPathResult[] = [];
  for (const path of paths) {
    const r = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds, pipelining: 1 });
    results.push({
      path,
      requestsPerSec: r.requests.average,
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    });
  }
  return { status: 'ran', paths: results };
}
