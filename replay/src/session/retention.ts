import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { liveLockHolder } from '../log/dir-lock.ts';
import { compressedSegmentFileName, segmentFileName } from '../log/segment-files.ts';
import {
  decodeMetadata,
  decodeSegmentHeader,
  MAX_METADATA_BYTES,
  SEGMENT_HEADER_FIXED_BYTES,
} from '../log/segment-header.ts';

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
  /**
   * the session's `source` (`simulator`: recorded by `serve`; `lobster`, `trades`: imported); undefined when
   * its metadata is not a session's
   */
  readonly source: string | undefined;
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

/** The `source` of the sessions `serve` records: the only ones retention counts and deletes. */
export const RECORDED_SOURCE = 'simulator';

/**
 * The session logs directly under `dataDir`, oldest first (by last write, then by name: the names are UTC
 * start times). A session is a directory whose first segment (`00000000000000000001.twlog`, or `.twlogz`) has a valid
 * header; anything else under `dataDir` is not listed and never deleted. A missing `dataDir` has none.
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
  // The first segment as written, or compressed once sealed (both carry the same header).
  const meta =
    firstSegmentMetadata(join(dir, segmentFileName(1))) ??
    firstSegmentMetadata(join(dir, compressedSegmentFileName(1)));
  if (meta === undefined) return undefined;
  let bytes = 0;
  let lastWrittenMs = 0;
  for (const name of readdirOrEmpty(dir)) {
    const st = statOrUndefined(join(dir, name));
    if (st === undefined || !st.isFile()) continue;
    bytes += st.size;
    lastWrittenMs = Math.max(lastWrittenMs, st.mtimeMs);
  }
  const source = typeof meta.source === 'string' ? meta.source : undefined;
  return { dir, bytes, lastWrittenMs, locked: liveLockHolder(dir) !== undefined, source };
}

/**
 * Applies `policy` to the sessions `serve` recorded under `dataDir` (source `simulator`; an imported session,
 * `tickwire import … --out data/amzn`, is neither counted nor deleted: it cannot be recorded again): deletes,
 * oldest first, each session last written before
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
  const sessions = listSessions(dataDir).filter((s) => s.source === RECORDED_SOURCE);
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

/** The metadata of a segment file's header, or undefined when it is missing or not a valid segment. */
function firstSegmentMetadata(file: string): Readonly<Record<string, unknown>> | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const fixed = Buffer.alloc(SEGMENT_HEADER_FIXED_BYTES);
    if (fs.readSync(fd, fixed, 0, fixed.length, 0) < fixed.length) return undefined;
    // The header's length: the fixed part, the metadata (its length at byte 12), a CRC32C.
    const metadataBytes = fixed.readUInt32LE(12);
    if (metadataBytes > MAX_METADATA_BYTES) return undefined;
    const header = Buffer.alloc(Math.min(size, SEGMENT_HEADER_FIXED_BYTES + metadataBytes + 4));
    fs.readSync(fd, header, 0, header.length, 0);
    return decodeMetadata(decodeSegmentHeader(header, size, file).metadataBytes) ?? undefined;
  } catch {
    // not a segment (wrong magic, cut short, bad CRC): not a session, never deleted
    return undefined;
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
