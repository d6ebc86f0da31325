import { constants, deflateRawSync } from 'node:zlib';

/** One permessage-deflate configuration (RFC 7692) as ws passes it to zlib. */
export interface DeflateSettings {
  /** short label for the report, e.g. `L1 w10 m3` */
  readonly label: string;
  /** zlib level: 1 fastest, 6 zlib's default (`Z_DEFAULT_COMPRESSION`, which ws uses unless told) */
  readonly level: number;
  /** LZ77 window, 2^windowBits bytes (`serverMaxWindowBits`); 9..15 */
  readonly windowBits: number;
  /** zlib's hash memory, 1..9 (ws default 8) */
  readonly memLevel: number;
}

/** All eight combinations of level {1, 6}, windowBits {15, 10}, memLevel {8, 3}; ws's default first. */
export const DEFLATE_SETTINGS: readonly DeflateSettings[] = [6, 1].flatMap((level) =>
  [15, 10].flatMap((windowBits) =>
    [8, 3].map((memLevel) => ({
      label: `L${level} w${windowBits} m${memLevel}`,
      level,
      windowBits,
      memLevel,
    })),
  ),
);

/** The empty stored block a sync flush ends with; RFC 7692 §7.2.1 has the sender drop it. */
const SYNC_TAIL = [0x00, 0x00, 0xff, 0xff];

/**
 * The payload permessage-deflate sends for one frame with no context takeover: a fresh raw deflate stream,
 * sync-flushed, minus the 4-byte `00 00 ff ff` tail — byte for byte what ws's `PerMessageDeflate.compress`
 * produces when `server_no_context_takeover` is negotiated (it resets its zlib stream after each message).
 */
export function deflateFrame(frame: Uint8Array, s: DeflateSettings): Uint8Array {
  const out = deflateRawSync(frame, {
    level: s.level,
    windowBits: s.windowBits,
    memLevel: s.memLevel,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const n = out.length;
  for (let i = 0; i < 4; i++) {
    if (out[n - 4 + i] !== SYNC_TAIL[i]) throw new Error('sync flush did not end with 00 00 ff ff');
  }
  return out.subarray(0, n - 4);
}
