import { describe, expect, test } from 'vitest';
import {
  buildFrame,
  buildJsonFrame,
  decodeFrame,
  decodeFrameJson,
  decodeMessage,
  encodeMessage,
  encodeMessageJson,
  ProtocolError,
  type ServerMessage,
} from '../../src/protocol/index.ts';
import { SAMPLES } from './sample-messages.ts';

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const entries = Object.entries(SAMPLES) as [string, ServerMessage][];

describe('round trips of every server message type', () => {
  test.each(entries)('%s (msgpack)', (_name, message) => {
    expect(decodeFrame(buildFrame([encodeMessage(message)]))).toEqual([message]);
  });

  test.each(entries)('%s (json)', (_name, message) => {
    expect(decodeFrameJson(buildJsonFrame([encodeMessageJson(message)]))).toEqual([message]);
  });

  test.each(entries)('%s (one message, decodeMessage)', (_name, message) => {
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
  });

  test('decodeMessage refuses what is not one server message', () => {
    expect(() => decodeMessage(fromHex('92c0c0'))).toThrow(expect.objectContaining({ code: 'BAD_FRAME' }));
    expect(() => decodeMessage(fromHex('9107c0'))).toThrow(expect.objectContaining({ code: 'UNDECODABLE' }));
  });

  test('int64 values come back as numbers', () => {
    const [pong] = decodeFrame(buildFrame([encodeMessage(SAMPLES.pong as ServerMessage)]));
    expect(typeof pong?.[2]).toBe('number');
  });
});

describe('bad server frames', () => {
  test.each([
    ['not msgpack', 'c1', 'UNDECODABLE'],
    ['extension type', '91d40000', 'UNDECODABLE'],
    ['not an array', '80', 'BAD_FRAME'],
    ['empty array', '90', 'BAD_FRAME'],
    ['message not an array', '9107', 'BAD_FRAME'],
    ['unknown type 8', '91920801', 'BAD_FRAME'],
    ['pong too short', '91920701', 'BAD_FRAME'],
    ['int64 beyond 2^53', '9193070bcf0020000000000001', 'BAD_FRAME'],
  ])('msgpack %s → %s', (_name, h, code) => {
    expect(() => decodeFrame(fromHex(h))).toThrow(expect.objectContaining({ code }));
    expect(() => decodeFrame(fromHex(h))).toThrow(ProtocolError);
  });

  test.each([
    ['not JSON', '[[7,', 'UNDECODABLE'],
    ['object', '{}', 'BAD_FRAME'],
    ['type as string', '[["7",1,2]]', 'BAD_FRAME'],
  ])('json %s → %s', (_name, text, code) => {
    expect(() => decodeFrameJson(text)).toThrow(expect.objectContaining({ code }));
  });
});
