import {
  type BookDepth,
  type CandleInterval,
  type InstrumentInfo,
  REST_ERROR_CODES,
  type RestErrorCode,
} from '../protocol/index.ts';
import { FeedClientError } from './feed-client-error.ts';
import type { BookSnapshot, DecimalCandle, Ticker, Trade } from './market-data.ts';
import { readBook, readCandles, readInstruments, readTicker, readTrades } from './rest-answers.ts';
import { restBaseUrl } from './rest-base-url.ts';

/** The part of a `fetch` answer `FeedRest` reads (the global `Response` is one). */
export interface FetchResponseLike {
  /** the HTTP status */
  readonly status: number;
  /** the body as text */
  text(): Promise<string>;
}

/** A `fetch` as `FeedRest` calls it: the global `fetch` of browsers and Node 20 is one. */
export type FetchLike = (
  url: string,
  init: { readonly headers: Readonly<Record<string, string>>; readonly signal?: AbortSignal },
) => Promise<FetchResponseLike>;

/** Options of `FeedRest`. */
export interface FeedRestOptions {
  /**
   * where the REST API is: its base (`http://localhost:8080`), or the feed's WebSocket URL, from which it is
   * derived (`wss://host/v1/ws` → `https://host`; see `restBaseUrl`)
   */
  readonly url: string;
  /** an auth token (PROTOCOL.md §15), sent as `Authorization: Bearer TOKEN` */
  readonly token?: string;
  /** the `fetch` to use; default `globalThis.fetch` */
  readonly fetch?: FetchLike;
}

/** Options every REST call takes. */
export interface RestCallOptions {
  /** aborting it abandons the request: the call rejects with `ABORTED` */
  readonly signal?: AbortSignal;
}

/** Which trades `FeedRest.trades()` returns. */
export interface TradesQuery extends RestCallOptions {
  /** the latest `limit` trades, 1–1000 (default 100) */
  readonly limit?: number;
}

/**
 * Which bars `FeedRest.candles()` returns: those starting in `[fromUs, toUs)`; with `fromUs` the first `limit`
 * of them (page forward with `fromUs` = last `startUs` + 1), without it the last `limit`.
 */
export interface CandlesQuery extends RestCallOptions {
  /** µs since the Unix epoch (not ms: `Date.parse(…) * 1000`) */
  readonly fromUs?: number;
  /** µs since the Unix epoch, exclusive */
  readonly toUs?: number;
  /** 1–1000 (default 500); the server keeps the last 1000 closed bars per interval */
  readonly limit?: number;
}

const API = '/api/v1';

/**
 * The REST API of a Tickwire server (PROTOCOL.md §14), for history and one-off state: the same types the
 * stream's events carry (`Trade`, `Ticker`, `DecimalCandle`, `BookState`, `InstrumentInfo`), with the same
 * exact decimal strings and `'buy'` / `'sell'` sides. `FeedClient.rest` is one for the client's server and
 * token; make one yourself for REST alone. Uses the global `fetch` (browsers, Node ≥ 18).
 *
 * Errors are `FeedClientError`s: `REST_REFUSED` when the server refused the request (`restCode`:
 * `UNKNOWN_SYMBOL`, `BAD_INTERVAL`, `BAD_LIMIT`, `BAD_TIME`, `BAD_DEPTH`, `AUTH_REQUIRED`, `TOKEN_EXPIRED`,
 * `TOKEN_INVALID`…; `httpStatus`), `REST_UNREACHABLE` when no answer came, `REST_BAD_ANSWER` for an answer of
 * another shape, `ABORTED` when the call's signal was aborted.
 *
 * @example
 * ```ts
 * import { FeedRest } from 'tickwire/client';
 *
 * const rest = new FeedRest({ url: 'http://localhost:8080' });
 * const bars = await rest.candles('BTC-USD', '1m', { limit: 60 });
 * for (const b of bars) console.log(new Date(b.startUs / 1000), b.openDecimal, b.closeDecimal, b.volumeDecimal);
 * ```
 */
export class FeedRest {
  /** the REST API's base URL, e.g. `http://localhost:8080` */
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: FetchLike | undefined;

  constructor(options: FeedRestOptions) {
    this.baseUrl = restBaseUrl(options.url);
    this.#token = options.token;
    this.#fetch = options.fetch;
  }

  /**
   * The server's instruments, in configuration order (`GET /api/v1/instruments`): as `FeedClient.instruments()`
   * lists them.
   *
   * @example
   * ```ts
   * const symbols = (await rest.instruments()).map((i) => i.symbol);
   * ```
   */
  async instruments(options: RestCallOptions = {}): Promise<InstrumentInfo[]> {
    return readInstruments(await this.get('/instruments', {}, options.signal));
  }

  /**
   * The ticker of `symbol` now (`GET /api/v1/ticker/:symbol`).
   *
   * @example
   * ```ts
   * const t = await rest.ticker('BTC-USD');
   * console.log(t.bidDecimal, t.askDecimal, t.lastDecimal);
   * ```
   */
  async ticker(symbol: string, options: RestCallOptions = {}): Promise<Ticker> {
    return readTicker(await this.get(`/ticker/${encodeURIComponent(symbol)}`, {}, options.signal), symbol);
  }

  /**
   * The order book of `symbol` at `depth` (10, 50 or `'full'`; `GET /api/v1/book/:symbol`), its checksum
   * verified; `seq` says from which `book:SYMBOL:DEPTH` update on the feed continues it.
   *
   * @example
   * ```ts
   * const { book } = await rest.book('BTC-USD', 50);
   * console.log(book.bidsDecimal[0], book.asksDecimal[0]); // ["65001.00", "0.00150", 1] …
   * ```
   */
  async book(symbol: string, depth: BookDepth = 10, options: RestCallOptions = {}): Promise<BookSnapshot> {
    const body = await this.get(
      `/book/${encodeURIComponent(symbol)}`,
      { depth: String(depth) },
      options.signal,
    );
    return readBook(body, symbol, depth);
  }

  /**
   * The latest trades of `symbol`, oldest first (`GET /api/v1/trades/:symbol`; the server keeps 1000).
   *
   * @example
   * ```ts
   * for (const t of await rest.trades('BTC-USD', { limit: 20 })) console.log(t.side, t.qtyDecimal, '@', t.priceDecimal);
   * ```
   */
  async trades(symbol: string, query: TradesQuery = {}): Promise<Trade[]> {
    const params: Record<string, string> = {};
    if (query.limit !== undefined) params.limit = String(query.limit);
    return readTrades(await this.get(`/trades/${encodeURIComponent(symbol)}`, params, query.signal), symbol);
  }

  /**
   * Bars of `symbol` at `interval`, oldest first (`GET /api/v1/candles/:symbol`): the newest `limit` (default
   * 500), or those starting in `[fromUs, toUs)`. The last one may be the forming bar (`closed` false).
   *
   * @example
   * ```ts
   * const hourAgoUs = (Date.now() - 3_600_000) * 1000;
   * const bars = await rest.candles('BTC-USD', '1m', { fromUs: hourAgoUs });
   * ```
   */
  async candles(
    symbol: string,
    interval: CandleInterval,
    query: CandlesQuery = {},
  ): Promise<DecimalCandle[]> {
    const params: Record<string, string> = { interval };
    if (query.fromUs !== undefined) params.from = String(query.fromUs);
    if (query.toUs !== undefined) params.to = String(query.toUs);
    if (query.limit !== undefined) params.limit = String(query.limit);
    const body = await this.get(`/candles/${encodeURIComponent(symbol)}`, params, query.signal);
    return readCandles(body, symbol, interval);
  }

  /** GETs `API + path` and returns its JSON body; a refusal, no answer, or a non-JSON answer throws. */
  private async get(
    path: string,
    params: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const query = new URLSearchParams(params).toString();
    const url = `${this.baseUrl}${API}${path}${query === '' ? '' : `?${query}`}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    let status: number;
    let raw: string;
    try {
      const res = await this.fetchImpl()(url, signal === undefined ? { headers } : { headers, signal });
      status = res.status;
      raw = await res.text();
    } catch (cause) {
      if (cause instanceof FeedClientError) throw cause;
      if (signal?.aborted === true) {
        throw new FeedClientError('ABORTED', `GET ${url} was aborted by its signal`, { cause });
      }
      throw new FeedClientError('REST_UNREACHABLE', `GET ${url}: no answer (${String(cause)})`, { cause });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (cause) {
      throw new FeedClientError('REST_BAD_ANSWER', `GET ${url}: ${status}, and the body is not JSON`, {
        cause,
        httpStatus: status,
      });
    }
    if (status === 200) return body;
    const code = errorCode(body);
    if (code === null) {
      throw new FeedClientError('REST_BAD_ANSWER', `GET ${url}: ${status} without a §14 error body`, {
        httpStatus: status,
      });
    }
    const message = (body as { error: { message?: unknown } }).error.message;
    throw new FeedClientError('REST_REFUSED', `GET ${url}: ${status} ${code}: ${String(message)}`, {
      restCode: code,
      httpStatus: status,
    });
  }

  private fetchImpl(): FetchLike {
    const own = this.#fetch;
    if (own !== undefined) return own;
    const global = (globalThis as { fetch?: FetchLike }).fetch;
    if (global === undefined) {
      throw new FeedClientError('BAD_OPTION', 'no fetch implementation: pass options.fetch');
    }
    // Called on globalThis: a browser's fetch throws "Illegal invocation" when detached from it.
    return (url, init) => global.call(globalThis, url, init);
  }
}

/** The §14 code of an error body `{"error": {"code": …}}`, or null when the body is not one. */
function errorCode(body: unknown): RestErrorCode | null {
  const error = (body as { error?: unknown } | null)?.error;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(REST_ERROR_CODES, code) ? (code as RestErrorCode) : null;
}
