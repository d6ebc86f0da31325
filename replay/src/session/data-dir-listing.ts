import fs from 'node:fs';
import { join } from 'node:path';
import { liveLockHolder } from '../log/dir-lock.ts';
import { compressedSegmentFileName, segmentFileName } from '../log/segment-files.ts';
import {
  decodeMetadata,
  decodeSegmentHeader,
  MAX_METADATA_BYTES,
  SEGMENT_HEADER_FIXED_BYTES,
} from '../log/segment-header.ts';

/**
 * A session being deleted is first renamed with this suffix (one atomic rename), so a crash in the middle of
 * deleting its files never leaves a half session that looks like a log with missing segments; the next
 * retention pass finishes the deletion.
 */
export const DELETING_SUFFIX = '.deleting';

/** A session directory of a data directory, as `tickwire serve` names them (see `newSessionDir`). */
export interface RecordedSessionDir {
  /** the directory's name: its UTC start, `2026-12-01T21-49-44Z`, with `-2`, `-3` … when one second had two */
  readonly name: string;
  /** the directory's path (`dataDir` joined with `name`) */
  readonly dir: string;
}

/** One recorded session found in a data directory, as retention weighs it. */
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

/** The names `newSessionDir` gives: a UTC second, and a counter from 2 when that second was taken. */
const SESSION_DIR_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(\d+))?$/;

interface Entry {
  readonly name: string;
  readonly isDirectory: boolean;
}

/**
 * What a data directory holds, listed once (one `readdir`), seen two ways that read different things on
 * purpose:
 *
 * - {@link DataDirListing.recordedSessions}, **by name**, for continuing the newest session after a restart:
 *   the directories `serve` named, ordered by the UTC start in the name. Only names are read: start-up stays
 *   cheap however many sessions there are, and a newest directory that does not hold a readable log is still
 *   seen, so the caller can say why it skips it.
 * - {@link DataDirListing.sessionsOnDisk}, **by header and modification time**, for retention: every entry
 *   whose first segment has a valid header, whatever its name (an import's `--out data/amzn` too), with its
 *   bytes, last write and lock. Anything without a valid header is not a session and so is never deleted.
 *
 * Plus {@link DataDirListing.deleting}: what a crash left of a deletion. A missing data directory lists empty.
 */
export class DataDirListing {
  readonly dataDir: string;
  readonly #entries: readonly Entry[];

  private constructor(dataDir: string, entries: readonly Entry[]) {
    this.dataDir = dataDir;
    this.#entries = entries;
  }

  /** Lists `dataDir` (nothing when it does not exist). */
  static read(dataDir: string): DataDirListing {
    let entries: Entry[];
    try {
      entries = fs
        .readdirSync(dataDir, { withFileTypes: true })
        .map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') entries = [];
      else throw error;
    }
    return new DataDirListing(dataDir, entries);
  }

  /**
   * The session directories `tickwire serve` recorded, oldest first (by the UTC start in the name, then its
   * counter). Whether one holds a readable session is for the caller to find out; other entries (an import's
   * `--out data/amzn`, files) are not sessions `serve` recorded and are left out.
   */
  recordedSessions(): RecordedSessionDir[] {
    const keyed = this.#entries.flatMap(({ name, isDirectory }) => {
      const m = isDirectory ? SESSION_DIR_NAME.exec(name) : null;
      return m === null ? [] : [{ name, stamp: m[1] as string, n: m[2] === undefined ? 1 : Number(m[2]) }];
    });
    keyed.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.n - b.n));
    return keyed.map(({ name }) => ({ name, dir: join(this.dataDir, name) }));
  }

  /**
   * The session logs, oldest first (by last write, then by name: the names are UTC start times). A session is
   * an entry whose first segment (`00000000000000000001.twlog`, or `.twlogz`) has a valid header; one being deleted is not.
   */
  sessionsOnDisk(): SessionOnDisk[] {
    const out: SessionOnDisk[] = [];
    for (const { name } of this.#entries) {
      if (name.endsWith(DELETING_SUFFIX)) continue;
      const usage = sessionUsage(join(this.dataDir, name));
      if (usage !== undefined) out.push(usage);
    }
    return out.sort(
      (a, b) => a.lastWrittenMs - b.lastWrittenMs || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0),
    );
  }

  /** The paths of sessions whose deletion a crash interrupted (`<session>.deleting`). */
  deleting(): string[] {
    return this.#entries
      .filter((e) => e.name.endsWith(DELETING_SUFFIX))
      .map((e) => join(this.dataDir, e.name));
  }
}

/** {@link DataDirListing.recordedSessions} of `dataDir`, listed now. */
export function listRecordedSessions(dataDir: string): RecordedSessionDir[] {
  return DataDirListing.read(dataDir).recordedSessions();
}

/** {@link DataDirListing.sessionsOnDisk} of `dataDir`, listed now. */
export function listSessions(dataDir: string): SessionOnDisk[] {
  return DataDirListing.read(dataDir).sessionsOnDisk();
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
