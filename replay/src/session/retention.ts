import fs from 'node:fs';
import { resolve } from 'node:path';
import { DataDirListing, DELETING_SUFFIX, type SessionOnDisk } from './data-dir-listing.ts';

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

/** The `source` of the sessions `serve` records: the only ones retention counts and deletes. */
export const RECORDED_SOURCE = 'simulator';

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
  const listing = DataDirListing.read(dataDir);
  // What a crash left of a deletion.
  for (const aside of listing.deleting()) fs.rmSync(aside, { recursive: true, force: true });
  const keep = new Set((options.keep ?? []).map(canonical));
  const sessions = listing.sessionsOnDisk().filter((s) => s.source === RECORDED_SOURCE);
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

/** The same directory by one name, however it was given (relative, through a symlink). */
function canonical(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return resolve(dir);
  }
}
