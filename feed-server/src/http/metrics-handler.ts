import { type RequestAuth, sendAuthRefusal } from './rest-auth.ts';
import type { HttpHandler } from './rest-handler.ts';

/** What `metricsHandler` serves: a `FeedMetrics`, or any prom-client `Registry`. */
export interface MetricsSource {
  /** the `Content-Type` of the text */
  readonly contentType: string;
  /** every metric in Prometheus text format */
  metrics(): Promise<string>;
}

/** Options of `metricsHandler`. */
export interface MetricsHandlerOptions {
  /** the path served (default `/metrics`) */
  readonly path?: string;
  /** receives a failed collection (answered 500); default `console.error` */
  readonly onError?: (error: unknown) => void;
  /**
   * The token check (`requestAuth`) of a server with an auth secret: a request without a valid token is
   * refused with 401 as REST refuses it (PROTOCOL.md §15). Default: no check.
   */
  readonly auth?: RequestAuth;
}

/**
 * `GET /metrics` (and HEAD) for `node:http`: the Prometheus text of `source`, `Cache-Control: no-store`.
 * Other methods on the path get 405 with `Allow: GET, HEAD`; other paths are not handled (false). With
 * `options.auth`, the token is checked first (401 with a JSON error and `WWW-Authenticate`).
 *
 * @example
 * const serveMetrics = metricsHandler(metrics);
 * http.createServer((req, res) => { serveMetrics(req, res) || res.writeHead(404).end(); });
 */
export function metricsHandler(source: MetricsSource, options: MetricsHandlerOptions = {}): HttpHandler {
  const path = options.path ?? '/metrics';
  const onError =
    options.onError ?? ((error: unknown) => console.error('tickwire /metrics: collection failed', error));
  return (req, res) => {
    const target = req.url ?? '';
    const query = target.indexOf('?');
    if ((query === -1 ? target : target.slice(0, query)) !== path) return false;
    if (options.auth !== undefined) {
      const verdict = options.auth(req);
      if (!verdict.ok) {
        sendAuthRefusal(req, res, verdict.refusal);
        return true;
      }
    }
    res.setHeader('cache-control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${req.method} is not allowed; use GET or HEAD\n`);
      return true;
    }
    source.metrics().then(
      (text) => {
        res.writeHead(200, {
          'content-type': source.contentType,
          'content-length': Buffer.byteLength(text),
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        onError(error);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('metrics collection failed; see the server log\n');
      },
    );
    return true;
  };
}
