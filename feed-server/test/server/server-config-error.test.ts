import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { SERVER_CONFIG_ERROR_CODES, ServerConfigError } from '../../src/server/server-config-error.ts';

// STYLE: the folder's error codes live in one catalog and its README documents them; this keeps them in step.
test('the README documents exactly the server config error codes', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Server configuration errors');
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: Record<string, string> = {};
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    // Cells are padded by the formatter.
    const m = /^\| `([A-Z_]+)` +\| (.+?) *\|$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) rows[m[1]] = m[2];
  }
  expect(rows).toEqual(SERVER_CONFIG_ERROR_CODES);
});

test('carries its code, message and cause', () => {
  const cause = new Error('ENOENT');
  const e = new ServerConfigError('TLS_FILE_UNREADABLE', 'TLS certificate /x: ENOENT', { cause });
  expect(e).toBeInstanceOf(Error);
  expect(e).toMatchObject({ name: 'ServerConfigError', code: 'TLS_FILE_UNREADABLE', cause });
  expect(e.message).toBe('TLS certificate /x: ENOENT');
});
