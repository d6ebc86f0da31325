/**
 * WebSocket close codes of the feed (PROTOCOL.md §9), by name. `code` is the numeric close code sent in the
 * close frame; `meaning` is when the server sends it. 1000–1013 are RFC 6455 §7.4.1 codes, 4000–4999 are
 * Tickwire's own (the range RFC 6455 reserves for applications).
 */
export const CLOSE_CODES = {
  NORMAL: { code: 1000, meaning: 'normal closure' },
  GOING_AWAY: { code: 1001, meaning: 'the server is shutting down' },
  PROTOCOL_ERROR: { code: 1002, meaning: 'protocol error in a WebSocket frame' },
  UNSUPPORTED_DATA: {
    code: 1003,
    meaning: 'a text frame on `tickwire.v1`, or a binary frame on `tickwire.v1.json`',
  },
  INVALID_UTF8: { code: 1007, meaning: 'a text frame (or a close reason) that is not valid UTF-8' },
  POLICY_VIOLATION: {
    code: 1008,
    meaning:
      'policy violation; not sent by the server, which refuses an Origin with HTTP 403 at the handshake (§1)',
  },
  MESSAGE_TOO_BIG: { code: 1009, meaning: 'client frame larger than 4096 bytes' },
  INTERNAL_ERROR: { code: 1011, meaning: 'internal server error' },
  TRY_AGAIN_LATER: { code: 1013, meaning: 'too many connections from this address' },
  UNDECODABLE: { code: 4000, meaning: 'a frame that does not decode (not MessagePack / not JSON)' },
  AUTH_REQUIRED: { code: 4001, meaning: 'authentication required and no token given' },
  TOKEN_EXPIRED: { code: 4002, meaning: 'token expired' },
  TOKEN_INVALID: { code: 4003, meaning: 'token invalid (bad signature or format)' },
  SLOW_CONSUMER: { code: 4008, meaning: 'slow consumer' },
  RATE_LIMIT_CLOSE: { code: 4029, meaning: 'request rate limit exceeded repeatedly' },
} as const satisfies Record<string, { readonly code: number; readonly meaning: string }>;

/** Name of a feed close code, e.g. `'SLOW_CONSUMER'`. */
export type CloseCodeName = keyof typeof CLOSE_CODES;

/** A numeric close code of the feed, e.g. `4008`. */
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName]['code'];
