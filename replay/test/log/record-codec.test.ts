import CRC32C from 'crc-32/crc32c';
import { describe, expect, test } from 'vitest';
import {
  checkRecord,
  encodeRecord,
  RECORD_HEADER_BYTES,
  RecordCheck,
  readU64,
  seqAt,
  tsUsAt,
  typeAt,
  writeU64,
} from '../../src/log/record-codec.ts';
import { goldenHex } from './support/readme-golden.ts';

function encode(seq: number, tsUs: number, type: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  expect(encodeRecord(b, 0, seq, tsUs, type, payload)).toBe(b.length);
  return b;
}

describe('record framing', () => {
  test('the worked example of replay/README.md, byte for byte', () => {
    const golden = goldenHex('golden-record');
    const payload = Uint8Array.of(0x93, 0x01, 0xa2, 0x68, 0x69, 0xc3);
    expect(Buffer.from(encode(1, 1767225600000000, 2, payload)).toString('hex')).toBe(
      Buffer.from(golden).toString('hex'),
    );
    // The CRC field is CRC32C (per the crc-32 package) of everything after it.
    const crc = CRC32C.buf(golden.subarray(8)) >>> 0;
    expect(Buffer.from(golden).readUInt32LE(4)).toBe(crc);
    expect(crc).toBe(0xea42d618);
  });

  test('decodes what it encodes, at any offset', () => {
    const buf = new Uint8Array(200);
    const payload = Uint8Array.from({ length: 60 }, (_, i) => i);
    const end = encodeRecord(buf, 37, 2 ** 53 - 1, 2 ** 52 + 3, 255, payload);
    expect(end).toBe(37 + RECORD_HEADER_BYTES + 60);
    expect(checkRecord(buf, 37, end)).toBe(RecordCheck.OK);
    expect(seqAt(buf, 37)).toBe(2 ** 53 - 1);
    expect(tsUsAt(buf, 37)).toBe(2 ** 52 + 3);
    expect(typeAt(buf, 37)).toBe(255);
    expect(buf.subarray(37 + RECORD_HEADER_BYTES, end)).toEqual(payload);
  });

  test('u64 above 2^53 - 1 reads as -1', () => {
    const b = new Uint8Array(8).fill(0xff);
    expect(readU64(b, 0)).toBe(-1);
    writeU64(b, 0, 2 ** 53 - 1);
    expect(readU64(b, 0)).toBe(2 ** 53 - 1);
  });

  test.each([
    ['a header cut short', (b: Uint8Array) => b.subarray(0, 24), RecordCheck.SHORT_HEADER],
    ['a payload cut short', (b: Uint8Array) => b.subarray(0, b.length - 1), RecordCheck.SHORT_PAYLOAD],
    ['an impossible length', (b: Uint8Array) => patch(b, 3, 0x10), RecordCheck.BAD_LENGTH],
    ['a flipped payload bit', (b: Uint8Array) => flip(b, b.length - 1, 1), RecordCheck.BAD_CRC],
    ['a flipped seq bit', (b: Uint8Array) => flip(b, 8, 0x80), RecordCheck.BAD_CRC],
    ['all zeros', (b: Uint8Array) => new Uint8Array(b.length), RecordCheck.BAD_CRC],
  ])('detects %s', (_, damage, expected) => {
    const b = damage(encode(7, 1000, 1, Uint8Array.of(1, 2, 3, 4)));
    expect(checkRecord(b, 0, b.length)).toBe(expected);
  });
});

function patch(b: Uint8Array, at: number, value: number): Uint8Array {
  const c = b.slice();
  c[at] = value;
  return c;
}

function flip(b: Uint8Array, at: number, mask: number): Uint8Array {
  return patch(b, at, (b[at] as number) ^ mask);
}
