import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

// The repository compiles without the DOM lib (only web/ gets it), so this is the one check that the SDK
// type-checks in a browser project and that the DOM's WebSocket class fits `WebSocketConstructor`.
test('the SDK compiles against lib.dom, with the browser WebSocket as its default implementation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickwire-dom-'));
  const index = fileURLToPath(new URL('../../src/client/index.ts', import.meta.url));
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  writeFileSync(
    join(dir, 'check.ts'),
    [
      `import { FeedClient, type WebSocketConstructor } from ${JSON.stringify(index)};`,
      'const impl: WebSocketConstructor = WebSocket;',
      "export const client = new FeedClient({ url: 'wss://feed.example.com/v1/ws', WebSocket: impl });",
      "export const implicit = new FeedClient({ url: 'wss://feed.example.com/v1/ws' });",
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
      },
      files: ['check.ts'],
    }),
  );
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  const run = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
});
