import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory; `remove()` deletes it. */
export function tempDir(prefix = 'tickwire-log-'): { path: string; remove: () => void } {
  const p = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: p, remove: () => fs.rmSync(p, { recursive: true, force: true }) };
}

/** Copies every file of `from` into a new directory `to`. */
export function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
}
