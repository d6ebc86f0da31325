import fs from 'node:fs';
import { LogError } from './log-error.ts';

/**
 * Reads up to `length` bytes at `position` into `buffer[offset…]`, looping over short reads; returns the
 * bytes read (fewer only at end of file). Throws `LogError` `IO_FAILED` naming `file`.
 */
export function readFully(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
  file: string,
): number {
  let done = 0;
  try {
    while (done < length) {
      const n = fs.readSync(fd, buffer, offset + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
  } catch (err) {
    throw new LogError('IO_FAILED', `read failed: ${(err as Error).message}`, {
      file,
      offset: position + done,
      cause: err,
    });
  }
  return done;
}

/** Writes all of `buffer[offset, offset + length)` at `position`, looping over short writes. */
export function writeFullySync(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): void {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, buffer, offset + done, length - done, position + done);
}

/** Async `writeFullySync`. */
export async function writeFully(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    done += await new Promise<number>((resolve, reject) => {
      fs.write(fd, buffer, offset + done, length - done, position + done, (err, n) =>
        err === null ? resolve(n) : reject(err),
      );
    });
  }
}

/**
 * Writes `buffers` one after the other at `position` with one `writev` (one trip to the thread pool, however
 * many buffers), then loops over what a short write left.
 */
export async function writevFully(
  fd: number,
  buffers: readonly Uint8Array[],
  position: number,
): Promise<void> {
  let done = await new Promise<number>((resolve, reject) => {
    fs.writev(fd, buffers as Uint8Array[], position, (err, n) => (err === null ? resolve(n) : reject(err)));
  });
  let at = position;
  for (const b of buffers) {
    if (done >= b.length) {
      done -= b.length;
      at += b.length;
      continue;
    }
    await writeFully(fd, b, done, b.length - done, at + done);
    at += b.length;
    done = 0;
  }
}

/** Async `fs.fdatasync`. */
export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fdatasync(fd, (err) => (err === null ? resolve() : reject(err)));
  });
}

/**
 * Fsyncs a directory so that file creations, renames and deletions in it survive a power loss. Some file
 * systems refuse to fsync a directory (EINVAL, EISDIR); there it is not needed, so those are ignored.
 */
export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes `bytes` to `file` atomically: to `file.tmp`, fsynced when `sync`, renamed over `file`, the directory
 * fsynced when `sync`. A crash leaves either no file or the whole file (and maybe a `.tmp` to clean up).
 */
export function writeFileAtomicSync(dir: string, file: string, bytes: Uint8Array, sync: boolean): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeFullySync(fd, bytes, 0, bytes.length, 0);
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (sync) fsyncDirSync(dir);
}

/** Async `fsyncDirSync`. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    await handle?.close();
  }
}

/** Async `writeFileAtomicSync`. */
export async function writeFileAtomic(
  dir: string,
  file: string,
  bytes: Uint8Array,
  sync: boolean,
): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  if (sync) await fsyncDir(dir);
}
