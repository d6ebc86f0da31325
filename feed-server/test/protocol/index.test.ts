import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

// STYLE: protocol/ is shared with the browser SDK and the web client, so it must not reach for Node.
const dir = new URL('../../src/protocol/', import.meta.url);
test.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))('%s imports nothing from node:*', (file) => {
  const source = readFileSync(new URL(file, dir), 'utf8');
  expect(source).not.toMatch(/from ['"]node:|import\(['"]node:|require\(/);
  expect(source).not.toMatch(/\bBuffer\b/);
});
