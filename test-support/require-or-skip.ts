/**
 * The one rule for a test that needs something a machine may lack (a browser, data outside the repository):
 * locally it is skipped, saying why; under `CI=true` it fails, because CI must run every test. Issue 11 §3.
 *
 * @param tests - what would not run, for the message (`'browser tests'`)
 * @param missing - what is missing and how to get it, or null when nothing is
 * @param options.skipInCi - skipping is allowed under CI too: only for a step that takes the thing away on
 *   purpose to prove the other tests do without it (`.ci/run`, `TICKWIRE_NO_SHARED`)
 * @returns the reason to skip (for `describe.skipIf(reason !== null)`), or null to run
 * @throws {Error} under `CI=true`, when `missing` is not null and skipping in CI is not allowed
 * @example
 * const skipReason = requireOrSkip('browser tests', existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing`);
 * describe.skipIf(skipReason !== null)('the page', () => { … });
 */
export function requireOrSkip(
  tests: string,
  missing: string | null,
  options: { readonly skipInCi?: boolean } = {},
): string | null {
  if (missing === null) return null;
  if (process.env.CI === 'true' && options.skipInCi !== true) {
    throw new Error(`${tests} must run in CI (CI=true), but ${missing}`);
  }
  console.warn(`${tests} skipped: ${missing}`);
  return missing;
}
