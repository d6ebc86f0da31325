import { existsSync, readFileSync } from 'node:fs';

let version: string | undefined;

/** This package's version (package.json), written into every session's metadata. Read on first use. */
export function tickwireVersion(): string {
  version ??= (JSON.parse(readFileSync(packageJsonUrl(), 'utf8')) as { version: string }).version;
  return version;
}

/**
 * The nearest package.json above this module: the repository's when run from the sources
 * (replay/src/session/), the package's when run compiled from an install (dist/replay/src/session/).
 */
function packageJsonUrl(): URL {
  for (let dir = new URL('.', import.meta.url); ; ) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return file;
    const parent = new URL('..', dir);
    if (parent.href === dir.href) throw new Error(`no package.json above ${import.meta.url}`);
    dir = parent;
  }
}
