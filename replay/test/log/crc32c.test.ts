import CRC32C from 'crc-32/crc32c';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { crc32c } from '../../src/log/crc32c.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

test('the standard check values (RFC 3720 B.4 and the CRC catalogue)', () => {
  expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  expect(crc32c(new Uint8Array(0))).toBe(0);
});

test('agrees with the crc-32 package on any range of any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
      expect(crc32c(bytes, start, end)).toBe(CRC32C.buf(bytes.subarray(start, end)) >>> 0);
    }),
    { numRuns: 2000 },
  );
});

test('a seed continues a checksum over a second range', () => {
  const bytes = ascii('the quick brown fox jumps over the lazy dog');
  expect(crc32c(bytes, 17, bytes.length, crc32c(bytes, 0, 17))).toBe(crc32c(bytes));
});
