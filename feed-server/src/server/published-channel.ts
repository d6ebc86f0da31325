import { type ChannelKind, encodeMessage, MESSAGE_TYPES, type SnapshotData } from '../protocol/index.ts';
import { ChannelLog, type ChannelLogLimits } from './channel-log.ts';
import type { ChannelHandle, EncodedSnapshot } from './feed-source.ts';

/** A channel's current state for a snapshot: the data and the time it reflects. */
export interface SnapshotState {
  /** the time the state is of; when absent, the time of the channel's last update (0 before any) */
  readonly tsUs?: number;
  readonly data: SnapshotData;
}

/**
 * One channel on the producer side: its id, its sequence and resume buffer ({@link ChannelLog}), and its snapshot,
 * encoded at most once per seq however many subscribers ask for it.
 */
export class PublishedChannel implements ChannelHandle {
  readonly log: ChannelLog;
  readonly kind: ChannelKind;
  /** `tsUs` of the last update; 0 before any */
  lastTsUs = 0;
  #cached: EncodedSnapshot | undefined;

  /**
   * @param name - canonical channel name
   * @param id - session-wide channel id
   * @param conflatable - see {@link ChannelHandle.conflatable}
   * @param state - reads the state the channel's last published update left (called only for snapshots)
   */
  constructor(
    readonly name: string,
    readonly id: number,
    readonly conflatable: boolean,
    private readonly state: () => SnapshotState,
    limits?: Partial<ChannelLogLimits>,
  ) {
    this.log = new ChannelLog(limits);
    this.kind = name.split(':')[0] as ChannelKind;
  }

  /**
   * Encodes `[4, id, seq, tsUs, ...fields]` with the next seq and buffers it.
   *
   * @returns the encoded update and its seq, for the bus
   */
  update(tsUs: number, fields: readonly unknown[], nowMs: number): { seq: number; encoded: Uint8Array } {
    const seq = this.log.lastSeq + 1;
    const encoded = encodeMessage([MESSAGE_TYPES.update, this.id, seq, tsUs, ...fields] as never);
    this.log.append(encoded, nowMs);
    this.lastTsUs = tsUs;
    this.#cached = undefined;
    return { seq, encoded };
  }

  /** The snapshot at the current seq. */
  snapshot(): EncodedSnapshot {
    const seq = this.log.lastSeq;
    if (this.#cached?.seq === seq) return this.#cached;
    const { tsUs = this.lastTsUs, data } = this.state();
    this.#cached = { seq, encoded: encodeMessage([MESSAGE_TYPES.snapshot, this.id, seq, tsUs, data]) };
    return this.#cached;
  }
}
