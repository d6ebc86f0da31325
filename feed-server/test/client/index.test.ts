import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

// STYLE: the SDK runs in browsers too. Only node.ts, the Node entry, may import a Node-only package (ws).
const dir = new URL('../../src/client/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

test.each(files)('%s imports nothing from node:* and uses no Buffer', (file) => {
  const source = readFileSync(new URL(file, dir), 'utf8');
  expect(source).not.toMatch(/from ['"]node:|import\(['"]node:|require\(/);
  expect(source).not.toMatch(/\bBuffer\b/);
});

test.each(
  files.filter((f) => f !== 'node.ts'),
)('%s imports only the protocol module and its own folder', (file) => {
  const source = readFileSync(new URL(file, dir), 'utf8');
  // Statements only (`import … from`, `} from` closing a multi-line one), not the TSDoc examples.
  for (const [, from] of source.matchAll(/^(?:import|export|\}).*? from ['"]([^'"]+)['"]/gm)) {
    expect(from).toMatch(/^(\.\/[a-z-]+\.ts|\.\.\/protocol\/index\.ts)$/);
  }
});

test('node.ts is the one file that imports ws', () => {
  const importers = files.filter((f) =>
    /^import .* from ['"]ws['"]/m.test(readFileSync(new URL(f, dir), 'utf8')),
  );
  expect(importers).toEqual(['node.ts']);
});
