/**
 * Error codes of the REST API (PROTOCOL.md §14): the JSON `error.code` of a refused request, with the HTTP
 * status it is sent with and when. Keys are the wire codes; PROTOCOL.md lists exactly these (a test keeps the
 * two in step). Defined here, with the feed's codes, because the server answers them and the SDK reads them.
 */
export const REST_ERROR_CODES = {
  AUTH_REQUIRED: { status: 401, meaning: 'the server has an auth secret and the request carries no token' },
  TOKEN_EXPIRED: { status: 401, meaning: 'the token is past its `exp`' },
  TOKEN_INVALID: {
    status: 401,
    meaning: 'the token is malformed, badly signed (forged) or has bad claims (PROTOCOL.md §15)',
  },
  UNKNOWN_SYMBOL: { status: 404, meaning: 'the symbol in the path is not an instrument of this server' },
  BAD_DEPTH: { status: 400, meaning: '`depth` is not 10, 50 or full' },
  BAD_INTERVAL: { status: 400, meaning: '`interval` is missing or not one of 1s, 1m, 5m, 15m, 1h, 1d' },
  BAD_LIMIT: { status: 400, meaning: "`limit` is not an integer from 1 to the endpoint's maximum" },
  BAD_TIME: {
    status: 400,
    meaning:
      '`from` or `to` is neither µs since the epoch nor an ISO-8601 time with a zone, or `from` > `to`',
  },
  NOT_FOUND: { status: 404, meaning: 'no endpoint has this path' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'the method is not GET or HEAD' },
  INTERNAL: { status: 500, meaning: 'the server failed to answer (the cause goes to its error log)' },
} as const satisfies Record<string, { readonly status: number; readonly meaning: string }>;

/** A REST error code, e.g. `'UNKNOWN_SYMBOL'`. */
export type RestErrorCode = keyof typeof REST_ERROR_CODES;
