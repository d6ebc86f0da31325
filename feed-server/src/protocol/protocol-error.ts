import { CLOSE_CODES, type CloseCode } from './close-codes.ts';

/**
 * Codes sent in `error` messages (PROTOCOL.md §10): the request is refused, the connection stays open.
 * Keys are the wire codes; values say when each is sent.
 */
export const REQUEST_ERROR_CODES = {
  BAD_REQUEST: 'the request is not an object of a known shape, or a field has the wrong type',
  UNKNOWN_OP: '`op` is not subscribe, unsubscribe, ping or replay',
  UNKNOWN_CHANNEL: 'the channel name is not one of §4',
  UNKNOWN_SYMBOL: 'the symbol is not an instrument of this server',
  BAD_DEPTH: 'book depth not 10, 50 or full',
  BAD_INTERVAL: 'candle interval or conflation interval not one of §4',
  TOO_MANY_CHANNELS: 'more than 50 channels in one request',
  TOO_MANY_SUBSCRIPTIONS: 'the connection would exceed its subscription limit',
  RATE_LIMITED: 'too many requests; retry later',
  NOT_REPLAY: 'a `replay` request, or the `replay` channel, on a live server',
  BAD_RESUME:
    'a `resume.seqs` key names no channel of the request, or the same channel as an earlier key (§5)',
} as const;

/** A wire error code of an `error` message (§10). */
export type RequestErrorCode = keyof typeof REQUEST_ERROR_CODES;

/**
 * Codes of frames that cannot be read at all. The server closes the connection with the close code in
 * `FRAME_ERROR_CLOSE`; on the client side they mean the server broke the protocol.
 */
export const FRAME_ERROR_CODES = {
  FRAME_TOO_LARGE: 'a client frame is larger than 4096 bytes',
  UNDECODABLE:
    'a frame is not MessagePack / not JSON, uses a MessagePack extension type, or has trailing bytes',
  BAD_FRAME: 'a server frame decodes but is not an array of known messages (client side)',
} as const;

/** A code of a frame that cannot be read. */
export type FrameErrorCode = keyof typeof FRAME_ERROR_CODES;

/** The close code to send for each frame error. */
export const FRAME_ERROR_CLOSE = {
  FRAME_TOO_LARGE: CLOSE_CODES.MESSAGE_TOO_BIG.code,
  UNDECODABLE: CLOSE_CODES.UNDECODABLE.code,
  BAD_FRAME: CLOSE_CODES.UNDECODABLE.code,
} as const satisfies Record<FrameErrorCode, CloseCode>;

/** Every stable code a `ProtocolError` can carry. */
export type ProtocolErrorCode = RequestErrorCode | FrameErrorCode;

/** Where a request error happened, so the `error` message can echo it. */
export interface ProtocolErrorContext {
  /** the request's `id` when it was read before the failure, else null */
  readonly requestId?: number | null;
  /** the channel name the failure concerns, else null */
  readonly channel?: string | null;
  readonly cause?: unknown;
}

/**
 * The one error class of `feed-server/src/protocol/`. `code` is stable; `closeCode` is the WebSocket close
 * code to send when the violation ends the connection, `null` when an `error` message is answered and the
 * connection stays open. Build it with `requestError` or `frameError`.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** stable code: a §10 wire code, or a frame error code */
  readonly code: ProtocolErrorCode;
  /** WebSocket close code to send, or null to answer with an `error` message and keep the connection */
  readonly closeCode: CloseCode | null;
  /** the request's `id` when known (echoed in the `error` message), else null */
  readonly requestId: number | null;
  /** the channel name concerned, else null */
  readonly channel: string | null;

  constructor(
    code: ProtocolErrorCode,
    message: string,
    closeCode: CloseCode | null,
    context: ProtocolErrorContext = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.closeCode = closeCode;
    this.requestId = context.requestId ?? null;
    this.channel = context.channel ?? null;
  }
}

/** A refused request (§10): answered with an `error` message, the connection stays open (`closeCode` null). */
export function requestError(
  code: RequestErrorCode,
  message: string,
  context?: ProtocolErrorContext,
): ProtocolError {
  return new ProtocolError(code, message, null, context);
}

/** An unreadable frame: the connection is closed with `FRAME_ERROR_CLOSE[code]`. */
export function frameError(code: FrameErrorCode, message: string, cause?: unknown): ProtocolError {
  return new ProtocolError(code, message, FRAME_ERROR_CLOSE[code], { cause });
}
