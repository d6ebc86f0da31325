import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { liveLockHolder } from '../log/dir-lock.ts';
import { segmentFileName } from '../log/segment-files.ts';
import { SEGMENT_MAGIC } from '../log/segment-header.ts';

/**
 * How much recorded data a data directory keeps (`tickwire serve --retain`): whole sessions are deleted, oldest
 * first, while one is older than `maxAgeMs` or the sessions together take more than `maxBytes`. Null: no bound
 * of that kind.
 */
export interface RetentionPolicy {
  /** a session last written longer ago than this is deleted, ms */
  readonly maxAgeMs: number | null;
  /** the sessions of the data directory together, the one being written included, bytes */
  readonly maxBytes: number | null;
}

/** One recorded session found in a data directory. */
export interface SessionOnDisk {
  /** the session's directory */
  readonly dir: string;
  /** every file in it, bytes (segments, index sidecars, `.broken` tails, `recording.json`) */
  readonly bytes: number;
  /** when it was last written: the newest modification time of its files, ms since the epoch */
  readonly lastWrittenMs: number;
  /** a live process holds its writer's `LOCK`: it is being written and is never deleted */
  readonly locked: boolean;
}

/** What one pass of {@link applyRetention} did. */
export interface RetentionPass {
  /** the sessions deleted, oldest first */
  readonly deleted: readonly SessionOnDisk[];
  /** the sessions kept, oldest first */
  readonly kept: readonly SessionOnDisk[];
  /** bytes of the sessions kept */
  readonly keptBytes: number;
  /**
   * the kept sessions still exceed `maxBytes` though everything that may be deleted was: what is left is being
   * written (or was asked to be kept), and a session is never cut while written
   */
  readonly overBound: boolean;
}

/**
 * A session being deleted is first renamed with this suffix (one atomic rename), so a crash in the middle of
 * deleting its files never leaves a half session that looks like a log with missing segments; the next pass
 * finishes the deletion.
 */
export const DELETING_SUFFIX = '.deleting';

/**
 * The recorded sessions directly under `dataDir`, oldest first (by last write, then by name: the names are UTC
 * start times). A session is a directory whose first segment (`00000000000000000001.twlog`) starts with the
 * log's magic; anything else under `dataDir` is not listed and never deleted. A missing `dataDir` has none.
 */
export function listSessions(dataDir: string): SessionOnDisk[] {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: SessionOnDisk[] = [];
  for (const name of names) {
    if (name.endsWith(DELETING_SUFFIX)) continue;
    const dir = join(dataDir, name);
    const usage = sessionUsage(dir);
    if (usage !== undefined) out.push(usage);
  }
  return out.sort(
    (a, b) => a.lastWrittenMs - b.lastWrittenMs || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0),
  );
}

/** The files of one session directory, or undefined when `dir` holds no session log. */
export function sessionUsage(dir: string): SessionOnDisk | undefined {
  if (!startsWithMagic(join(dir, segmentFileName(1)))) return undefined;
  let bytes = 0;
  let lastWrittenMs = 0;
  for (const name of readdirOrEmpty(dir)) {
    const st = statOrUndefined(join(dir, name));
    if (st === undefined || !st.isFile()) continue;
    bytes += st.size;
    lastWrittenMs = Math.max(lastWrittenMs, st.mtimeMs);
  }
  return { dir, bytes, lastWrittenMs, locked: liveLockHolder(dir) !== undefined };
}

/**
 * Applies `policy` to the sessions under `dataDir`: deletes, oldest first, each session last written before
 * `nowMs - maxAgeMs`, then more of the oldest until the rest fit in `maxBytes`. Never deletes a session in
 * `keep` (the one `serve` is writing) nor one whose log a live process holds locked. Whole sessions only: a
 * log must start at seq 1 with a keyframe, so what is left always verifies, replays and re-simulates.
 * Also finishes deletions a crash interrupted.
 */
export function applyRetention(
  dataDir: string,
  policy: RetentionPolicy,
  options: { readonly nowMs: number; readonly keep?: readonly string[] },
): RetentionPass {
  removeLeftovers(dataDir);
  const keep = new Set((options.keep ?? []).map(canonical));
  const sessions = listSessions(dataDir);
  const protectedDir = (s: SessionOnDisk): boolean => s.locked || keep.has(canonical(s.dir));
  let total = sessions.reduce((sum, s) => sum + s.bytes, 0);
  const deleted: SessionOnDisk[] = [];
  const kept: SessionOnDisk[] = [];
  for (const s of sessions) {
    const tooOld = policy.maxAgeMs !== null && s.lastWrittenMs < options.nowMs - policy.maxAgeMs;
    const tooBig = policy.maxBytes !== null && total > policy.maxBytes;
    if ((tooOld || tooBig) && !protectedDir(s)) {
      deleteSession(s.dir);
      deleted.push(s);
      total -= s.bytes;
    } else {
      kept.push(s);
    }
  }
  return {
    deleted,
    kept,
    keptBytes: total,
    overBound: policy.maxBytes !== null && total > policy.maxBytes,
  };
}

/** Deletes one session directory: renamed aside first (atomic), then removed. */
function deleteSession(dir: string): void {
  const aside = `${dir}${DELETING_SUFFIX}`;
  fs.renameSync(dir, aside);
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Removes what a crash left of a deletion (`<session>.deleting`). */
function removeLeftovers(dataDir: string): void {
  for (const name of readdirOrEmpty(dataDir)) {
    if (name.endsWith(DELETING_SUFFIX)) fs.rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

/** The same directory by one name, however it was given (relative, through a symlink). */
function canonical(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return resolve(dir);
  }
}

function startsWithMagic(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(SEGMENT_MAGIC.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(SEGMENT_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}
