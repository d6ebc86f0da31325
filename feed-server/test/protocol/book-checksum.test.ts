import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { bookChecksum, bookChecksumText, crc32 } from '../../src/protocol/index.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

test('CRC-32 check value: crc32("123456789") = 0xCBF43926', () => {
  expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array())).toBe(0);
});

// zlib.crc32 exists from Node 20.15 / 22.2; compare against it where present.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
test.skipIf(zlibCrc32 === undefined)('crc32 equals node:zlib crc32 on random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(crc32(bytes)).toBe(zlibCrc32?.(bytes));
    }),
  );
});

test('PROTOCOL.md §12 worked example', () => {
  const bids = [[6500100, 250, 1]] as const;
  const asks = [
    [6500125, 1500, 2],
    [6500200, 300, 1],
  ] as const;
  expect(bookChecksumText(bids, asks)).toBe('6500125:1500,6500200:300|6500100:250');
  expect(bookChecksum(bids, asks)).toBe(2450029992);
});

test('only the top 10 levels per side count; empty sides give empty text', () => {
  const side = (from: number) => Array.from({ length: 12 }, (_, i) => [from + i, i + 1] as const);
  const text = bookChecksumText(side(100), side(200));
  expect(text.split('|').map((s) => s.split(',').length)).toEqual([10, 10]);
  expect(text.startsWith('200:1,')).toBe(true);
  expect(bookChecksumText([], [])).toBe('|');
  expect(bookChecksum([], [])).toBe(crc32(ascii('|')));
});
