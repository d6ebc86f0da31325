import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { REST_ERROR_CODES, RestError, restError } from '../../src/http/index.ts';

// STYLE: the codes live in one catalog and the spec documents them; this keeps PROTOCOL.md §14 and code in step.
test('§14 lists exactly the codes of REST_ERROR_CODES, with their status and meaning', () => {
  const spec = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8');
  const start = spec.indexOf('\n### Errors', spec.indexOf('\n## 14. REST'));
  expect(start).toBeGreaterThan(0);
  const documented: Record<string, { status: number; meaning: string }> = {};
  for (const line of spec.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const m = /^\| ([A-Z_]+) +\| ([0-9]{3}) +\| (.+?) *\|$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      documented[m[1]] = { status: Number(m[2]), meaning: m[3] };
    }
  }
  expect(documented).toEqual(REST_ERROR_CODES);
});

test('restError carries the code, its catalog status and the cause', () => {
  const cause = new Error('inner');
  const e = restError('BAD_LIMIT', 'limit "0" is not an integer from 1 to 1000', cause);
  expect(e).toBeInstanceOf(RestError);
  expect(e).toBeInstanceOf(Error);
  expect([e.name, e.code, e.status, e.message, e.cause]).toEqual([
    'RestError',
    'BAD_LIMIT',
    400,
    'limit "0" is not an integer from 1 to 1000',
    cause,
  ]);
  expect(restError('UNKNOWN_SYMBOL', 'x').status).toBe(404);
  expect(restError('NOT_FOUND', 'x').cause).toBeUndefined();
});
