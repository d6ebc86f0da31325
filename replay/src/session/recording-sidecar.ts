import fs from 'node:fs';
import path from 'node:path';
import { ReplayError } from './replay-error.ts';

/** The file beside a session's segments that says its recording is not whole (replay/README.md). */
export const RECORDING_SIDECAR = 'recording.json';

/**
 * Why a session's log ends before the session did: written by the recorder when the recording is degraded
 * (it fell behind past its bound) or failed (a write or sync error), updated at close. A session without this
 * file was recorded whole (or cut by a crash: then `log verify` notes a torn tail).
 */
export interface RecordingSidecar {
  readonly state: 'degraded' | 'failed';
  readonly reason: string;
  /** feed time when the recorder stopped appending, µs since the epoch */
  readonly stoppedUs: number;
  /** seq of the last record appended before it stopped (what the log holds when it is also durable) */
  readonly lastSeq: number;
  /** records not written since, counted until the recording was closed */
  readonly droppedRecords: number;
  readonly writeErrors: number;
}

/**
 * Writes the sidecar atomically (a `.tmp` renamed over it, synced). Returns the error instead of throwing: the
 * directory may be gone or the disk full, which is what a failed recording is about.
 */
export function writeRecordingSidecar(dir: string, sidecar: RecordingSidecar): Error | undefined {
  const file = path.join(dir, RECORDING_SIDECAR);
  const tmp = `${file}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(sidecar, null, 2)}\n`, { flush: true });
    fs.renameSync(tmp, file);
    return undefined;
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    return error as Error;
  }
}

/**
 * The sidecar of the session in `dir`, or null when it has none. Throws `ReplayError` `BAD_SESSION` when it
 * cannot be read or parsed.
 */
export function readRecordingSidecar(dir: string): RecordingSidecar | null {
  const file = path.join(dir, RECORDING_SIDECAR);
  let v: Partial<RecordingSidecar>;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RecordingSidecar>;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReplayError('BAD_SESSION', `${file}: ${(cause as Error).message}`, { cause });
  }
  if ((v.state !== 'degraded' && v.state !== 'failed') || typeof v.reason !== 'string') {
    throw new ReplayError('BAD_SESSION', `${file}: not a recording status (state, reason)`);
  }
  return v as RecordingSidecar;
}
