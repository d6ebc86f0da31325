import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertPlainMsgpack, packPlain, packPlainReference } from '../../src/protocol/plain-msgpack.ts';

/** Values of the kinds the protocol sends: safe integers of every size, floats, strings, nested arrays and maps. */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.maxSafeInteger(),
    fc.integer({ min: -300, max: 300 }),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.constantFrom(
      0,
      -1,
      127,
      128,
      255,
      256,
      65_535,
      65_536,
      2 ** 32 - 1,
      2 ** 32,
      -(2 ** 31),
      -(2 ** 31) - 1,
      -33,
      -32,
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 20 }),
    // ('__proto__' aside: the reference's object copy drops it.)
    fc.dictionary(
      fc.string({ maxLength: 10 }).filter((k) => k !== '__proto__'),
      tie('value'),
      { maxKeys: 20 },
    ),
  ),
})).value;

describe('packPlain, the hand-written MessagePack writer', () => {
  test('writes exactly the bytes msgpackr writes (integers beyond 32 bits as int64)', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const ours = Buffer.from(packPlain(v));
        expect(ours.toString('hex')).toBe(Buffer.from(packPlainReference(v)).toString('hex'));
        assertPlainMsgpack(ours);
      }),
      { numRuns: 3000 },
    );
  });

  test('long arrays, maps and strings take 16- and 32-bit headers; the buffer grows past 64 KiB', () => {
    for (const v of [
      new Array(70_000).fill(1),
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
      'x'.repeat(70_000),
      'é'.repeat(40_000),
    ]) {
      expect(Buffer.from(packPlain(v)).equals(Buffer.from(packPlainReference(v)))).toBe(true);
    }
  });

  test('each result is its own copy', () => {
    const a = packPlain([1, 2, 3]);
    packPlain([4, 5, 6]);
    expect([...a]).toEqual([0x93, 1, 2, 3]);
  });
});
