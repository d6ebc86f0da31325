import { readFileSync } from 'node:fs';

/** This package's version (package.json), written into every session's metadata. */
export const TICKWIRE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
