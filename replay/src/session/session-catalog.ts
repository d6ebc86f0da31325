import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A session directory of a data directory, as `tickwire serve` names them (see `newSessionDir`). */
export interface RecordedSessionDir {
  /** the directory's name: its UTC start, `2026-12-01T21-49-44Z`, with `-2`, `-3` … when one second had two */
  readonly name: string;
  /** the directory's path (`dataDir` joined with `name`) */
  readonly dir: string;
}

/** The names `newSessionDir` gives: a UTC second, and a counter from 2 when that second was taken. */
const SESSION_DIR_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(\d+))?$/;

/**
 * The session directories `tickwire serve` recorded in `dataDir`, oldest first (by the UTC start in the name,
 * then its counter); an empty list when `dataDir` does not exist. Only the names are read: whether a directory
 * holds a readable session is for the caller to find out. Other entries (an import's `--out data/amzn`, files)
 * are not sessions `serve` recorded and are left out.
 */
export function listRecordedSessions(dataDir: string): RecordedSessionDir[] {
  let names: string[];
  try {
    names = readdirSync(dataDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keyed = names.flatMap((name) => {
    const m = SESSION_DIR_NAME.exec(name);
    return m === null ? [] : [{ name, stamp: m[1] as string, n: m[2] === undefined ? 1 : Number(m[2]) }];
  });
  keyed.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.n - b.n));
  return keyed.map(({ name }) => ({ name, dir: join(dataDir, name) }));
}
