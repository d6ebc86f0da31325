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
 *
 * The bytes are copied into one growing arena per channel rather than kept as objects: a feed's resume buffers
 * hold hundreds of thousands of messages for up to a minute, and as separate objects every one of them survived
 * the young generation and was copied into the old one (bench:feed: scavenges of 5–15 ms promoting ~12 MB each,
 * the server's heap growing to 140 MB). In one buffer outside the JS heap the encoded messages die young.
 *
 * The slots and the arena start small and grow (doubling) with what is buffered, up to the bounds: a feed has a
 * dozen channels per instrument and most of them carry a few messages a minute, so preallocating `maxCount`
 * slots (160 KB) and a 64 KiB arena for each made an idle instrument cost ~2.5 MB (issue 13).
 */
export class ChannelLog {
  /** The bounds this log enforces. */
  readonly limits: ChannelLogLimits;
  // A ring of slots (grown on demand): index `(head + i) % capacity` describes the message with seq `oldestSeq + i`,
  // whose bytes are arena[offset, offset + length). Records never wrap around the arena's end.
  #offsets: Int32Array;
  #lengths: Int32Array;
  #appendedAtMs: Float64Array;
  #arena: Uint8Array;
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
    const slots = Math.min(INITIAL_SLOTS, merged.maxCount);
    this.#offsets = new Int32Array(slots);
    this.#lengths = new Int32Array(slots);
    this.#appendedAtMs = new Float64Array(slots);
    this.#arena = new Uint8Array(Math.min(INITIAL_ARENA_BYTES, Math.max(16, merged.maxBytes)));
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
   * Assigns the next seq to an encoded update and buffers a copy of it, evicting the oldest messages beyond the
   * limits. A message larger than `maxBytes` still takes its seq but is not kept, so a resume across it gets
   * `'reset'`.
   *
   * @param encoded - the update as sent on the wire.
   * @param nowMs - the current time, in ms.
   * @returns the message's seq.
   */
  append(encoded: Uint8Array, nowMs: number): number {
    this.#lastSeq += 1;
    const n = encoded.byteLength;
    if (n > this.limits.maxBytes) {
      // It would evict everything, itself included.
      while (this.#length > 0) this.#evictOldest();
      return this.#lastSeq;
    }
    if (this.#length === this.limits.maxCount) this.#evictOldest();
    while (this.#bytes + n > this.limits.maxBytes) this.#evictOldest();
    this.expire(nowMs);
    if (this.#length === this.#offsets.length) this.#growSlots();
    const capacity = this.#offsets.length;
    const offset = this.#reserve(n);
    this.#arena.set(encoded, offset);
    const slot = (this.#head + this.#length) % capacity;
    this.#offsets[slot] = offset;
    this.#lengths[slot] = n;
    this.#appendedAtMs[slot] = nowMs;
    this.#length += 1;
    this.#bytes += n;
    return this.#lastSeq;
  }

  /**
   * Forgets every buffered message and makes `seq` the last one issued, so the next append gets `seq + 1`: a
   * replay that jumped to another point of its recording continues that channel's sequence from there.
   */
  resetTo(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`resetTo: seq must be ≥ 0, got ${seq}`);
    this.#head = 0;
    this.#length = 0;
    this.#bytes = 0;
    this.#lastSeq = seq;
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
   * seq this log never issued: another session's, or a client bug). Each is a copy, so it stays valid however
   * long it waits to be written.
   *
   * @param afterSeq - the last seq the client saw; 0 for "from the start". A non-negative safe integer.
   */
  since(afterSeq: number): readonly Uint8Array[] | 'reset' {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      throw new RangeError(`since: afterSeq must be a non-negative safe integer, got ${afterSeq}`);
    }
    if (afterSeq > this.#lastSeq || afterSeq + 1 < this.seqOfOldest) return 'reset';
    const capacity = this.#offsets.length;
    const skip = afterSeq + 1 - this.seqOfOldest;
    const out = new Array<Uint8Array>(this.#length - skip);
    for (let i = 0; i < out.length; i++) {
      const slot = (this.#head + skip + i) % capacity;
      const offset = this.#offsets[slot] as number;
      out[i] = this.#arena.slice(offset, offset + (this.#lengths[slot] as number));
    }
    return out;
  }

  /** Where `n` contiguous free bytes start in the arena, compacting or growing it when there is no such gap. */
  #reserve(n: number): number {
    if (this.#length === 0) {
      if (n > this.#arena.length) this.#arena = new Uint8Array(this.#grownSize(n));
      return 0;
    }
    const capacity = this.#offsets.length;
    const oldest = this.#offsets[this.#head] as number;
    const newest = (this.#head + this.#length - 1) % capacity;
    const end = (this.#offsets[newest] as number) + (this.#lengths[newest] as number);
    const size = this.#arena.length;
    if (oldest < end || (oldest === end && this.#bytes === 0)) {
      // Live bytes are [oldest, end): room after them, else before them.
      if (end + n <= size) return end;
      if (n <= oldest) return 0;
    } else if (end + n <= oldest) {
      // Wrapped: live bytes are [oldest, size) and [0, end); the gap is between.
      return end;
    }
    this.#compact(this.#grownSize(2 * (this.#bytes + n)));
    return this.#bytes;
  }

  /** Copies the live messages, oldest first, to the start of a new arena of `size` bytes. */
  #compact(size: number): void {
    const arena = new Uint8Array(size);
    const capacity = this.#offsets.length;
    let at = 0;
    for (let i = 0; i < this.#length; i++) {
      const slot = (this.#head + i) % capacity;
      const offset = this.#offsets[slot] as number;
      const n = this.#lengths[slot] as number;
      arena.set(this.#arena.subarray(offset, offset + n), at);
      this.#offsets[slot] = at;
      at += n;
    }
    this.#arena = arena;
  }

  /**
   * The arena's size doubled until it holds `atLeast` bytes, but never past twice `maxBytes`: room for every live
   * message with a gap as large again, so the arena stays within 2 × `maxBytes` however the ring wraps.
   */
  #grownSize(atLeast: number): number {
    let size = this.#arena.length;
    while (size < atLeast) size *= 2;
    return Math.min(size, Math.max(atLeast, 2 * this.limits.maxBytes));
  }

  /** Doubles the slots (up to `maxCount`), the ring unwrapped to start at slot 0. */
  #growSlots(): void {
    const old = this.#offsets.length;
    const capacity = Math.min(2 * old, this.limits.maxCount);
    const offsets = new Int32Array(capacity);
    const lengths = new Int32Array(capacity);
    const appendedAtMs = new Float64Array(capacity);
    for (let i = 0; i < this.#length; i++) {
      const slot = (this.#head + i) % old;
      offsets[i] = this.#offsets[slot] as number;
      lengths[i] = this.#lengths[slot] as number;
      appendedAtMs[i] = this.#appendedAtMs[slot] as number;
    }
    this.#offsets = offsets;
    this.#lengths = lengths;
    this.#appendedAtMs = appendedAtMs;
    this.#head = 0;
  }

  #evictOldest(): void {
    if (this.#length === 0) throw new Error('assertion failed: evicting from an empty log');
    this.#bytes -= this.#lengths[this.#head] as number;
    this.#head = (this.#head + 1) % this.#offsets.length;
    this.#length -= 1;
  }
}

/** The arena's first size: a quiet channel's minute of updates (a bar a second, ~60 B each) fits in it. */
const INITIAL_ARENA_BYTES = 4 * 1024;
/** The slots' first count: a quiet channel's minute of updates. */
const INITIAL_SLOTS = 64;

function requireLimit(name: keyof ChannelLogLimits, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`ChannelLog: ${name} must be an integer >= ${min}, got ${value}`);
  }
}
