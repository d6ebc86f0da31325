import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireLock, releaseLock } from './dir-lock.ts';
import {
  fdatasync,
  fsyncDir,
  fsyncDirSync,
  writeFileAtomic,
  writeFileAtomicSync,
  writeFully,
  writeFullySync,
  writevFully,
} from './file-io.ts';
import { LogError } from './log-error.ts';
import { openLayout } from './log-layout.ts';
import { closeSegments, type Segment } from './log-segment.ts';
import { type LogWarningHandler, warnToStderr } from './log-warning.ts';
import { encodeRecord, MAX_PAYLOAD_BYTES, RECORD_HEADER_BYTES } from './record-codec.ts';
import { SegmentCompressor } from './segment-compressor.ts';
import { inDir, indexPathOf, segmentFileName, segmentNames, TEMP_SUFFIX } from './segment-files.ts';
import { decodeMetadata, encodeMetadata, encodeSegmentHeader, type LogMetadata } from './segment-header.ts';
import { encodeIndexSidecar, SparseIndex } from './sparse-index.ts';

/**
 * When appended records reach the disk (replay/README.md, "Durability"):
 * - `always`: `append` writes the record and fdatasyncs before it returns; it is durable when `append` returns.
 * - `batch`: group commit: records are buffered and written (one writev) + fdatasynced together, off the event
 *   loop, `batchMs` after the first waiting record or once 1 MiB is buffered; records appended during a flush go
 *   in the next one; `durableSeq` says how far that got.
 * - `none`: written on the same timer/size but never fsynced (only `close` syncs); `durableSeq` means "handed
 *   to the operating system": safe from a process crash, not from a power loss.
 */
export type FsyncPolicy = 'always' | 'batch' | 'none';

/**
 * How sealed segments are stored (replay/README.md, "Compressed segments"): `brotli` compresses each one in
 * the background once it is sealed (full, or the last one at `close`) into a `.twlogz`; `none` keeps `.twlog`.
 */
export type SegmentCompression = 'brotli' | 'none';

/** Options of `LogWriter.open`. */
export interface LogWriterOptions {
  /** durability policy (default 'batch') */
  readonly fsync?: FsyncPolicy;
  /** group-commit interval of 'batch' and write interval of 'none', in ms (default 2) */
  readonly batchMs?: number;
  /** a new segment is started before a record would take the current one past this size (default 64 MiB) */
  readonly segmentBytes?: number;
  /**
   * session metadata, stored in every segment header. Required to create a log; when opening an existing one
   * it may be left out, and if given must equal the stored metadata (else `METADATA_MISMATCH`).
   */
  readonly metadata?: LogMetadata;
  /**
   * 'brotli' (default): each sealed segment is compressed in the background into a `.twlogz` (one at a time,
   * never in the way of `append`), and `close` seals and compresses the last one too; a log reopened after
   * that goes on in a new segment. 'none': segments stay `.twlog`, and the last one grows again on reopen.
   */
  readonly compression?: SegmentCompression;
  /** recovery warnings; default a line on stderr */
  readonly onWarning?: LogWarningHandler;
}

const openAsync = promisify(fs.open);
const fsyncAsync = promisify(fs.fsync);

/** Default segment size: 64 MiB. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Default group-commit interval. */
export const DEFAULT_BATCH_MS = 2;
/** Buffered bytes that start a write without waiting for the timer (also the size of a write buffer). */
export const FLUSH_BYTES = 1024 * 1024;
/** Smallest `segmentBytes` accepted. */
export const MIN_SEGMENT_BYTES = 1024;

/** The segment being appended to. Its file is created by the first write that reaches it. */
class OpenSegment {
  readonly path: string;
  readonly firstSeq: number;
  /** the header, until the file is created; null after */
  header: Uint8Array | null;
  /** -1 until the file is created */
  fd = -1;
  /** size including records appended but not yet written */
  bytes: number;
  lastSeq: number;
  lastTsUs: number;
  lastOffset: number;
  readonly index: SparseIndex;

  constructor(
    path: string,
    firstSeq: number,
    header: Uint8Array | null,
    bytes: number,
    index: SparseIndex,
    lastSeq: number,
    lastTsUs: number,
    lastOffset: number,
  ) {
    this.path = path;
    this.firstSeq = firstSeq;
    this.header = header;
    this.bytes = bytes;
    this.index = index;
    this.lastSeq = lastSeq;
    this.lastTsUs = lastTsUs;
    this.lastOffset = lastOffset;
  }
}

/** A write buffer of one segment's records: written at `position` in that segment. */
class Chunk {
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
  private readonly waitSeq: number[] = [];
  private readonly waitResolve: (() => void)[] = [];
  private readonly waitReject: ((err: Error) => void)[] = [];

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
    const fsyncPolicy = options.fsync ?? 'batch';
    if (fsyncPolicy !== 'always' && fsyncPolicy !== 'batch' && fsyncPolicy !== 'none') {
      throw new LogError('BAD_OPTION', `fsync must be always, batch or none, got ${String(fsyncPolicy)}`);
    }
    const batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    if (!(Number.isFinite(batchMs) && batchMs >= 0 && batchMs <= 60_000)) {
      throw new LogError('BAD_OPTION', `batchMs must be from 0 to 60000, got ${batchMs}`);
    }
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!(Number.isSafeInteger(segmentBytes) && segmentBytes >= MIN_SEGMENT_BYTES)) {
      throw new LogError(
        'BAD_OPTION',
        `segmentBytes must be an integer ≥ ${MIN_SEGMENT_BYTES}, got ${segmentBytes}`,
      );
    }
    const compression = options.compression ?? 'brotli';
    if (compression !== 'brotli' && compression !== 'none') {
      throw new LogError('BAD_OPTION', `compression must be brotli or none, got ${String(compression)}`);
    }
    const given = options.metadata === undefined ? undefined : encodeMetadata(options.metadata);
    const onWarning = options.onWarning ?? warnToStderr;
    const sync = fsyncPolicy !== 'none';
    const compressor = compression === 'brotli' ? new SegmentCompressor(dir, sync, onWarning) : null;

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
        return new LogWriter(dir, fsyncPolicy, batchMs, segmentBytes, given, seg, 0, compressor);
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
      return new LogWriter(
        dir,
        fsyncPolicy,
        batchMs,
        segmentBytes,
        layout.metadataBytes,
        seg,
        lastTs,
        compressor,
      );
    } catch (err) {
      releaseLock(dir);
      if (err instanceof LogError) throw err;
      throw new LogError('IO_FAILED', `cannot open the log: ${(err as Error).message}`, {
        file: dir,
        cause: err,
      });
    }
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
    return new Promise<void>((resolve, reject) => {
      // Usually asked in increasing order: insert from the back.
      let i = this.waitSeq.length;
      while (i > 0 && (this.waitSeq[i - 1] as number) > seq) i--;
      this.waitSeq.splice(i, 0, seq);
      this.waitResolve.splice(i, 0, resolve);
      this.waitReject.splice(i, 0, reject);
    });
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
    const sync = this.fsync !== 'none';
    let upTo = 0;
    let upToTs = 0;
    let i = 0;
    while (i < batch.length) {
      const seg = (batch[i] as Chunk).segment;
      // Off the event loop too: a rotation costs a few syncs, once per segment.
      if (seg.fd < 0) await createSegmentFile(this.dir, seg, sync);
      let seals = false;
      // One writev for the segment's chunks (contiguous in the file): a flush costs two trips to the thread
      // pool (write, sync) however much it holds, so a busy event loop, which runs one pump between two I/O
      // completions, still moves the durable frontier every few pumps.
      const parts: Uint8Array[] = [];
      const position = (batch[i] as Chunk).position;
      let bytes = 0;
      for (; i < batch.length && (batch[i] as Chunk).segment === seg; i++) {
        const c = batch[i] as Chunk;
        if (c.position !== position + bytes)
          throw new Error('bug: the chunks of a segment are not contiguous');
        if (c.len > 0) parts.push(c.buf.subarray(0, c.len));
        bytes += c.len;
        if (c.lastSeq > upTo) {
          upTo = c.lastSeq;
          upToTs = c.lastTsUs;
        }
        seals = seals || c.seals;
      }
      if (parts.length > 0) await writevFully(seg.fd, parts, position);
      this.unwritten -= bytes;
      if (sync) await fdatasync(seg.fd);
      if (seals) {
        await sealSegment(this.dir, seg, sync);
        this.compressor?.enqueue(seg.path, seg.index, seg.bytes);
      }
    }
    for (const c of batch) if (c.buf.length === FLUSH_BYTES) this.pool.push(c.buf);
    this.advance(upTo, upToTs);
  }

  /** 'always': writes and syncs everything now, on this thread. */
  private flushSync(): void {
    try {
      const batch = this.queue;
      this.queue = [];
      const active = this.chunk;
      let i = 0;
      while (i < batch.length) {
        const seg = (batch[i] as Chunk).segment;
        if (seg.fd < 0) createSegmentFileSync(this.dir, seg, true);
        let seals = false;
        for (; i < batch.length && (batch[i] as Chunk).segment === seg; i++) {
          const c = batch[i] as Chunk;
          writeFullySync(seg.fd, c.buf, 0, c.len, c.position);
          seals = seals || c.seals;
        }
        fs.fdatasyncSync(seg.fd);
        if (seals) {
          sealSegmentSync(this.dir, seg, true);
          this.compressor?.enqueue(seg.path, seg.index, seg.bytes);
        }
      }
      const seg = active.segment;
      if (seg.fd < 0) createSegmentFileSync(this.dir, seg, true);
      writeFullySync(seg.fd, active.buf, 0, active.len, active.position);
      fs.fdatasyncSync(seg.fd);
      // The buffer is free again: the next record goes to its start, at the new end of the file.
      active.position += active.len;
      active.len = 0;
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
    let k = 0;
    while (k < this.waitSeq.length && (this.waitSeq[k] as number) <= upTo) k++;
    if (k === 0) return;
    const done = this.waitResolve.splice(0, k);
    this.waitSeq.splice(0, k);
    this.waitReject.splice(0, k);
    for (const resolve of done) resolve();
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
    const rejects = this.waitReject.splice(0);
    this.waitSeq.splice(0);
    this.waitResolve.splice(0);
    for (const reject of rejects) reject(err);
  }
}

/** A new segment starting at `firstSeq`; its file is created by the first write that reaches it. */
function newSegment(dir: string, firstSeq: number, metadataBytes: Uint8Array): OpenSegment {
  const header = encodeSegmentHeader(firstSeq, metadataBytes);
  return new OpenSegment(
    inDir(dir, segmentFileName(firstSeq)),
    firstSeq,
    header,
    header.length,
    new SparseIndex(),
    firstSeq - 1,
    -1,
    0,
  );
}

/** The last segment of a reopened log, growing again after its last valid record. */
function continuedSegment(last: Segment, sync: boolean): OpenSegment {
  const seg = new OpenSegment(
    last.path,
    last.firstSeq,
    null,
    last.endOffset,
    last.index,
    last.lastSeq,
    last.lastTsUs,
    last.lastOffset,
  );
  // A sidecar left from an earlier seal (a close that did not get to compress it) would be stale.
  fs.rmSync(indexPathOf(last.path), { force: true });
  seg.fd = fs.openSync(last.path, 'r+');
  // What recovery kept may have been written under 'none' and never synced: sync it so durableSeq is true.
  if (sync) fs.fdatasyncSync(seg.fd);
  return seg;
}

/**
 * Creates a segment file with its header atomically (`.tmp`, synced, renamed, directory synced), so a crash
 * never leaves a segment with a partial header. Keeps the descriptor open for appending.
 */
function createSegmentFileSync(dir: string, seg: OpenSegment, sync: boolean): void {
  const header = seg.header as Uint8Array;
  const tmp = `${seg.path}${TEMP_SUFFIX}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeFullySync(fd, header, 0, header.length, 0);
    if (sync) fs.fsyncSync(fd);
    fs.renameSync(tmp, seg.path);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (sync) fsyncDirSync(dir);
  seg.fd = fd;
  seg.header = null;
}

/** Async `createSegmentFileSync`. */
async function createSegmentFile(dir: string, seg: OpenSegment, sync: boolean): Promise<void> {
  const header = seg.header as Uint8Array;
  const tmp = `${seg.path}${TEMP_SUFFIX}`;
  // A plain descriptor, not a FileHandle: a FileHandle closes its descriptor when it is garbage collected.
  const fd = await openAsync(tmp, 'w');
  try {
    await writeFully(fd, header, 0, header.length, 0);
    if (sync) await fsyncAsync(fd);
    await fs.promises.rename(tmp, seg.path);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (sync) await fsyncDir(dir);
  seg.fd = fd;
  seg.header = null;
}

/** The sidecar of a full segment. */
function sidecarOf(seg: OpenSegment): Uint8Array {
  return encodeIndexSidecar(
    {
      segmentBytes: seg.bytes,
      firstSeq: seg.firstSeq,
      lastSeq: seg.lastSeq,
      lastTsUs: seg.lastTsUs,
      lastOffset: seg.lastOffset,
    },
    seg.index,
  );
}

/** A full segment: its data is synced by the caller; writes its index sidecar and closes it. */
function sealSegmentSync(dir: string, seg: OpenSegment, sync: boolean): void {
  writeFileAtomicSync(dir, indexPathOf(seg.path), sidecarOf(seg), sync);
  fs.closeSync(seg.fd);
  seg.fd = -1;
}

/** Async `sealSegmentSync`. */
async function sealSegment(dir: string, seg: OpenSegment, sync: boolean): Promise<void> {
  await writeFileAtomic(dir, indexPathOf(seg.path), sidecarOf(seg), sync);
  fs.closeSync(seg.fd);
  seg.fd = -1;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
