import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CLOSE_CODES, REQUEST_ERROR_CODES } from '../../src/protocol/index.ts';

// STYLE: the codes live in one catalog and the spec documents them; this keeps PROTOCOL.md and code in step.
const spec = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8');
const table = (section: string, key: RegExp): Map<string, string> => {
  const start = spec.indexOf(section);
  expect(start, `PROTOCOL.md section "${section}"`).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string>();
  for (const line of spec.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const m = new RegExp(`^\\| (${key.source}) +\\| (.+?) *\\|$`).exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) rows.set(m[1], m[2]);
  }
  return rows;
};

test('§9 lists exactly the close codes of CLOSE_CODES', () => {
  const documented = Object.fromEntries(table('## 9. Close codes', /[0-9]{4}/));
  const catalog = Object.fromEntries(Object.values(CLOSE_CODES).map((c) => [String(c.code), c.meaning]));
  expect(documented).toEqual(catalog);
});

test('§10 lists exactly the error codes of REQUEST_ERROR_CODES', () => {
  expect(Object.fromEntries(table('## 10. Error codes', /[A-Z_]+/))).toEqual(REQUEST_ERROR_CODES);
});
