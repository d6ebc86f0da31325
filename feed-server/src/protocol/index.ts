/**
 * The Tickwire feed protocol v1 (feed-server/PROTOCOL.md): channel names, messages, codecs, close and error
 * codes, book checksum. No `node:*` imports: shared by the server, the SDK and the web client.
 */

export {
  bookChecksum,
  bookChecksumText,
  CHECKSUM_DEPTH,
  type ChecksumLevel,
  crc32,
  crc32Ascii,
} from './book-checksum.ts';
export {
  BOOK_DEPTHS,
  type BookDepth,
  CANDLE_INTERVAL_US,
  CANDLE_INTERVALS,
  CANDLE_INTERVALS_MS,
  type CandleInterval,
  type Channel,
  type ChannelKind,
  CONFLATE_MS,
  type ConflateMs,
  formatChannel,
  normalizeChannel,
  type ParseChannelOptions,
  parseChannel,
} from './channel-name.ts';
export { CLOSE_CODES, type CloseCode, type CloseCodeName } from './close-codes.ts';
export { decodeFrame, decodeFrameJson, decodeMessage } from './frame-decoder.ts';
export { buildFrame, buildJsonFrame, encodeMessage, encodeMessageJson } from './frame-encoder.ts';
export {
  DEFAULT_LIMITS,
  type Limits,
  MAX_CHANNELS_PER_REQUEST,
  MAX_CLIENT_FRAME_BYTES,
  type RequestLimits,
} from './limits.ts';
export * from './messages.ts';
export { PLAIN_MSGPACK_OPTIONS } from './msgpack-options.ts';
export {
  FRAME_ERROR_CLOSE,
  FRAME_ERROR_CODES,
  type FrameErrorCode,
  frameError,
  ProtocolError,
  type ProtocolErrorCode,
  type ProtocolErrorContext,
  REQUEST_ERROR_CODES,
  type RequestErrorCode,
  requestError,
} from './protocol-error.ts';
export { decodeRequest, MAX_REQUEST_ID, validateRequest } from './request-decoder.ts';
export { encodeRequest, encodeRequestJson } from './request-encoder.ts';
export type {
  ExactInteger,
  RestBook,
  RestBookLevel,
  RestCandle,
  RestCandles,
  RestErrorBody,
  RestInstrument,
  RestInstruments,
  RestScales,
  RestTicker,
  RestTrade,
  RestTrades,
} from './rest-bodies.ts';
export { REST_ERROR_CODES, type RestErrorCode } from './rest-error-codes.ts';
export { SUBPROTOCOLS, type Subprotocol } from './subprotocols.ts';
export { WS_PATH } from './ws-endpoint.ts';
