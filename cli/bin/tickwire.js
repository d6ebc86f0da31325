#!/usr/bin/env node
// The `tickwire` command. In the repository it runs the TypeScript sources, compiled on load by tsx, so a fresh
// clone needs no build step; the installed package ships no sources (and no tsx) but the compiled JavaScript
// in dist/ (`npm run build`), which it runs instead.
import { existsSync } from 'node:fs';

const sources = new URL('../src/main.ts', import.meta.url);
let cli;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(sources.href);
} else {
  cli = await import('../../dist/cli/src/main.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
