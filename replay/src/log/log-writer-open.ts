import fs from 'node:fs';
import path from 'node:path';
import { acquireLock, releaseLock } from './dir-lock.ts';
import { fsyncDirSync } from './file-io.ts';
import { LogError } from './log-error.ts';
import { openLayout } from './log-layout.ts';
import { closeSegments, type Segment } from './log-segment.ts';
import type { LogWarningHandler } from './log-warning.ts';
import { continuedSegment, createSegmentFileSync, newSegment, type OpenSegment } from './open-segment.ts';
import type { SegmentCompressor } from './segment-compressor.ts';
import { inDir, segmentNames, TEMP_SUFFIX } from './segment-files.ts';

/**
 * Gets `dir` ready for a writer and makes it with `make`, holding the directory's LOCK: creates the directory
 * and the log's first segment when it holds none (with `given` metadata), else recovers the log as
 * `LogReader.open` would (a torn tail cut off and kept) and goes on after its last record, in its last segment
 * or, if that one was sealed and compressed, in a new one. Sealed segments left uncompressed are handed to
 * `compressor`. Releases the lock if anything fails; throws `LogError`.
 */
export function openForAppend<T>(
  dir: string,
  given: Uint8Array | undefined,
  sync: boolean,
  compressor: SegmentCompressor | null,
  onWarning: LogWarningHandler,
  make: (metadataBytes: Uint8Array, seg: OpenSegment, lastTs: number) => T,
): T {
  let created: string | undefined;
  try {
    created = fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new LogError('IO_FAILED', `cannot create the directory: ${(err as Error).message}`, {
      file: dir,
      cause: err,
    });
  }
  if (created !== undefined && sync) fsyncDirSync(path.dirname(created));
  acquireLock(dir, onWarning);
  try {
    const names = fs.readdirSync(dir);
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        const file = inDir(dir, name);
        fs.rmSync(file, { force: true });
        onWarning({
          code: 'TEMP_FILE_REMOVED',
          message: `${file}: removed an unfinished file left by a crash`,
          file,
          offset: null,
        });
      }
    }
    if (segmentNames(names).length === 0) {
      if (given === undefined) {
        throw new LogError('BAD_OPTION', 'metadata is required to create a log', { file: dir });
      }
      const seg = newSegment(dir, 1, given);
      createSegmentFileSync(dir, seg, sync);
      return make(given, seg, 0);
    }
    const layout = openLayout(dir, { repair: true, lockOwned: true, verify: 'tail', onWarning });
    closeSegments(layout.segments);
    if (given !== undefined && !sameBytes(given, layout.metadataBytes)) {
      throw new LogError('METADATA_MISMATCH', 'the log holds other metadata than the writer was given', {
        file: layout.segments[0]?.path ?? dir,
        offset: 24,
      });
    }
    let lastTs = 0;
    for (const s of layout.segments) if (s.lastSeq >= s.firstSeq) lastTs = s.lastTsUs;
    const last = layout.segments.at(-1) as Segment;
    // Closed cleanly and compressed: the log goes on in a new segment. Else the last segment grows again.
    const seg = last.file.compressed
      ? newSegment(dir, last.lastSeq + 1, layout.metadataBytes)
      : continuedSegment(last, sync);
    // Sealed segments a crash (or a writer without compression) left uncompressed: queued once nothing
    // can fail any more, so that none is compressed without this writer holding the lock.
    for (const s of layout.segments) {
      if (s !== last && !s.file.compressed) compressor?.enqueue(s.path, s.index, s.endOffset);
    }
    return make(layout.metadataBytes, seg, lastTs);
  } catch (err) {
    releaseLock(dir);
    if (err instanceof LogError) throw err;
    throw new LogError('IO_FAILED', `cannot open the log: ${(err as Error).message}`, {
      file: dir,
      cause: err,
    });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
