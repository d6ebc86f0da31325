import type { RequestErrorCode, RestErrorCode } from '../protocol/index.ts';

/**
 * Stable codes of `FeedClientError`, the one error class of the SDK. Keys are the codes; values say when each
 * is raised. Refusals by the server keep the server's own code (§10) in `serverCode`.
 */
export const FEED_CLIENT_ERROR_CODES = {
  REFUSED:
    'the server refused a channel or a request with an `error` message; `serverCode` holds its §10 code',
  CLOSED: 'the client was closed before the answer or the data arrived',
  FATAL_CLOSE:
    'the server closed the connection with a code that stops reconnecting (1008, 4001, 4002, 4003)',
  DISCONNECTED: 'the connection closed and reconnecting is turned off',
  UNANSWERED:
    'the connection closed before the server answered a replay request (it may have been carried out)',
  SLOW_CONSUMER: 'a stream fell more than `maxQueue` events behind its producer',
  BAD_OPTION: 'a `FeedClient` option is invalid, or no WebSocket implementation was given or found',
  CONNECT_TIMEOUT:
    'the first connection did not go live within `firstConnectTimeoutMs` (default 30 s): the client is closed',
  ABORTED: "the client's `signal` was aborted (the client is closed), or a REST call's `signal`",
  REST_REFUSED:
    'the REST API refused a request (unknown symbol, bad interval or limit, missing or bad token…); `restCode` holds its §14 code and `httpStatus` the status',
  REST_UNREACHABLE: 'a REST request got no answer: the server cannot be reached (the `cause` says why)',
  REST_BAD_ANSWER:
    'a REST answer is not what §14 documents (not JSON, another shape, a book whose checksum does not match)',
} as const;

/** A stable code of `FeedClientError`. */
export type FeedClientErrorCode = keyof typeof FEED_CLIENT_ERROR_CODES;

/** One channel the server refused (or the client refused by the same §4 rules before sending it). */
export interface Refusal {
  /** the channel name as the caller gave it */
  readonly channel: string;
  /** the §10 error code, e.g. `UNKNOWN_SYMBOL` */
  readonly code: RequestErrorCode;
  /** the server's (or the channel parser's) message */
  readonly message: string;
}

/** Details of a `FeedClientError`. */
export interface FeedClientErrorDetails {
  readonly refusals?: readonly Refusal[];
  /** the server's §10 code of a refused request (default: the first refusal's) */
  readonly serverCode?: RequestErrorCode;
  /** WebSocket close code, for `FATAL_CLOSE` and `DISCONNECTED` */
  readonly closeCode?: number;
  /** the REST API's §14 error code, for `REST_REFUSED` */
  readonly restCode?: RestErrorCode;
  /** the HTTP status of the REST answer, for `REST_REFUSED` and `REST_BAD_ANSWER` */
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

/**
 * The SDK's error: `code` is stable (see `FEED_CLIENT_ERROR_CODES`). A refused subscription carries the
 * server's §10 code in `serverCode` and every refused channel in `refusals`; a fatal close carries the close
 * code; a refused REST request carries the §14 code in `restCode` and the HTTP status in `httpStatus`.
 *
 * @example
 * ```ts
 * try {
 *   await client.subscribe(['trades:BTC-USD', 'trades:NOPE']);
 * } catch (e) {
 *   if (e instanceof FeedClientError && e.serverCode === 'UNKNOWN_SYMBOL') console.error(e.refusals);
 * }
 * ```
 */
export class FeedClientError extends Error {
  override readonly name = 'FeedClientError';
  readonly code: FeedClientErrorCode;
  /**
   * the server's §10 code, for `REFUSED`: of the refused request (a replay request refused with `NOT_REPLAY`
   * or `BAD_REQUEST`), or of the first refused channel; else null
   */
  readonly serverCode: RequestErrorCode | null;
  /** every refused channel, for `REFUSED` (empty when a whole request was refused without a channel) */
  readonly refusals: readonly Refusal[];
  /** the WebSocket close code, for `FATAL_CLOSE` and `DISCONNECTED`; else null */
  readonly closeCode: number | null;
  /** the REST API's §14 error code (`UNKNOWN_SYMBOL`, `BAD_INTERVAL`, `AUTH_REQUIRED`…), for `REST_REFUSED`; else null */
  readonly restCode: RestErrorCode | null;
  /** the HTTP status of a REST answer, for `REST_REFUSED` and `REST_BAD_ANSWER` (when there was one); else null */
  readonly httpStatus: number | null;

  constructor(code: FeedClientErrorCode, message: string, details: FeedClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.refusals = details.refusals ?? [];
    this.serverCode = details.serverCode ?? this.refusals[0]?.code ?? null;
    this.closeCode = details.closeCode ?? null;
    this.restCode = details.restCode ?? null;
    this.httpStatus = details.httpStatus ?? null;
  }
}
