import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_DIR } from './packed-package.ts';

const API_DOCS = join(REPO_DIR, 'feed-server', 'api-docs');

// Issue 15: the API reference (`npm run docs`, TypeDoc) is made from the doc comments of the public entries,
// so they must stay valid: typedoc.json treats every warning (a broken {@link}, a public type that refers to
// an unexported one) as an error. Here without writing the pages (--emit none): about 7 s of CPU.
test('TypeDoc documents the public entries without a warning', async () => {
  const out = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        join(API_DOCS, 'node_modules', 'typedoc', 'bin', 'typedoc'),
        '--options',
        'typedoc.json',
        '--emit',
        'none',
      ],
      { cwd: API_DOCS, timeout: 170_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: stdout + stderr }),
    );
  });
  expect(out.output).not.toMatch(/warning|error/i);
  expect(out.code).toBe(0);
}, 180_000);
