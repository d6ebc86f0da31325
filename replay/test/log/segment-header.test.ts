import CRC32C from 'crc-32/crc32c';
import { expect, test } from 'vitest';
import { LogError } from '../../src/log/log-error.ts';
import {
  decodeMetadata,
  decodeSegmentHeader,
  encodeMetadata,
  encodeSegmentHeader,
} from '../../src/log/segment-header.ts';
import { goldenHex } from './support/readme-golden.ts';

test('the worked example of replay/README.md, byte for byte', () => {
  const golden = goldenHex('golden-segment-header');
  const bytes = encodeSegmentHeader(1, encodeMetadata({ seed: 1, v: '0.1.0' }));
  expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(golden).toString('hex'));
  expect(Buffer.from(golden).readUInt32LE(golden.length - 4)).toBe(
    CRC32C.buf(golden.subarray(0, golden.length - 4)) >>> 0,
  );
});

test('decodes what it encodes', () => {
  const meta = { seed: 7, instruments: ['BTC-USD', 'AMZN'], startUs: 1767225600000000, engine: '0.1.0' };
  const bytes = encodeSegmentHeader(4097, encodeMetadata(meta));
  const h = decodeSegmentHeader(bytes, bytes.length + 100, 'f');
  expect(h.firstSeq).toBe(4097);
  expect(h.headerBytes).toBe(bytes.length);
  expect(decodeMetadata(h.metadataBytes)).toEqual(meta);
});

test.each([
  ['a wrong magic', 0, 'BAD_SEGMENT_HEADER', 0],
  ['another version', 8, 'UNSUPPORTED_VERSION', 8],
  ['a reserved bit', 10, 'BAD_SEGMENT_HEADER', 0],
  ['a first-seq bit', 17, 'BAD_SEGMENT_HEADER', 0],
  ['a metadata bit', 26, 'BAD_SEGMENT_HEADER', 0],
  ['a CRC bit', -1, 'BAD_SEGMENT_HEADER', 0],
])('refuses %s, naming the file and offset', (_, at, code, offset) => {
  const bytes = encodeSegmentHeader(1, encodeMetadata({ seed: 1 }));
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = (bytes[i] as number) ^ 1;
  const err = catchError(() => decodeSegmentHeader(bytes, bytes.length, 'seg.twlog'));
  expect(err).toMatchObject({ code, file: 'seg.twlog', offset });
  expect(err.message).toMatch(new RegExp(`^seg\\.twlog at byte ${offset}: `));
});

test('refuses a header cut short and metadata that is not a map', () => {
  const bytes = encodeSegmentHeader(1, encodeMetadata({ seed: 1 }));
  expect(catchError(() => decodeSegmentHeader(bytes.subarray(0, 20), 20, 'f')).code).toBe(
    'BAD_SEGMENT_HEADER',
  );
  expect(catchError(() => decodeSegmentHeader(bytes.subarray(0, 30), 30, 'f')).offset).toBe(12);
  expect(() => encodeMetadata([1, 2] as unknown as Record<string, unknown>)).toThrow(LogError);
});

function catchError(f: () => unknown): LogError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(LogError);
    return err as LogError;
  }
  throw new Error('expected a LogError');
}
