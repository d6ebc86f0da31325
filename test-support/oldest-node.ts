import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireOrSkip } from './require-or-skip.ts';

/** The oldest Node that package.json's `engines` claims (`">=20.19"` → `"20.19.0"`). */
export function oldestSupportedNode(): string {
  const manifest = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as {
    engines: { node: string };
  };
  const floor = /^>=(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(manifest.engines.node);
  if (floor === null) throw new Error(`engines.node "${manifest.engines.node}" is not of the form >=X.Y.Z`);
  return `${floor[1]}.${floor[2] ?? 0}.${floor[3] ?? 0}`;
}

/**
 * The binary of the oldest supported Node, for tests that run the package with it: `TICKWIRE_OLDEST_NODE`,
 * which `.ci/run` sets (.ci/oldest-node fetches that Node from the npm registry). Missing locally: skipped, with
 * the reason printed; missing under `CI=true`, or of another version: the test file fails ({@link requireOrSkip}).
 *
 * @param tests - what would not run, for the message
 * @returns the binary's path and null, or null and the reason to skip
 */
export function oldestNode(tests: string): {
  readonly path: string | null;
  readonly skipReason: string | null;
} {
  const version = oldestSupportedNode();
  const path = process.env.TICKWIRE_OLDEST_NODE;
  const missing =
    path === undefined || path === ''
      ? `TICKWIRE_OLDEST_NODE is not set (.ci/run sets it: TICKWIRE_OLDEST_NODE=$(.ci/oldest-node))`
      : existsSync(path)
        ? null
        : `TICKWIRE_OLDEST_NODE=${path} does not exist`;
  const skipReason = requireOrSkip(tests, missing);
  if (skipReason !== null || path === undefined) return { path: null, skipReason };
  const actual = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  if (actual !== `v${version}`) {
    throw new Error(`TICKWIRE_OLDEST_NODE is Node ${actual}, but package.json's engines claims v${version}`);
  }
  return { path, skipReason: null };
}
