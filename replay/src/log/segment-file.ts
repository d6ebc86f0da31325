import fs from 'node:fs';
import type { CompressedSegmentFile } from './compressed-segment-file.ts';
import { readFully } from './file-io.ts';

/** A segment as written (`.twlog`): positional reads of the file. */
export class RawSegmentFile {
  readonly compressed = false;
  readonly path: string;
  readonly fd: number;
  /** the file's size when opened (the valid end of the last segment may be less: `Segment.endOffset`) */
  readonly size: number;

  constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.fd = fd;
    this.size = size;
  }

  /** Bytes on disk. */
  get storedBytes(): number {
    return this.size;
  }

  /** Reads up to `length` bytes at `position` into `buffer[offset…]`; fewer only at the end of the file. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    return readFully(this.fd, buffer, offset, length, position, this.path);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * A segment file open for reading, stored as written or compressed: either way `read` takes offsets in the
 * segment as written (header and records), the offsets the index stores.
 */
export type SegmentFile = RawSegmentFile | CompressedSegmentFile;
