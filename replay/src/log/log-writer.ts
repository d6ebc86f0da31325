import fs from 'node:fs';
import { releaseLock } from './dir-lock.ts';
import { DurableWaiters } from './durable-waiters.ts';
import { fdatasync } from './file-io.ts';
import { LogError } from './log-error.ts';
import { warnToStderr } from './log-warning.ts';
import { openForAppend } from './log-writer-open.ts';
import {
  checkWriterOptions,
  FLUSH_BYTES,
  type FsyncPolicy,
  type LogWriterOptions,
} from './log-writer-options.ts';
import { newSegment, type OpenSegment, sealSegment } from './open-segment.ts';
import { encodeRecord, MAX_PAYLOAD_BYTES, RECORD_HEADER_BYTES } from './record-codec.ts';
import { Chunk, writeChunks, writeChunksSync } from './segment-chunks.ts';
import { SegmentCompressor } from './segment-compressor.ts';
import { decodeMetadata, encodeMetadata, type LogMetadata } from './segment-header.ts';

/**
 * Appends records to a segmented, checksummed log directory. `append` is synchronous and copies into a
 * buffer; writes and syncs follow the `fsync` policy. One writer per directory (a LOCK file holds its pid).
 * Opening an existing log recovers it (torn tail cut off) and continues it.
 *
 * @example
 * const w = await LogWriter.open('data/session-1', { metadata: { seed: 1 } });
 * const seq = w.append(1, nowUs, payload);
 * await w.whenDurable(seq);
 * await w.close();
 */
export class LogWriter {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  /** the session metadata stored in every segment header */
  readonly metadata: LogMetadata;
  private readonly batchMs: number;
  private readonly segmentBytes: number;
  private readonly metadataBytes: Uint8Array;
  /** null when segments are not compressed */
  private readonly compressor: SegmentCompressor | null;
  private seg: OpenSegment;
  private chunk: Chunk;
  private queue: Chunk[] = [];
  private readonly pool: Uint8Array[] = [];
  private nextSeq: number;
  private lastTs: number;
  private durable: number;
  private durableTs: number;
  /** appended bytes not yet taken by a write */
  private untaken = 0;
  /** appended bytes not yet written */
  private unwritten = 0;
  /** the group-commit timer: armed only while records wait and no flush loop runs (see `schedule`) */
  private timer: NodeJS.Timeout | undefined = undefined;
  /** a flush loop runs: set and cleared only by `startFlushLoop` and `flushLoop` */
  private flushing = false;
  /** the running (or last) flush loop's completion, for `close` */
  private flushed: Promise<void> = Promise.resolve();
  /** asked for another round while the loop was writing (size reached, timer, `flush`) */
  private flushAgain = false;
  private failure: LogError | undefined = undefined;
  private closing: Promise<void> | null = null;
  private readonly waiters = new DurableWaiters();

  private constructor(
    dir: string,
    fsync: FsyncPolicy,
    batchMs: number,
    segmentBytes: number,
    metadataBytes: Uint8Array,
    seg: OpenSegment,
    lastTs: number,
    compressor: SegmentCompressor | null,
  ) {
    this.dir = dir;
    this.compressor = compressor;
    this.fsync = fsync;
    this.batchMs = batchMs;
    this.segmentBytes = segmentBytes;
    this.metadataBytes = metadataBytes;
    this.metadata = decodeMetadata(metadataBytes) as LogMetadata;
    this.seg = seg;
    this.nextSeq = seg.lastSeq + 1;
    this.durable = seg.lastSeq;
    this.lastTs = lastTs;
    this.durableTs = lastTs;
    this.chunk = new Chunk(this.takeBuffer(0), seg, seg.bytes);
  }

  /**
   * Opens `dir` for appending: creates the log (and the directory) when it holds no segment, else recovers it
   * as `LogReader.open` would (a torn tail is cut off and kept in a `.broken` file) and continues after its
   * last record. Takes the directory's LOCK. Throws `LogError`.
   */
  static async open(dir: string, options: LogWriterOptions = {}): Promise<LogWriter> {
    return LogWriter.openSync(dir, options);
  }

  /**
   * {@link LogWriter.open}, synchronously: for a caller that must start a log between two of its own steps, as
   * a recording that rolls to a new session between two engine commands (a new log costs a mkdir, a header
   * write and, unless `fsync` is `none`, a directory sync).
   */
  static openSync(dir: string, options: LogWriterOptions = {}): LogWriter {
    const { fsync, batchMs, segmentBytes, compression } = checkWriterOptions(options);
    const given = options.metadata === undefined ? undefined : encodeMetadata(options.metadata);
    const onWarning = options.onWarning ?? warnToStderr;
    const sync = fsync !== 'none';
    const compressor = compression === 'brotli' ? new SegmentCompressor(dir, sync, onWarning) : null;
    return openForAppend(
      dir,
      given,
      sync,
      compressor,
      onWarning,
      (metadataBytes, seg, lastTs) =>
        new LogWriter(dir, fsync, batchMs, segmentBytes, metadataBytes, seg, lastTs, compressor),
    );
  }

  /** Seq of the last appended record (0 when none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Highest seq known durable: fdatasynced under 'always' and 'batch' (survives a power loss), handed to the
   * operating system under 'none' (survives a process crash).
   */
  get durableSeq(): number {
    return this.durable;
  }

  /** Log time of the last appended record (of the log's last record when opened; 0 for a new log). */
  get lastTsUs(): number {
    return this.lastTs;
  }

  /** Log time of the record at `durableSeq` (as `lastTsUs` when nothing is pending). */
  get durableTsUs(): number {
    return this.durableTs;
  }

  /** The write or sync failure that closed the writer; undefined while it works. */
  get error(): LogError | undefined {
    return this.failure;
  }

  /** Bytes appended but not yet written (for backpressure: pause producing when this grows). */
  get bufferedBytes(): number {
    return this.unwritten;
  }

  /**
   * Appends a record and returns its seq. Synchronous: under 'batch' and 'none' the record is copied into a
   * buffer (no system call); under 'always' it is written and fdatasynced before this returns. Throws
   * `LogError` `BAD_APPEND` (type not 0–255, tsUs not a safe integer or below the previous record's, payload
   * over 64 MiB), `CLOSED`, or the write failure that closed the writer.
   */
  append(type: number, tsUs: number, payload: Uint8Array): number {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== null) throw new LogError('CLOSED', 'the writer is closed', { file: this.dir });
    if ((type & 0xff) !== type)
      throw new LogError('BAD_APPEND', `type must be an integer 0–255, got ${type}`);
    if (!Number.isSafeInteger(tsUs) || tsUs < this.lastTs) {
      throw new LogError(
        'BAD_APPEND',
        `tsUs must be a safe integer ≥ the previous record's ${this.lastTs}, got ${tsUs}`,
      );
    }
    const n = payload.length;
    if (n > MAX_PAYLOAD_BYTES)
      throw new LogError('BAD_APPEND', `payload of ${n} bytes is over ${MAX_PAYLOAD_BYTES}`);
    const size = RECORD_HEADER_BYTES + n;
    let seg = this.seg;
    if (seg.bytes + size > this.segmentBytes && seg.lastSeq >= seg.firstSeq) seg = this.rotate();
    let c = this.chunk;
    if (c.len + size > c.buf.length) {
      this.closeChunk();
      c = this.chunk;
      if (size > c.buf.length) c.buf = new Uint8Array(size);
    }
    const seq = this.nextSeq;
    encodeRecord(c.buf, c.len, seq, tsUs, type, payload);
    seg.index.observe(tsUs, seq, seg.bytes);
    seg.lastSeq = seq;
    seg.lastTsUs = tsUs;
    seg.lastOffset = seg.bytes;
    seg.bytes += size;
    c.len += size;
    c.lastSeq = seq;
    c.lastTsUs = tsUs;
    this.nextSeq = seq + 1;
    this.lastTs = tsUs;
    this.untaken += size;
    this.unwritten += size;
    if (this.fsync === 'always') this.flushSync();
    else if (this.untaken >= FLUSH_BYTES) this.requestFlush();
    else this.schedule();
    return seq;
  }

  /**
   * Resolves once `seq` is durable (see `durableSeq`); rejects with the `LogError` that closed the writer if
   * a write or sync fails first. Throws `LogError` `BAD_OPTION` for a seq not appended yet.
   */
  whenDurable(seq: number): Promise<void> {
    if (seq <= this.durable) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (!(seq <= this.lastSeq)) {
      return Promise.reject(
        new LogError('BAD_OPTION', `seq ${seq} is not appended yet (last ${this.lastSeq})`),
      );
    }
    return this.waiters.add(seq);
  }

  /** Writes (and under 'always'/'batch' syncs) everything appended so far now, without waiting for the timer. */
  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.fsync !== 'always' && this.untaken > 0) this.requestFlush();
    return this.whenDurable(this.lastSeq);
  }

  /**
   * Writes what is buffered, fdatasyncs the last segment (under every policy, 'none' included), closes it and
   * releases the lock. With compression, the last segment (if it holds records) is sealed (its index sidecar
   * written) and compressed, and `close` resolves once every sealed segment is compressed. Rejects with the
   * write failure if one closed the writer.
   */
  close(): Promise<void> {
    if (this.closing === null) this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.clearTimer();
    try {
      // `closing` is set, so no timer is armed any more: drain what the running loop and the buffer hold.
      while (this.failure === undefined && (this.flushing || this.untaken > 0)) {
        if (!this.flushing) this.startFlushLoop();
        await this.flushed;
      }
      if (this.failure === undefined && this.seg.fd >= 0) {
        try {
          await fdatasync(this.seg.fd);
          const seg = this.seg;
          // A session finished cleanly: its last segment is sealed and compressed like the others.
          if (this.compressor !== null && seg.lastSeq >= seg.firstSeq) {
            await sealSegment(this.dir, seg, this.fsync !== 'none');
            this.compressor.enqueue(seg.path, seg.index, seg.bytes);
          }
        } catch (err) {
          this.fail(err);
        }
      }
      await this.compressor?.drain();
    } finally {
      if (this.seg.fd >= 0) fs.closeSync(this.seg.fd);
      this.seg.fd = -1;
      releaseLock(this.dir);
      this.rejectWaiters(this.failure ?? new LogError('CLOSED', 'the writer was closed', { file: this.dir }));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.requestFlush();
  };

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts the next segment: the current chunk seals the old one. */
  private rotate(): OpenSegment {
    this.chunk.seals = true;
    const seg = newSegment(this.dir, this.nextSeq, this.metadataBytes);
    this.seg = seg;
    this.closeChunk();
    return seg;
  }

  /** Queues the current chunk (if it holds records or seals) and starts a fresh one for the current segment. */
  private closeChunk(): void {
    const c = this.chunk;
    if (c.len > 0 || c.seals) this.queue.push(c);
    else this.pool.push(c.buf);
    this.chunk = new Chunk(this.takeBuffer(0), this.seg, this.seg.bytes);
  }

  private takeBuffer(min: number): Uint8Array {
    const b = this.pool.pop();
    return b !== undefined && b.length >= min ? b : new Uint8Array(Math.max(FLUSH_BYTES, min));
  }

  /*
   * The group commit is a small state machine with one owner of "a flush is in progress": the `flushing` flag,
   * set only by `startFlushLoop` and cleared only when that loop ends. Its invariant: whenever records wait to
   * be taken (`untaken > 0`), either the loop runs (and will take them: it re-checks before it ends), or the
   * timer is armed, or the writer has failed or is closing (then `close` drains them). The timer is armed in
   * one place, `schedule`, and only when no loop runs, so it can never fire into a loop that already took its
   * records. (Issue 11: an async loop that ended synchronously cleared its in-progress promise before the
   * caller stored it, and the stored, settled promise then blocked every later flush.)
   */

  /** Records wait: arm the group-commit timer, unless a loop runs (it takes them) or one is armed already. */
  private schedule(): void {
    if (this.flushing || this.timer !== undefined) return;
    if (this.untaken === 0 || this.failure !== undefined || this.closing !== null) return;
    this.timer = setTimeout(this.onTimer, this.batchMs);
  }

  /** Write now (size reached, timer fired, `flush` called): start the loop, or ask the running one for more. */
  private requestFlush(): void {
    this.clearTimer();
    if (this.failure !== undefined) return;
    if (this.flushing) this.flushAgain = true;
    else this.startFlushLoop();
  }

  /** The only place a flush loop starts. */
  private startFlushLoop(): void {
    this.flushing = true;
    this.flushAgain = false;
    this.flushed = this.flushLoop();
  }

  /**
   * The group-commit loop: takes everything buffered, writes and syncs it, and goes round again while asked to
   * during a write. Records appended during its last write and not asked for wait for the timer it arms when
   * it ends, so a busy writer still commits in groups of about `batchMs`.
   */
  private async flushLoop(): Promise<void> {
    try {
      for (;;) {
        this.flushAgain = false;
        const batch = this.takeAll();
        if (batch.length > 0) await this.writeBatch(batch);
        if (!this.flushAgain || this.failure !== undefined) break;
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.flushing = false;
    }
    this.schedule();
  }

  /** Every queued chunk plus the current one, which is replaced by a fresh one. */
  private takeAll(): Chunk[] {
    if (this.chunk.len > 0) this.closeChunk();
    const batch = this.queue;
    this.queue = [];
    this.untaken = 0;
    return batch;
  }

  private async writeBatch(batch: readonly Chunk[]): Promise<void> {
    const { upTo, upToTs } = await writeChunks(
      this.dir,
      batch,
      this.fsync !== 'none',
      this.compressor,
      (bytes) => {
        this.unwritten -= bytes;
      },
    );
    for (const c of batch) if (c.buf.length === FLUSH_BYTES) this.pool.push(c.buf);
    this.advance(upTo, upToTs);
  }

  /** 'always': writes and syncs everything now, on this thread. */
  private flushSync(): void {
    try {
      const batch = this.queue;
      this.queue = [];
      writeChunksSync(this.dir, batch, this.chunk, this.compressor);
      for (const c of batch) if (c.buf.length === FLUSH_BYTES) this.pool.push(c.buf);
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
    this.untaken = 0;
    this.unwritten = 0;
    this.advance(this.nextSeq - 1, this.lastTs);
  }

  private advance(upTo: number, upToTsUs: number): void {
    if (upTo <= this.durable) return;
    this.durable = upTo;
    this.durableTs = upToTsUs;
    this.waiters.resolveUpTo(upTo);
  }

  /** A write or sync failed: the writer is closed for appends (data after `durableSeq` may be lost). */
  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure =
      err instanceof LogError
        ? err
        : new LogError(
            'IO_FAILED',
            `write or sync failed, the writer is closed (durable up to seq ${this.durable}): ${(err as Error).message}`,
            { file: this.seg.path, cause: err },
          );
    this.clearTimer();
    this.rejectWaiters(this.failure);
  }

  private rejectWaiters(err: Error): void {
    this.waiters.rejectAll(err);
  }
}
