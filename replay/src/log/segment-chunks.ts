import fs from 'node:fs';
import { fdatasync, writeFullySync, writevFully } from './file-io.ts';
import {
  createSegmentFile,
  createSegmentFileSync,
  type OpenSegment,
  sealSegment,
  sealSegmentSync,
} from './open-segment.ts';
import type { SegmentCompressor } from './segment-compressor.ts';

/** A write buffer of one segment's records: written at `position` in that segment. */
export class Chunk {
  buf: Uint8Array;
  len = 0;
  segment: OpenSegment;
  /** file offset of buf[0] */
  position: number;
  /** seq of the last record in it; 0 when empty */
  lastSeq = 0;
  /** log time of that record */
  lastTsUs = 0;
  /** the segment is complete after this chunk: seal it (sync, index sidecar, close) */
  seals = false;

  constructor(buf: Uint8Array, segment: OpenSegment, position: number) {
    this.buf = buf;
    this.segment = segment;
    this.position = position;
  }
}

/**
 * Writes `batch` (queued chunks, in file order) to their segments, creating a segment's file first if it is not
 * there yet: one writev per segment, then (with `sync`) an fdatasync, and a segment a chunk seals is sealed and
 * handed to `compressor`. Calls `onWritten` with each segment's bytes once written; returns the last seq written
 * and its time.
 */
export async function writeChunks(
  dir: string,
  batch: readonly Chunk[],
  sync: boolean,
  compressor: SegmentCompressor | null,
  onWritten: (bytes: number) => void,
): Promise<{ upTo: number; upToTs: number }> {
  let upTo = 0;
  let upToTs = 0;
  let i = 0;
  while (i < batch.length) {
    const seg = (batch[i] as Chunk).segment;
    // Off the event loop too: a rotation costs a few syncs, once per segment.
    if (seg.fd < 0) await createSegmentFile(dir, seg, sync);
    let seals = false;
    // One writev for the segment's chunks (contiguous in the file): a flush costs two trips to the thread
    // pool (write, sync) however much it holds, so a busy event loop, which runs one pump between two I/O
    // completions, still moves the durable frontier every few pumps.
    const parts: Uint8Array[] = [];
    const position = (batch[i] as Chunk).position;
    let bytes = 0;
    for (; i < batch.length && (batch[i] as Chunk).segment === seg; i++) {
      const c = batch[i] as Chunk;
      if (c.position !== position + bytes) throw new Error('bug: the chunks of a segment are not contiguous');
      if (c.len > 0) parts.push(c.buf.subarray(0, c.len));
      bytes += c.len;
      if (c.lastSeq > upTo) {
        upTo = c.lastSeq;
        upToTs = c.lastTsUs;
      }
      seals = seals || c.seals;
    }
    if (parts.length > 0) await writevFully(seg.fd, parts, position);
    onWritten(bytes);
    if (sync) await fdatasync(seg.fd);
    if (seals) {
      await sealSegment(dir, seg, sync);
      compressor?.enqueue(seg.path, seg.index, seg.bytes);
    }
  }
  return { upTo, upToTs };
}

/**
 * `writeChunks` on this thread, always synced, then the `active` chunk (still being filled) too: its buffer is
 * free again after, for records that follow at the new end of the file.
 */
export function writeChunksSync(
  dir: string,
  batch: readonly Chunk[],
  active: Chunk,
  compressor: SegmentCompressor | null,
): void {
  let i = 0;
  while (i < batch.length) {
    const seg = (batch[i] as Chunk).segment;
    if (seg.fd < 0) createSegmentFileSync(dir, seg, true);
    let seals = false;
    for (; i < batch.length && (batch[i] as Chunk).segment === seg; i++) {
      const c = batch[i] as Chunk;
      writeFullySync(seg.fd, c.buf, 0, c.len, c.position);
      seals = seals || c.seals;
    }
    fs.fdatasyncSync(seg.fd);
    if (seals) {
      sealSegmentSync(dir, seg, true);
      compressor?.enqueue(seg.path, seg.index, seg.bytes);
    }
  }
  const seg = active.segment;
  if (seg.fd < 0) createSegmentFileSync(dir, seg, true);
  writeFullySync(seg.fd, active.buf, 0, active.len, active.position);
  fs.fdatasyncSync(seg.fd);
  // The buffer is free again: the next record goes to its start, at the new end of the file.
  active.position += active.len;
  active.len = 0;
}
