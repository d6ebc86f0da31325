import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Candle, CandleInterval, Instrument } from '../../../matching/src/index.ts';
import type { RestInstruments } from '../protocol/index.ts';
import type { MarketQuery } from '../server/market-query.ts';
import type { RecordingStatus } from '../server/recording-status.ts';
import { type RequestAuth, sendAuthRefusal } from './rest-auth.ts';
import { RestError, type RestErrorBody, type RestErrorCode, restError } from './rest-error.ts';
import {
  bookJson,
  candlesJson,
  instrumentJson,
  type RestHealth,
  recordingHealthJson,
  tickerJson,
  tradesJson,
} from './rest-json.ts';
import { parseDepth, parseInterval, parseLimit, parseTimeUs } from './rest-params.ts';

/**
 * A request handler for `node:http`: answers the requests it owns and returns true, leaves every other request
 * untouched and returns false, so several handlers can be tried in turn.
 */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Defaults and maxima of the `limit` parameters (PROTOCOL.md §14). */
export const REST_LIMITS = {
  /** `GET /api/v1/trades/:symbol` without `limit` */
  tradesDefault: 100,
  /** largest `limit` of trades: the trade store keeps the last 1000 */
  tradesMax: 1000,
  /** `GET /api/v1/candles/:symbol` without `limit` */
  candlesDefault: 500,
  /** largest `limit` of candles */
  candlesMax: 1000,
} as const;

/** Options of `createRestHandler`. */
export interface RestHandlerOptions {
  /** a monotonic clock in milliseconds, for `/healthz`'s `uptimeMs` (default `performance.now`) */
  readonly clockMs?: () => number;
  /**
   * Receives what a `MarketQuery` call threw; the client gets 500 `INTERNAL` and the server stays up.
   * Default: `console.error`.
   */
  readonly onError?: (error: unknown) => void;
  /** Told the code of every error response, e.g. to count them in `FeedMetrics.restError`. */
  readonly onErrorResponse?: (code: RestErrorCode) => void;
  /** the session recording, shown in `/healthz` (absent or undefined: not recording) */
  readonly recording?: () => RecordingStatus | undefined;
  /**
   * The token check (`requestAuth`) of a server with an auth secret: every path under `/api/` then needs a
   * valid token (PROTOCOL.md §15) and is refused with 401 before anything else is checked. `/healthz` stays
   * open. Default: no check.
   */
  readonly auth?: RequestAuth;
}

/** The methods the API answers (RFC 9110 §15.5.6: a 405 names them in `Allow`). */
const ALLOW = 'GET, HEAD';
/** How long a browser may cache a preflight's answer, in seconds (Chromium caps it at 7200). */
const PREFLIGHT_MAX_AGE_S = 600;
/** Asks a `MarketQuery` for every candle it keeps, when the window is chosen by `from` / `to` here. */
const ALL_STORED = Number.MAX_SAFE_INTEGER;

/** Answers one endpoint's body from the query parameters; throws `RestError` on a refused request. */
type Endpoint = (params: URLSearchParams) => unknown;

/**
 * The REST API of PROTOCOL.md §14 over `query`: `/api/v1/instruments`, `/api/v1/ticker/:symbol`,
 * `/api/v1/book/:symbol`, `/api/v1/trades/:symbol`, `/api/v1/candles/:symbol` and `/healthz`. Paths under
 * `/api/` that match no endpoint are answered 404 `NOT_FOUND`; other paths are not handled (false).
 *
 * Checks run in a fixed order, and the first failure is the answer: the token when `options.auth` is given
 * (401 `AUTH_REQUIRED`, `TOKEN_EXPIRED`, `TOKEN_INVALID`, with `WWW-Authenticate`), the path (`NOT_FOUND`),
 * the method (`METHOD_NOT_ALLOWED`), the symbol (`UNKNOWN_SYMBOL`), then each query parameter in the order §14
 * lists them. Unknown query parameters are ignored. A CORS preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) of a path under `/api/` is answered 204 without a token, as browsers send
 * preflights without credentials (Fetch standard, CORS-preflight fetch).
 *
 * @example
 * const rest = createRestHandler(query);
 * http.createServer((req, res) => {
 *   if (!rest(req, res)) res.writeHead(404).end();
 * });
 */
export function createRestHandler(query: MarketQuery, options: RestHandlerOptions = {}): HttpHandler {
  const clockMs = options.clockMs ?? (() => performance.now());
  const startedMs = clockMs();
  const onError =
    options.onError ?? ((error: unknown) => console.error('tickwire REST: a MarketQuery call failed', error));

  const instrument = (symbol: string): Instrument => {
    const found = query.instruments().find((i) => i.symbol === symbol);
    if (found === undefined) throw unknownSymbol(symbol);
    return found;
  };

  const health = (): RestHealth => {
    const recording = options.recording?.();
    return {
      status: 'ok',
      session: query.session,
      mode: query.mode,
      uptimeMs: Math.max(0, Math.floor(clockMs() - startedMs)),
      nowUs: query.nowUs(),
      ...(recording === undefined
        ? {}
        : { recording: recordingHealthJson(recording, options.auth === undefined) }),
    };
  };

  const instruments = (): RestInstruments => ({ instruments: query.instruments().map(instrumentJson) });

  const perSymbol: Readonly<Record<string, (symbol: string, params: URLSearchParams) => unknown>> = {
    ticker(symbol) {
      const i = instrument(symbol);
      return tickerJson(i, found(query.ticker(symbol), symbol));
    },
    book(symbol, params) {
      const i = instrument(symbol);
      const depth = parseDepth(params);
      return bookJson(i, depth, found(query.book(symbol, depth), symbol));
    },
    trades(symbol, params) {
      const i = instrument(symbol);
      const limit = parseLimit(params, REST_LIMITS.tradesDefault, REST_LIMITS.tradesMax);
      return tradesJson(i, found(query.trades(symbol, limit), symbol));
    },
    candles(symbol, params) {
      const i = instrument(symbol);
      const interval = parseInterval(params);
      const fromUs = parseTimeUs(params, 'from');
      const toUs = parseTimeUs(params, 'to');
      if (fromUs !== null && toUs !== null && fromUs > toUs) {
        throw restError('BAD_TIME', `from (${fromUs} µs) is after to (${toUs} µs)`);
      }
      const limit = parseLimit(params, REST_LIMITS.candlesDefault, REST_LIMITS.candlesMax);
      return candlesJson(i, interval, candleWindow(query, symbol, interval, fromUs, toUs, limit));
    },
  };

  /** The endpoint of `path`, or null when no endpoint has this path. */
  const route = (path: string): Endpoint | null => {
    if (path === '/healthz') return health;
    if (path === '/api/v1/instruments') return instruments;
    const parts = path.split('/'); // ['', 'api', 'v1', kind, symbol]
    const kind = parts[3];
    const segment = parts[4];
    if (parts.length !== 5 || parts[2] !== 'v1' || kind === undefined || segment === undefined) return null;
    if (segment === '' || !Object.hasOwn(perSymbol, kind)) return null;
    const answer = perSymbol[kind];
    if (answer === undefined) return null;
    return (params) => answer(decodeSymbol(segment), params);
  };

  return (req, res) => {
    const target = splitTarget(req.url);
    if (target === null) return false;
    const { path, params } = target;
    if (path !== '/healthz' && !path.startsWith('/api/')) return false;
    if (path !== '/healthz' && isPreflight(req)) {
      sendPreflight(res);
      return true;
    }
    if (path !== '/healthz' && options.auth !== undefined) {
      const verdict = options.auth(req);
      if (!verdict.ok) {
        options.onErrorResponse?.(verdict.refusal.error.code);
        sendAuthRefusal(req, res, verdict.refusal);
        return true;
      }
    }
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    let status = 200;
    let body: unknown;
    try {
      const endpoint = route(path);
      if (endpoint === null) throw restError('NOT_FOUND', `no endpoint at ${path}`);
      if (!readOnly) throw restError('METHOD_NOT_ALLOWED', `${req.method} is not allowed; use GET or HEAD`);
      body = endpoint(params);
    } catch (error) {
      const refused =
        error instanceof RestError
          ? error
          : restError('INTERNAL', 'internal error; see the server log', error);
      if (refused.code === 'INTERNAL') onError(error);
      options.onErrorResponse?.(refused.code);
      status = refused.status;
      body = { error: { code: refused.code, message: refused.message } } satisfies RestErrorBody;
    }
    sendJson(req, res, status, body, readOnly);
    return true;
  };
}

/**
 * The candles of the window: with `fromUs`, the first `limit` bars starting at or after it; without, the last
 * `limit` bars; either way only bars starting before `toUs` when it is given. Oldest first.
 */
function candleWindow(
  query: MarketQuery,
  symbol: string,
  interval: CandleInterval,
  fromUs: number | null,
  toUs: number | null,
  limit: number,
): readonly Candle[] {
  if (fromUs === null && toUs === null) return found(query.candles(symbol, interval, limit), symbol);
  const inWindow = found(query.candles(symbol, interval, ALL_STORED), symbol).filter(
    (c) => (fromUs === null || c.startUs >= fromUs) && (toUs === null || c.startUs < toUs),
  );
  return fromUs === null ? inWindow.slice(-limit) : inWindow.slice(0, limit);
}

function unknownSymbol(symbol: string): RestError {
  return restError('UNKNOWN_SYMBOL', `${JSON.stringify(symbol)} is not an instrument of this server`);
}

/** A `MarketQuery` answer; `undefined` means the symbol is unknown (the query's contract). */
function found<T>(value: T | undefined, symbol: string): T {
  if (value === undefined) throw unknownSymbol(symbol);
  return value;
}

/** The symbol of a path segment: percent-decoded (RFC 3986 §2.3: `%2D` is `-`); undecodable is unknown. */
function decodeSymbol(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    throw restError('UNKNOWN_SYMBOL', `the symbol segment "${segment}" is not valid percent-encoding`, cause);
  }
}

/**
 * Path and query of a request target. Origin-form (`/api/v1/...?x=1`) is split by hand, not given to `URL`,
 * which would read `//host/...` as an authority; absolute-form (RFC 9112 §3.2.2, sent to proxies) goes
 * through `URL`. Null for anything else (`*`, garbage): not a target this handler owns.
 */
function splitTarget(target: string | undefined): { path: string; params: URLSearchParams } | null {
  if (target === undefined) return null;
  if (target.startsWith('/')) {
    const q = target.indexOf('?');
    return q === -1
      ? { path: target, params: new URLSearchParams() }
      : { path: target.slice(0, q), params: new URLSearchParams(target.slice(q + 1)) };
  }
  if (!URL.canParse(target)) return null;
  const url = new URL(target);
  return { path: url.pathname, params: url.searchParams };
}

/** A CORS preflight request (Fetch standard): `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
function isPreflight(req: IncomingMessage): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.origin !== undefined &&
    req.headers['access-control-request-method'] !== undefined
  );
}

/**
 * Lets a page of any origin send GET/HEAD with an `Authorization` header (which is not CORS-safelisted, so the
 * browser asks first). `Allow-Headers: *` would not cover `Authorization`; it must be named. `*` as the origin
 * is fine with a bearer token: it only rules out cookies and HTTP authentication (credentials mode "include").
 */
function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': ALLOW,
    'access-control-allow-headers': 'Authorization',
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
  });
  res.end();
}

function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  readOnly: boolean,
): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  // Public market data: any web page may read it (and its errors). Not on 405, which no browser GET causes.
  if (readOnly) res.setHeader('access-control-allow-origin', '*');
  if (status === 405) res.setHeader('allow', ALLOW);
  res.end(req.method === 'HEAD' ? undefined : json);
}
