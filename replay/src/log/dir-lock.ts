import fs from 'node:fs';
import { LogError } from './log-error.ts';
import type { LogWarningHandler } from './log-warning.ts';
import { inDir, LOCK_FILE } from './segment-files.ts';

/** The pid in a log directory's LOCK file when that process is still running, else undefined. */
export function liveLockHolder(dir: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(inDir(dir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 && isRunning(pid) ? pid : undefined;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the writer's lock: creates `dir/LOCK` holding this pid, exclusively. A lock left by a process that is
 * no longer running is taken over with a `STALE_LOCK` warning (a reused pid can make a stale lock look live:
 * then delete LOCK by hand). Throws `LogError` `LOCKED` when a live process holds it.
 */
export function acquireLock(dir: string, onWarning: LogWarningHandler): void {
  const file = inDir(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LogError('IO_FAILED', `cannot create the lock file: ${(err as Error).message}`, {
          file,
          cause: err,
        });
      }
      const holder = liveLockHolder(dir);
      if (holder !== undefined) {
        throw new LogError(
          'LOCKED',
          `process ${holder} is writing to this log (delete the file if no writer is running)`,
          { file },
        );
      }
      onWarning({
        code: 'STALE_LOCK',
        message: `${file}: took over the lock of a writer that is no longer running`,
        file,
        offset: null,
      });
      fs.rmSync(file, { force: true });
      continue;
    }
    try {
      fs.writeSync(fd, `${process.pid}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  throw new LogError('LOCKED', 'another process took the lock while this one was taking over a stale one', {
    file,
  });
}

/** Releases the lock taken by `acquireLock`. */
export function releaseLock(dir: string): void {
  fs.rmSync(inDir(dir, LOCK_FILE), { force: true });
}
