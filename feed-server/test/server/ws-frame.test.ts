import { constants, inflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  deflateMessage,
  OPCODE_BINARY,
  OPCODE_TEXT,
  SHARED_DEFLATE,
  wsFrame,
} from '../../src/server/ws-frame.ts';

describe('wsFrame (RFC 6455 §5.2)', () => {
  test.each([
    [0, '8200'],
    [125, '827d'],
    [126, '827e007e'],
    [65535, '827effff'],
    [65536, '827f0000000000010000'],
  ])('a binary frame of %i bytes has header %s', (n, header) => {
    const frame = wsFrame(new Uint8Array(n).fill(7), OPCODE_BINARY, false);
    expect(frame.subarray(0, header.length / 2).toString('hex')).toBe(header);
    expect(frame.length).toBe(header.length / 2 + n);
    if (n > 0) expect(frame.at(-1)).toBe(7);
  });

  test('RSV1 marks a compressed message (RFC 7692 §6); text frames have opcode 1', () => {
    expect(wsFrame(new Uint8Array(3), OPCODE_BINARY, true)[0]).toBe(0xc2);
    expect(wsFrame(new Uint8Array(3), OPCODE_TEXT, false)[0]).toBe(0x81);
  });
});

describe('deflateMessage (RFC 7692 §7.2.1)', () => {
  test('inflates back once the receiver appends 00 00 ff ff, with a window of 2^windowBits', () => {
    const payload = Buffer.from(
      JSON.stringify(Array.from({ length: 300 }, (_, i) => [4, 2, i, 1_767_225_600_000_000 + i])),
    );
    const compressed = deflateMessage(payload);
    expect(compressed.length).toBeLessThan(payload.length / 3);
    expect(compressed.subarray(-4).toString('hex')).not.toBe('0000ffff');
    const restored = inflateRawSync(Buffer.concat([compressed, Buffer.from([0, 0, 0xff, 0xff])]), {
      windowBits: SHARED_DEFLATE.windowBits,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    expect(restored.equals(payload)).toBe(true);
  });

  test('each message stands alone: no context carried from the previous one', () => {
    const a = Buffer.from('the same text, twice over: the same text');
    expect(deflateMessage(a).equals(deflateMessage(a))).toBe(true);
  });
});
