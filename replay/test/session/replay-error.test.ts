import { expect, test } from 'vitest';
import { REPLAY_ERROR_CODES, ReplayError } from '../../src/index.ts';
import { readmeCodeTable } from '../log/support/readme-golden.ts';

test('replay/README.md lists exactly the ReplayError codes', () => {
  expect(readmeCodeTable('## Errors (`ReplayError.code`)')).toEqual(REPLAY_ERROR_CODES);
});

test('a ReplayError carries its code and cause', () => {
  const cause = new Error('x');
  expect(new ReplayError('BAD_TIME', 'bad', { cause })).toMatchObject({
    name: 'ReplayError',
    code: 'BAD_TIME',
    cause,
  });
});
