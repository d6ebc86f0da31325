import { expect, test } from 'vitest';
import { pageToken } from '../../src/model/index.ts';

/** The example token of PROTOCOL.md §15. */
const TOKEN =
  'tw1.eyJzdWIiOiJkZW1vIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDB9.fftCQj_fhTqD31A8UbuIPUz5xCocfU9mRYSJAFqF88I';

test.each([
  ['', undefined],
  ['?symbol=BTC-USD&interval=1m', undefined],
  ['?token=', undefined],
  [`?token=${TOKEN}`, TOKEN],
  [`?symbol=ETH-USD&token=${encodeURIComponent(TOKEN)}&interval=5m`, TOKEN],
  [`?token=${TOKEN}&token=other`, TOKEN],
  ['?token=a%0Ab', undefined], // a newline would make fetch throw on the header
  ['?token=caf%C3%A9', undefined],
])('pageToken(%j) is %j', (search, token) => {
  expect(pageToken(search)).toBe(token);
});
