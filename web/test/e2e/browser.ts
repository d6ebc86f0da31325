import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';
import { requireOrSkip } from '../../../test-support/require-or-skip.ts';

/** Debian's `chromium` package (`apt-get install chromium`); `npx playwright install` cannot download here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests save their screenshots (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Why the browser tests cannot run here, or null when they can. Locally a missing Chromium skips them with
 * this reason, printed; in CI (`CI=true`) it is a failure: `.ci/run` installs Chromium, so the tests must run
 * there ({@link requireOrSkip}, the rule every such test follows).
 */
export function browserUnavailable(): string | null {
  return requireOrSkip(
    'browser tests',
    existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`,
  );
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Real headless Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchBrowser(
  options: {
    readonly viewport?: { width: number; height: number };
    readonly timezoneId?: string;
    readonly colorScheme?: 'dark' | 'light';
  } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'tickwire-chromium-'));
  const launch: LaunchOptions = { executablePath: CHROMIUM, headless: true, args: ARGS };
  const context = await chromium.launchPersistentContext(profile, {
    ...launch,
    viewport: options.viewport ?? { width: 1366, height: 800 },
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
    ...(options.colorScheme === undefined ? {} : { colorScheme: options.colorScheme }),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot path in the artifacts folder (created on first use). */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
