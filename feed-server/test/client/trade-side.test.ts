import { expect, test } from 'vitest';
import { tradeSide } from '../../src/client/index.ts';

test('the wire side codes read as words: "b" buy, "s" sell', () => {
  expect(tradeSide('b')).toBe('buy');
  expect(tradeSide('s')).toBe('sell');
});
