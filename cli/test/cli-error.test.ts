import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CLI_ERROR_CODES } from '../src/cli-error.ts';

// STYLE: the folder's error codes live in one catalog and its README documents them; this keeps them in step.
test('the README documents exactly the CLI error codes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Errors');
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: Record<string, string> = {};
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    // Cells are padded by the formatter.
    const m = /^\| `([A-Z_]+)` +\| (.+?) *\|$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) rows[m[1]] = m[2];
  }
  expect(rows).toEqual(CLI_ERROR_CODES);
});
