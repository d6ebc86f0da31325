import type { Writable } from 'node:stream';

/** Lines are gathered into chunks of about this many UTF-16 units before a write. */
const CHUNK_CHARS = 1 << 16;

/**
 * Writes lines to a stream in large chunks, waiting for `drain` when the stream's buffer is full, and
 * treats a closed reader (`EPIPE`, e.g. `| head`) as the end of output rather than an error.
 */
export class LineWriter {
  /** true once the reader has gone away (or the stream failed): further lines are dropped */
  closed = false;
  /** a failure other than the reader going away */
  error: Error | undefined;
  private parts: string[] = [];
  private chars = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Writable) {
    stream.on('error', this.onError);
    stream.on('drain', this.onWake);
    stream.on('close', this.onClose);
  }

  /** Queues one line (with its newline). */
  push(line: string): void {
    this.parts.push(line);
    this.chars += line.length;
  }

  /** True when enough is queued that the caller should `flush()`. */
  get full(): boolean {
    return this.chars >= CHUNK_CHARS;
  }

  /** Writes what is queued; resolves once the stream can take more (or has closed). */
  async flush(): Promise<void> {
    if (this.chars === 0 && this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    if (this.closed) return;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /**
   * Flushes what is queued. The stream is not ended (it may be process.stdout), and the error listener stays:
   * an EPIPE from the last write can arrive after this resolves and must not crash the process.
   */
  async close(): Promise<void> {
    await this.flush();
    this.stream.off('drain', this.onWake);
    this.stream.off('close', this.onClose);
  }

  private readonly onError = (err: NodeJS.ErrnoException): void => {
    this.closed = true;
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') this.error = err;
    this.onWake();
  };

  private readonly onClose = (): void => {
    this.closed = true;
    this.onWake();
  };

  private readonly onWake = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };
}
