import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_DIR } from './packed-package.ts';

// Issue 15: the README's "Use from your code" examples are the files the installed-package test runs, shown
// verbatim: each is a code block right after a `<!-- example: PATH -->` line.
const README = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
const EXAMPLES_DIR = 'feed-server/examples';
const shown = [...README.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)].map((m) => ({
  path: m[1] as string,
  code: m[2] as string,
}));

test('the README shows every example file, each once', () => {
  const files = readdirSync(join(REPO_DIR, EXAMPLES_DIR)).map((f) => `${EXAMPLES_DIR}/${f}`);
  expect(shown.map((s) => s.path).sort()).toEqual(files.sort());
});

test.each(shown)('the README shows $path as it is', ({ path, code }) => {
  expect(code).toBe(readFileSync(join(REPO_DIR, path), 'utf8'));
});
