/**
 * One channel's sequence and its bounded resume buffer (PROTOCOL.md §5). Pure: no sockets, no timers, no clock —
 * time comes in as `nowMs` arguments.
 */

/** Bounds of a {@link ChannelLog}'s buffer; a message leaves as soon as any bound is exceeded. */
export interface ChannelLogLimits {
  /** Most messages kept. PROTOCOL.md §5: 10,000. */
  readonly maxCount: number;
  /** A message older than this (`nowMs - appendedAtMs > maxAgeMs`) is evicted. PROTOCOL.md §5: 60,000 ms. */
  readonly maxAgeMs: number;
  /** Most payload bytes kept, summed over the buffered messages. */
  readonly maxBytes: number;
}

/** Defaults: PROTOCOL.md §5 for count and age; 8 MiB so a burst of large books cannot hold unbounded memory. */
export const DEFAULT_CHANNEL_LOG_LIMITS: ChannelLogLimits = {
  maxCount: 10_000,
  maxAgeMs: 60_000,
  maxBytes: 8 * 1024 * 1024,
};

/**
 * One channel's sequence (contiguous from 1) and a ring buffer of its latest already-encoded update messages, from
 * which a resuming client gets exactly the updates it missed, or `'reset'` when that is no longer possible.
 *
 * Messages are evicted oldest first when the count, bytes or age bound is exceeded. Count and bytes are enforced
 * on {@link ChannelLog.append}; age on `append` and on {@link ChannelLog.expire}, so a quiet channel's owner should
 * call `expire(nowMs)` before answering a resume.
 */
export class ChannelLog {
  /** The bounds this log enforces. */
  readonly limits: ChannelLogLimits;
  // A ring of preallocated slots: index `(head + i) % capacity` holds the message with seq `oldestSeq + i`.
  readonly #payloads: (Uint8Array | undefined)[];
  readonly #appendedAtMs: Float64Array;
  #head = 0;
  #length = 0;
  #bytes = 0;
  #lastSeq = 0;

  /** @param limits - overrides of {@link DEFAULT_CHANNEL_LOG_LIMITS}. */
  constructor(limits: Partial<ChannelLogLimits> = {}) {
    const merged = { ...DEFAULT_CHANNEL_LOG_LIMITS, ...limits };
    requireLimit('maxCount', merged.maxCount, 1);
    requireLimit('maxAgeMs', merged.maxAgeMs, 0);
    requireLimit('maxBytes', merged.maxBytes, 0);
    this.limits = merged;
    this.#payloads = new Array<Uint8Array | undefined>(merged.maxCount).fill(undefined);
    this.#appendedAtMs = new Float64Array(merged.maxCount);
  }

  /** Seq of the last appended message; 0 before the first. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Seq of the oldest buffered message, or `lastSeq + 1` when none is buffered. */
  get seqOfOldest(): number {
    return this.#lastSeq - this.#length + 1;
  }

  /** Number of buffered messages. */
  get length(): number {
    return this.#length;
  }

  /** Payload bytes buffered. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Assigns the next seq to an encoded update and buffers it, evicting the oldest messages beyond the limits. A
   * message larger than `maxBytes` still takes its seq but is not kept, so a resume across it gets `'reset'`.
   *
   * @param encoded - the update as sent on the wire; kept by reference, so the caller must not mutate it.
   * @param nowMs - the current time, in ms.
   * @returns the message's seq.
   */
  append(encoded: Uint8Array, nowMs: number): number {
    const capacity = this.#payloads.length;
    if (this.#length === capacity) this.#evictOldest();
    const slot = (this.#head + this.#length) % capacity;
    this.#payloads[slot] = encoded;
    this.#appendedAtMs[slot] = nowMs;
    this.#length += 1;
    this.#bytes += encoded.byteLength;
    this.#lastSeq += 1;
    while (this.#bytes > this.limits.maxBytes) this.#evictOldest();
    this.expire(nowMs);
    return this.#lastSeq;
  }

  /**
   * Evicts the messages older than `maxAgeMs` at `nowMs`.
   *
   * @returns how many were evicted.
   */
  expire(nowMs: number): number {
    let evicted = 0;
    while (this.#length > 0 && nowMs - (this.#appendedAtMs[this.#head] ?? nowMs) > this.limits.maxAgeMs) {
      this.#evictOldest();
      evicted += 1;
    }
    return evicted;
  }

  /**
   * The messages a client that last saw `afterSeq` has missed: exactly those with seq `afterSeq + 1 … lastSeq`, in
   * order (empty when it is caught up), or `'reset'` when one of them has been evicted or `afterSeq > lastSeq` (a
   * seq this log never issued: another session's, or a client bug).
   *
   * @param afterSeq - the last seq the client saw; 0 for "from the start". A non-negative safe integer.
   */
  since(afterSeq: number): readonly Uint8Array[] | 'reset' {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      throw new RangeError(`since: afterSeq must be a non-negative safe integer, got ${afterSeq}`);
    }
    if (afterSeq > this.#lastSeq || afterSeq + 1 < this.seqOfOldest) return 'reset';
    const capacity = this.#payloads.length;
    const skip = afterSeq + 1 - this.seqOfOldest;
    const out = new Array<Uint8Array>(this.#length - skip);
    for (let i = 0; i < out.length; i++) {
      const payload = this.#payloads[(this.#head + skip + i) % capacity];
      if (payload === undefined) throw new Error('assertion failed: a buffered slot is empty');
      out[i] = payload;
    }
    return out;
  }

  #evictOldest(): void {
    const payload = this.#payloads[this.#head];
    if (payload === undefined) throw new Error('assertion failed: evicting from an empty log');
    // Drop the reference so the evicted payload can be collected while its slot waits to be reused.
    this.#payloads[this.#head] = undefined;
    this.#bytes -= payload.byteLength;
    this.#head = (this.#head + 1) % this.#payloads.length;
    this.#length -= 1;
  }
}

function requireLimit(name: keyof ChannelLogLimits, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`ChannelLog: ${name} must be an integer >= ${min}, got ${value}`);
  }
}
