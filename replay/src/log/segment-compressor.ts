import { compressSegment } from './compress-segment.ts';
import type { LogWarningHandler } from './log-warning.ts';
import type { SparseIndex } from './sparse-index.ts';

/** A sealed segment waiting to be compressed. */
interface Job {
  readonly path: string;
  readonly index: SparseIndex;
  readonly rawBytes: number;
}

/**
 * The writer's background compression of sealed segments: one at a time (at most one brotli in the thread
 * pool, so the group commit's writes and syncs always find a free thread), in the order they were sealed,
 * never waited for by `append`. A failure is a `COMPRESSION_FAILED` warning: the segment stays a `.twlog`,
 * whole and readable (`tickwire log compress` can try again).
 */
export class SegmentCompressor {
  private readonly dir: string;
  private readonly sync: boolean;
  private readonly onWarning: LogWarningHandler;
  private readonly queue: Job[] = [];
  /** a run loop is going: set and cleared only by `enqueue` and `run` */
  private busy = false;
  private running: Promise<void> = Promise.resolve();
  /** raw and stored bytes of the segments compressed so far */
  rawBytes = 0;
  storedBytes = 0;

  /** `sync`: fsync the compressed files (false under the fsync policy `none`) */
  constructor(dir: string, sync: boolean, onWarning: LogWarningHandler) {
    this.dir = dir;
    this.sync = sync;
    this.onWarning = onWarning;
  }

  /** Segments sealed and not compressed yet (the one being compressed included). */
  get pending(): number {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  /** Queues the sealed segment `path` (a `.twlog` of `rawBytes` bytes indexed by `index`). */
  enqueue(path: string, index: SparseIndex, rawBytes: number): void {
    this.queue.push({ path, index, rawBytes });
    if (this.busy) return;
    this.busy = true;
    this.running = this.run();
  }

  /** Resolves once every queued segment is compressed (or has failed, with its warning). */
  async drain(): Promise<void> {
    while (this.busy) await this.running;
  }

  private async run(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        try {
          const done = await compressSegment(this.dir, job.path, job.index, job.rawBytes, this.sync);
          this.rawBytes += done.rawBytes;
          this.storedBytes += done.storedBytes;
        } catch (err) {
          this.onWarning({
            code: 'COMPRESSION_FAILED',
            message: `${job.path}: not compressed, it stays as it is: ${(err as Error).message}`,
            file: job.path,
            offset: null,
          });
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
