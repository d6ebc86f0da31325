/**
 * Builds the web client into web/dist (`npm run build:web`). With `--if-stale` (`npm start`'s prestart) it
 * builds only when a source is newer than the last build: the page's sources, the SDK and protocol it
 * bundles, the Vite config, and the dependency lock. A build takes about a second; a start with a current
 * build costs a few stat calls.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const webDir = join(repo, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
const INPUTS = [
  'web/index.html',
  'web/vite.config.ts',
  'web/src',
  'feed-server/src/client',
  'feed-server/src/protocol',
  'package.json',
  'package-lock.json',
];

/** The newest modification time under `path` (a file or a directory), ms. */
function newestMtimeMs(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** Whether web/dist is missing or older than one of its inputs. */
export function webBuildIsStale(): boolean {
  const built = statSync(distIndex, { throwIfNoEntry: false });
  if (built === undefined) return true;
  return INPUTS.some((p) => newestMtimeMs(join(repo, p)) > built.mtimeMs);
}

/** Runs Vite's production build of web/ into `outDir` (default web/dist). */
export async function buildWeb(outDir?: string): Promise<void> {
  const { build } = await import('vite');
  // Vite picks the production builds of dependencies (lightweight-charts has a development one with
  // assertions) from NODE_ENV, which a test runner sets to "test".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(webDir, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      ...(outDir === undefined ? {} : { build: { outDir, emptyOutDir: true } }),
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Builds web/dist when it is stale (or always with `force`); returns whether it built. */
export async function ensureWebBuild(force = false): Promise<boolean> {
  if (!force && !webBuildIsStale()) return false;
  await buildWeb();
  return true;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  const t0 = performance.now();
  try {
    const built = await ensureWebBuild(!ifStale);
    const ms = Math.round(performance.now() - t0);
    process.stderr.write(
      built ? `web client built into web/dist in ${ms} ms\n` : 'web client is up to date\n',
    );
  } catch (error) {
    const missingVite = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    if (!(ifStale && missingVite)) throw error;
    // An install without dev dependencies cannot build: serve the feed anyway, with the last build if any.
    process.stderr.write(
      `vite is not installed, so the web client cannot be built${existsSync(distIndex) ? '; serving the last build' : ''}\n`,
    );
  }
}
