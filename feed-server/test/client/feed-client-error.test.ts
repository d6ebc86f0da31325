import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FEED_CLIENT_ERROR_CODES, FeedClientError } from '../../src/client/index.ts';

describe('FeedClientError', () => {
  test('is an Error with a stable code, the first refusal as serverCode, and a cause', () => {
    const cause = new Error('inner');
    const e = new FeedClientError('REFUSED', 'refused', {
      refusals: [
        { channel: 'trades:X', code: 'UNKNOWN_SYMBOL', message: 'no X' },
        { channel: 'book:Y:10', code: 'UNKNOWN_SYMBOL', message: 'no Y' },
      ],
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'FeedClientError', code: 'REFUSED', serverCode: 'UNKNOWN_SYMBOL' });
    expect(e.cause).toBe(cause);
    expect(new FeedClientError('FATAL_CLOSE', 'x', { closeCode: 4001 })).toMatchObject({
      closeCode: 4001,
      serverCode: null,
      refusals: [],
    });
  });

  // STYLE: the folder's error codes live in one catalog and its README documents them.
  test('the README documents exactly FEED_CLIENT_ERROR_CODES', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### Errors (`FeedClientError.code`)');
    expect(start).toBeGreaterThanOrEqual(0);
    const rows: Record<string, string> = {};
    for (const line of readme.slice(start).split('\n').slice(1)) {
      if (line.startsWith('#')) break;
      const m = /^\| `([A-Z_]+)` +\| (.+?) *\|$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined) rows[m[1]] = m[2];
    }
    expect(rows).toEqual(FEED_CLIENT_ERROR_CODES);
  });
});
