import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireOrSkip } from './require-or-skip.ts';

/**
 * The team's shared data folder, outside the repository: `TICKWIRE_SHARED_DIR`, else `../shared` beside the
 * repository's folder. A fresh clone does not have it.
 */
export function sharedDir(): string {
  return process.env.TICKWIRE_SHARED_DIR ?? fileURLToPath(new URL('../../shared/', import.meta.url));
}

/** Where a test's data in the shared folder is, and whether it may run. */
export interface SharedData {
  /** the absolute path (which need not exist: read it only when `skipReason` is null) */
  readonly path: string;
  /** why the tests are skipped, or null to run them */
  readonly skipReason: string | null;
}

/**
 * Data a test needs that is too big for the repository (prefer a committed sample: `./samples.ts`). Missing, the
 * tests skip with a printed reason locally and fail under `CI=true` ({@link requireOrSkip}). With
 * `TICKWIRE_NO_SHARED=1` the folder counts as absent even where it exists, and skipping is allowed under CI:
 * that is `.ci/run`'s fresh-clone step, which proves every other data test does without it.
 *
 * @param relative - the path inside the shared folder, e.g. `data/lobster-amzn-2012-06-21`
 * @param tests - what would not run, for the message
 * @example
 * const week = sharedData('data/lobster-amzn-2012-06-week', 'the AMZN week import');
 * describe.skipIf(week.skipReason !== null)('a week of AMZN', () => { … join(week.path, 'day-1.csv') … });
 */
export function sharedData(relative: string, tests: string): SharedData {
  const path = join(sharedDir(), relative);
  if (process.env.TICKWIRE_NO_SHARED === '1') {
    return {
      path,
      skipReason: requireOrSkip(tests, `TICKWIRE_NO_SHARED=1: ${path} counts as absent`, { skipInCi: true }),
    };
  }
  const missing = existsSync(path)
    ? null
    : `${path} is missing (a fresh clone has no shared folder beside it; set TICKWIRE_SHARED_DIR to point elsewhere)`;
  return { path, skipReason: requireOrSkip(tests, missing) };
}
