import fc from 'fast-check';
import { formatScaled } from 'tickwire/client';
import { expect, test } from 'vitest';
import { formatBigScaled } from '../../src/model/index.ts';

test('formatBigScaled is the SDK’s formatScaled, extended beyond 2^53', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 12 }), (v, scale) => {
      expect(formatBigScaled(BigInt(v), scale)).toBe(formatScaled(v, scale));
    }),
  );
  expect(formatBigScaled(2n ** 60n, 2)).toBe('11529215046068469.76');
  expect(formatBigScaled(-5n, 3)).toBe('-0.005');
});
