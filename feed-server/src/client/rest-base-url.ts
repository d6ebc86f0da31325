import { WS_PATH as FEED_PATH } from '../protocol/index.ts';
import { FeedClientError } from './feed-client-error.ts';

/**
 * The base URL of the REST API (PROTOCOL.md §14) that serves the same data as a feed: `ws:` becomes `http:`,
 * `wss:` `https:`, same host and port; a path before `/v1/ws` (a reverse proxy's prefix) is kept; the query
 * (a `token`) is dropped. An `http:` / `https:` URL is taken as the base itself. Ends without a slash.
 *
 * @example
 * ```ts
 * restBaseUrl('wss://feed.example.com/v1/ws'); // "https://feed.example.com"
 * restBaseUrl('ws://localhost:8080/tickwire/v1/ws'); // "http://localhost:8080/tickwire"
 * ```
 */
export function restBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new FeedClientError('BAD_OPTION', `${JSON.stringify(url)} is not a URL`, { cause });
  }
  let path = u.pathname;
  if (u.protocol === 'ws:' || u.protocol === 'wss:') {
    if (path.endsWith(FEED_PATH)) path = path.slice(0, -FEED_PATH.length);
    u.protocol = u.protocol === 'ws:' ? 'http:' : 'https:';
  } else if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FeedClientError('BAD_OPTION', `a REST URL must be http(s):// or ws(s)://, got ${u.protocol}//`);
  }
  return `${u.origin}${path.replace(/\/+$/, '')}`;
}
