import fc from 'fast-check';
import { expect, test } from 'vitest';
import { plotToScaled, toPlotNumber } from '../../src/model/index.ts';

test('a plotted number turns back into its scaled integer, for every integer the feed can send (< 2^50)', () => {
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 0, max: 8 }), (v, scale) => {
      expect(plotToScaled(toPlotNumber(v, scale), scale)).toBe(v);
    }),
    { numRuns: 2000 },
  );
});
