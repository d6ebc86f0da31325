import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { MATCHING_ERROR_CODES } from '../src/matching-error.ts';
import { REJECT_CODES } from '../src/reject-codes.ts';

// STYLE: each folder's codes live in one catalog and the README documents them; this keeps the two in step.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const documented = (section: string): Map<string, string> => {
  const start = readme.indexOf(section);
  expect(start, `README section "${section}"`).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string>();
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const m = /^\| `([A-Z_]+)` *\| (.+?) *\|$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) rows.set(m[1], m[2]);
  }
  return rows;
};

test.each([
  ['## Reject codes', REJECT_CODES],
  ['## Errors', MATCHING_ERROR_CODES],
] as const)('README %s lists exactly the catalog', (section, catalog) => {
  expect(Object.fromEntries(documented(section))).toEqual(catalog);
});
