/**
 * Builds the installable package into dist/ (`npm run build`; `npm pack` runs it as `prepack`):
 * - tsc (tsconfig.build.json) compiles the public entries (`tickwire/client`, `tickwire/client/node`,
 *   `tickwire/protocol`) and the CLI, with everything they import, to ESM JavaScript with .d.ts and source
 *   maps, in the repository's layout under dist/ (cli/src/main.ts → dist/cli/src/main.js);
 * - Vite builds the web page that `tickwire serve` hosts into dist/web/dist, the same place relative to the
 *   compiled serve command as web/dist is to its source, so DEFAULT_WEB_DIR finds it in both.
 * The repository itself keeps running from the sources (cli/bin/tickwire.js).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from '../../web/scripts/build-web.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Where the build writes (gitignored; package.json's `files` ships it). */
export const DIST_DIR = join(repo, 'dist');

/** Empties dist/ and builds the package's JavaScript, types and web page into it. */
export async function buildPackage(): Promise<void> {
  rmSync(DIST_DIR, { recursive: true, force: true });
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { stdio: 'inherit' });
  await buildWeb(join(DIST_DIR, 'web', 'dist'));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  await buildPackage();
  process.stderr.write(`package built into dist/ in ${Math.round(performance.now() - t0)} ms\n`);
}
