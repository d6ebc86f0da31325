import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { type Fanout, MessageList } from './fanout.ts';
import type { ChannelHandle } from './feed-source.ts';

/** One channel a connection is subscribed to. */
export class ConnectionSubscription {
  /**
   * Set when the connection fell behind and this channel's pending messages were dropped (PROTOCOL.md §7): live
   * messages are not delivered until the connection has drained and got `reset` + a fresh snapshot.
   */
  stale = false;
  /** index in the fan-out's subscriber list (for O(1) removal) */
  slot = -1;
  /**
   * The gateway's message number at which this subscription started (after its snapshot or missed updates were
   * queued): the channel's pending messages numbered at or below it are already in that snapshot.
   */
  fromNo = 0;

  constructor(
    readonly connection: FeedConnection,
    readonly channel: ChannelHandle,
    readonly fanout: Fanout<ConnectionSubscription>,
  ) {}

  /** How many of the channel's pending messages are due to this subscription (none while stale). */
  get due(): number {
    return this.stale ? 0 : this.fanout.pending.countAfter(this.fromNo);
  }
}

/** A request guard: per-connection request rate limiting (PROTOCOL.md §8). */
export interface RequestGuard {
  /** `ok`; `limited` → answer RATE_LIMITED; `close` → close with 4029 (limited repeatedly) */
  check(nowMs: number): 'ok' | 'limited' | 'close';
}

/**
 * The gateway's state of one WebSocket client: its subscriptions and the messages queued for it alone (acks,
 * errors, pongs, heartbeats, snapshots, resumed updates). Channel updates are not queued here: they wait in
 * their channel's {@link Fanout}, once for all subscribers, until the flush merges them in. The queue is two
 * parallel arrays reused across flushes, so the per-message path allocates nothing.
 */
export class FeedConnection {
  readonly subscriptions = new Map<string, ConnectionSubscription>();
  /** sorted channel ids of the subscriptions: connections with equal signatures get equal frames */
  signature = '';
  /** messages for this connection alone, in order */
  readonly own = new MessageList();
  /** the subscription an own message belongs to; null for control messages (ack, error, pong, heartbeat) */
  readonly owners: (ConnectionSubscription | null)[] = [];
  /** in the gateway's list of connections to flush */
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

  /** Queues one message for this connection alone, for the next flush. */
  enqueue(encoded: Uint8Array, messageNo: number, owner: ConnectionSubscription | null): void {
    this.owners[this.own.count] = owner;
    this.own.push(encoded, messageNo);
  }

  /** Recomputes {@link FeedConnection.signature} after the subscriptions changed. */
  resign(): void {
    const ids: number[] = [];
    for (const sub of this.subscriptions.values()) ids.push(sub.channel.id);
    this.signature = ids.sort((a, b) => a - b).join(',');
  }

  /**
   * Drops the messages due to conflatable channels — queued here or pending in their fan-outs — marking those
   * subscriptions stale; keeps control messages.
   *
   * @returns whether a non-conflatable channel (trades, candles, instruments) had messages due: such a
   * connection must be closed as a slow consumer
   */
  dropConflatable(): { lossy: boolean; dropped: number } {
    let kept = 0;
    let dropped = 0;
    let lossy = false;
    const own = this.own;
    for (let i = 0; i < own.count; i++) {
      const owner = this.owners[i] ?? null;
      if (owner !== null && !owner.channel.conflatable) lossy = true;
      if (owner?.channel.conflatable) {
        owner.stale = true;
        dropped++;
        continue;
      }
      own.messages[kept] = own.messages[i] as Uint8Array;
      own.numbers[kept] = own.numbers[i] as number;
      this.owners[kept] = owner;
      kept++;
    }
    for (let i = kept; i < own.count; i++) this.owners[i] = null;
    own.count = kept;
    for (const sub of this.subscriptions.values()) {
      const due = sub.due;
      if (due === 0) continue;
      if (!sub.channel.conflatable) lossy = true;
      else {
        sub.stale = true;
        dropped += due;
      }
    }
    return { lossy, dropped };
  }

  /** Forgets the own messages after they were written. */
  clearQueue(): void {
    for (let i = 0; i < this.own.count; i++) this.owners[i] = null;
    this.own.clear();
  }
}
