import { Unpackr } from 'msgpackr';
import { describe, expect, test } from 'vitest';
import {
  buildFrame,
  buildJsonFrame,
  decodeFrame,
  encodeMessage,
  encodeMessageJson,
  type ServerMessage,
} from '../../src/protocol/index.ts';
import { SAMPLES, TS_US } from './sample-messages.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Golden bytes: written down once from the encoder, then frozen. A change here is a wire format change.
const GOLDEN: Readonly<Record<keyof typeof SAMPLES, string>> = {
  welcome:
    '920086a870726f746f636f6cab7469636b776972652e7631a6736572766572ae7469636b776972652f302e312e30a773657373696f6ea27331ab6865617274626561744d73cd1388a46d6f6465a46c697665a66c696d69747387b0636c69656e744672616d654279746573cd1000b26368616e6e656c735065725265717565737432ba737562736372697074696f6e73506572436f6e6e656374696f6e64b172657175657374735065725365636f6e640aac72657175657374427572737414b0636f6e6e656374696f6e73506572497064b87175657565644279746573506572436f6e6e656374696f6ece00400000',
  ack: '93010782ae7472616465733a4254432d55534401af626f6f6b3a4254432d5553443a313002',
  error: '950208ae554e4b4e4f574e5f53594d424f4cb26e6f207375636820696e737472756d656e74aa7472616465733a58595a',
  errorNoId: '9502c0ab4241445f52455155455354b572657175657374206d7573742062652061206d6170c0',
  tradesSnapshot: '95030129d300064428a3ef18009195d300064428a3ef180064ce00632f1dcd05dca162',
  tickerSnapshot:
    '95030309d300064428a3ef18009bce00632f04ccface00632f1dcd05dcce00632f1dcd05dcce0061a800ce0064b540ce006180f0ce075bcd15cd10e1',
  bookSnapshot:
    '9503020cd300064428a3ef180093ce92087da89193ce00632f04ccfa019293ce00632f1dcd05dc0293ce00632f68cd012c01',
  candlesSnapshot:
    '95030405d300064428a3ef18009199d300064428a05b9100ce00632ea0ce00632f68ce00632e3cce00632f1dcd0bb803aa36353030312e32353030c3',
  instrumentsSnapshot:
    '95030001d300064428a3ef18009188a673796d626f6ca74254432d555344aa70726963655363616c6502a87174795363616c6505a87469636b53697a6501a76c6f7453697a6501a76d696e53697a650aa86d61785072696365ce05f5e100a76d617853697a65d300000002540be400',
  tradeUpdate: '9804012ad300064428a3ef180065ce00632f1dcd05dca173',
  tickerUpdate: '9f04030ad300064428a3ef1800c0c0ce00632f1dcd05dcc0c0c0c0c00000',
  bookUpdate: '9704020dd300064428a3ef1800ce0001e2409193ce00632f04000090',
  candleUpdate:
    '9d040406d300064428a3ef1800d300064428a3ef1800ce00632f1dce00632f1dce00632f1dce00632f1dcd05dc01aa36353030312e32353030c2',
  reset: '930502ad736c6f7720636f6e73756d6572',
  heartbeat: '9306d300064428a3ef18009292012a92020d',
  pong: '930709d300064428a3ef1800',
};

describe('encodeMessage', () => {
  test.each(Object.keys(SAMPLES))('%s matches its golden bytes', (name) => {
    expect(hex(encodeMessage(SAMPLES[name] as ServerMessage))).toBe(GOLDEN[name]);
  });

  test('every sample has a golden fixture', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  test('integers from 2^32 up are int64 (0xd3), never float64 (0xcb)', () => {
    expect(hex(encodeMessage([7, 0, 2 ** 32]))).toBe('930700d30000000100000000');
    expect(hex(encodeMessage([7, 0, 2 ** 32 - 1]))).toBe('930700ceffffffff');
    expect(hex(encodeMessage([7, 0, TS_US]))).not.toContain('cb');
  });

  test('returns bytes that later encodes do not overwrite', () => {
    const first = encodeMessage(SAMPLES.pong as ServerMessage);
    const copy = hex(first);
    for (let i = 0; i < 1000; i++) encodeMessage(SAMPLES.welcome as ServerMessage);
    expect(hex(first)).toBe(copy);
  });

  test('the output is readable by a generic msgpack decoder', () => {
    const u = new Unpackr({ useRecords: false, int64AsType: 'number' });
    expect(u.unpack(encodeMessage(SAMPLES.tradeUpdate as ServerMessage))).toEqual(SAMPLES.tradeUpdate);
  });
});

describe('buildFrame', () => {
  const all = Object.values(SAMPLES);

  test.each([
    1, 2, 15, 16, 17, 300, 70_000,
  ])('%i pre-encoded messages: same bytes and list as the array encoded at once', (n) => {
    const messages = Array.from({ length: n }, (_, i) => all[i % all.length] as ServerMessage);
    const frame = buildFrame(messages.map(encodeMessage));
    expect(decodeFrame(frame)).toEqual(messages);
    // Encoding the whole array in one go must give the very same bytes: the header is all buildFrame adds.
    expect(Buffer.from(frame).equals(Buffer.from(encodeMessage(messages as unknown as ServerMessage)))).toBe(
      true,
    );
  });

  test('uses fixarray, array16 and array32 headers', () => {
    const m = encodeMessage([5, 1, 'x']);
    expect(buildFrame([m])[0]).toBe(0x91);
    expect(hex(buildFrame(Array(15).fill(m)).subarray(0, 1))).toBe('9f');
    expect(hex(buildFrame(Array(16).fill(m)).subarray(0, 3))).toBe('dc0010');
    expect(hex(buildFrame(Array(65_536).fill(m)).subarray(0, 5))).toBe('dd00010000');
  });
});

describe('buildJsonFrame', () => {
  test('joins pre-encoded JSON messages into one array', () => {
    const messages = Object.values(SAMPLES);
    const frame = buildJsonFrame(messages.map(encodeMessageJson));
    expect(JSON.parse(frame)).toEqual(messages);
    expect(frame).toBe(JSON.stringify(messages));
  });
});
