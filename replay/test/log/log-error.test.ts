import { expect, test } from 'vitest';
import { LOG_ERROR_CODES, LogError } from '../../src/log/log-error.ts';
import { LOG_WARNING_CODES } from '../../src/log/log-warning.ts';
import { readmeCodeTable } from './support/readme-golden.ts';

// STYLE: the folder's codes live in one catalog and its README documents them; this keeps them in step.
test('replay/README.md lists exactly the LogError codes', () => {
  expect(readmeCodeTable('## Errors (`LogError.code`)')).toEqual(LOG_ERROR_CODES);
});

test('replay/README.md lists exactly the LogWarning codes', () => {
  expect(readmeCodeTable('## Warnings (`LogWarning.code`)')).toEqual(LOG_WARNING_CODES);
});

test('a LogError names the file and the offset first, and keeps its cause', () => {
  const cause = new Error('EIO');
  const err = new LogError('CORRUPT_RECORD', 'CRC32C mismatch', { file: 'a.twlog', offset: 77, cause });
  expect(err).toBeInstanceOf(Error);
  expect(err).toMatchObject({ name: 'LogError', code: 'CORRUPT_RECORD', file: 'a.twlog', offset: 77, cause });
  expect(err.message).toBe('a.twlog at byte 77: CRC32C mismatch');
  expect(new LogError('NOT_A_LOG', 'x', { file: 'd' }).message).toBe('d: x');
  expect(new LogError('BAD_OPTION', 'x')).toMatchObject({ file: null, offset: null, message: 'x' });
});
