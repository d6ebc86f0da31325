import { expect, test } from 'vitest';
import { exactInteger } from '../../src/http/index.ts';

test.each([
  [0n, 0],
  [1600n, 1600],
  [-5n, -5],
  [9007199254740991n, 9007199254740991],
  [-9007199254740991n, -9007199254740991],
  [9007199254740992n, '9007199254740992'],
  [-9007199254740992n, '-9007199254740992'],
  [2n ** 64n, '18446744073709551616'],
])('exactInteger(%s) is %j', (value, expected) => {
  expect(exactInteger(value)).toBe(expected);
});
