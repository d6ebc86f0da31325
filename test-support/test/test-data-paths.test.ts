import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/*
 * Issue 11 §3: a fresh clone, with nothing beside it, passes its tests. So no test reaches outside the
 * repository by a path of its own: shared data goes through `sharedData()` (skip locally, fail in CI), committed
 * samples through `samples.ts` (which is how `.ci/run` finds the tests that read data files).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEST_DIRS = [
  'matching/test',
  'feed-server/test',
  'replay/test',
  'web/test',
  'bench/test',
  'test-support',
];
/** The only files allowed to name the places below. */
const DOORS = new Set(['test-support/shared-data.ts', 'test-support/samples.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
}

const files = TEST_DIRS.flatMap(tsFiles).filter((f) => !DOORS.has(f));

test('the scan sees the tests (it would pass vacuously otherwise)', () => {
  expect(files).toContain('replay/test/import/lobster-day.integration.test.ts');
  expect(files).toContain('test-support/test/test-data-paths.test.ts');
});

test('no test resolves a path outside the repository from its own location', () => {
  const outside: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url/g)) {
      const target = fileURLToPath(new URL(m[2] as string, new URL(file, `file://${ROOT}`)));
      if (relative(ROOT, target).startsWith('..')) outside.push(`${file}: ${m[2]}`);
    }
  }
  expect(outside, 'read shared data with sharedData() from test-support/shared-data.ts').toEqual([]);
});

test('no test names the shared folder or the committed samples in a string but through test-support', () => {
  // Built from parts, so that this file does not name them itself.
  const places = [
    new RegExp(`\\.\\./${'shared'}(/|$)`),
    new RegExp(['shared', 'data'].join('/')),
    new RegExp(['replay', 'samples'].join('/')),
  ];
  const named: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/(['"`])((?:(?!\1)[^\n])*)\1/g)) {
      if (places.some((p) => p.test(m[2] as string))) named.push(`${file}: ${m[0]}`);
    }
  }
  expect(named, 'use sharedData() or AMZN_DAY (test-support/)').toEqual([]);
});
