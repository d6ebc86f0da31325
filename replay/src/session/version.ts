import { readFileSync } from 'node:fs';

let version: string | undefined;

/** This package's version (package.json), written into every session's metadata. Read on first use. */
export function tickwireVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
