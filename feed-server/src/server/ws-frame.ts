import { constants, deflateRawSync } from 'node:zlib';

/** WebSocket opcodes of data frames (RFC 6455 §5.2). */
export const OPCODE_TEXT = 1;
export const OPCODE_BINARY = 2;

/**
 * The raw-deflate settings of shared compression: one compressed copy of a frame is written to every subscriber
 * who negotiated permessage-deflate, so the window must fit every such client. The server offers
 * `server_max_window_bits=10` with `server_no_context_takeover` (see gateway.ts), and ws refuses offers asking
 * for less, so 10 bits fits all. Level 1: batches measured with `npm run bench:feed` (bench/README.md) compress nearly
 * as well as at level 6 for a fraction of the CPU.
 */
export const SHARED_DEFLATE = {
  level: 1,
  windowBits: 10,
  memLevel: 8,
  finishFlush: constants.Z_SYNC_FLUSH,
} as const;

/**
 * Compresses one message payload for permessage-deflate with no context takeover (RFC 7692 §7.2.1): raw deflate,
 * flushed with Z_SYNC_FLUSH, the trailing `00 00 ff ff` removed.
 */
export function deflateMessage(payload: Uint8Array): Buffer {
  const out = deflateRawSync(payload, SHARED_DEFLATE);
  return out.subarray(0, out.length - 4);
}

/**
 * One complete, unmasked server→client WebSocket frame (RFC 6455 §5.2): FIN set, RSV1 set when `compressed`
 * (RFC 7692 §6), then the payload. Server frames carry no mask, so the same bytes can be written to every
 * subscriber's socket.
 */
export function wsFrame(payload: Uint8Array, opcode: number, compressed: boolean): Buffer {
  const n = payload.length;
  const headerBytes = n < 126 ? 2 : n <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + n);
  frame[0] = 0x80 | (compressed ? 0x40 : 0) | opcode;
  if (n < 126) {
    frame[1] = n;
  } else if (n <= 0xffff) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  frame.set(payload, headerBytes);
  return frame;
}
