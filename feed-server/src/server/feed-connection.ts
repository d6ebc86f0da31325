import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ChannelHandle } from './feed-source.ts';

/** One channel a connection is subscribed to. */
export class Subscription {
  /**
   * Set when the connection fell behind and this channel's pending messages were dropped (PROTOCOL.md §7): live
   * messages are not queued until the connection has drained and got `reset` + a fresh snapshot.
   */
  stale = false;
  /** index in the fan-out's subscriber list (for O(1) removal) */
  slot = -1;

  constructor(
    readonly connection: FeedConnection,
    readonly channel: ChannelHandle,
  ) {}
}

/** A request guard: per-connection request rate limiting (PROTOCOL.md §8). */
export interface RequestGuard {
  /** `ok`; `limited` → answer RATE_LIMITED; `close` → close with 4029 (limited repeatedly) */
  check(nowMs: number): 'ok' | 'limited' | 'close';
}

/**
 * The gateway's state of one WebSocket client: its subscriptions and the messages queued for its next frame.
 * The queue is three parallel arrays reused across flushes (a counter, never `length = 0`, marks the end) so the
 * per-message path allocates nothing.
 */
export class FeedConnection {
  readonly subscriptions = new Map<string, Subscription>();
  /** encoded messages due, in order */
  readonly messages: Uint8Array[] = [];
  /** the gateway's number of each queued message: equal sequences of numbers mean equal frames */
  readonly numbers: number[] = [];
  /** the subscription a queued message belongs to; null for control messages (ack, error, pong, heartbeat) */
  readonly owners: (Subscription | null)[] = [];
  count = 0;
  /** queued since the last flush, and in the gateway's dirty list */
  dirty = false;
  /** over the queued-bytes bound: waiting for the socket to drain (PROTOCOL.md §7) */
  blocked = false;
  closed = false;
  /** pings sent without a pong since */
  unansweredPings = 0;
  /** wall-clock ms of the last frame written, for application heartbeats */
  lastWriteMs: number;

  /**
   * @param ws - the ws connection: used for the handshake's results, control frames (ping, close) and receiving
   * @param socket - the raw socket data frames are written to, one shared buffer for many clients
   * @param json - `tickwire.v1.json`: text frames of JSON
   * @param deflate - permessage-deflate was negotiated
   */
  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly json: boolean,
    readonly deflate: boolean,
    readonly guard: RequestGuard,
    readonly remoteAddress: string,
    nowMs: number,
  ) {
    this.lastWriteMs = nowMs;
  }

  /** Queues one message for the next flush. */
  enqueue(encoded: Uint8Array, messageNo: number, owner: Subscription | null): void {
    const i = this.count++;
    this.messages[i] = encoded;
    this.numbers[i] = messageNo;
    this.owners[i] = owner;
  }

  /**
   * Drops the queued messages of conflatable channels, marking those subscriptions stale; keeps control
   * messages.
   *
   * @returns whether a non-conflatable channel (trades, candles, instruments) had messages queued: such a
   * connection must be closed as a slow consumer
   */
  dropConflatable(): { lossy: boolean; dropped: number } {
    let kept = 0;
    let dropped = 0;
    let lossy = false;
    for (let i = 0; i < this.count; i++) {
      const owner = this.owners[i] ?? null;
      if (owner !== null && !owner.channel.conflatable) lossy = true;
      if (owner?.channel.conflatable) {
        owner.stale = true;
        dropped++;
        continue;
      }
      this.messages[kept] = this.messages[i] as Uint8Array;
      this.numbers[kept] = this.numbers[i] as number;
      this.owners[kept] = owner;
      kept++;
    }
    this.count = kept;
    return { lossy, dropped };
  }

  /** Forgets the queued messages after they were written (references dropped so they can be collected). */
  clearQueue(): void {
    for (let i = 0; i < this.count; i++) this.messages[i] = EMPTY;
    this.count = 0;
  }
}

const EMPTY = new Uint8Array(0);
