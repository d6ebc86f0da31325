import {
  type Channel,
  formatChannel,
  MAX_CHANNELS_PER_REQUEST,
  MESSAGE_TYPES,
  ProtocolError,
  parseChannel,
  type RequestErrorCode,
  type ServerMessage,
  type SubscribeRequest,
  type Welcome,
} from '../protocol/index.ts';
import type { Connection } from './connection.ts';
import { closedError } from './connection-end.ts';
import { FeedClientError, type Refusal } from './feed-client-error.ts';
import type { ChannelEvent, StatusEvent } from './feed-events.ts';
import type { Scales } from './market-data.ts';
import type { ReplayCommand } from './replay-command.ts';
import { RequestTracker } from './request-tracker.ts';
import { ResyncScheduler } from './resync-scheduler.ts';
import { Subscription, type SubscriptionHost } from './subscription.ts';

/** What `Subscriptions` reports to: the client. */
export interface SubscriptionsHost {
  /** a channel's event, after its own streams had it */
  dispatch(event: ChannelEvent | StatusEvent): void;
  /** an error that belongs to no promise or stream */
  error(error: unknown): void;
  /** the scales of `symbol` from the last `instruments` snapshot */
  scales(symbol: string): Scales | undefined;
}

/** A request refused with RATE_LIMITED is sent again after this long. */
const RATE_LIMIT_RETRY_MS = 1000;
/** The `instruments` channel's name. */
const INSTRUMENTS = formatChannel({ kind: 'instruments' });
const { ack: ACK, error: ERROR, snapshot: SNAPSHOT, update: UPDATE, reset: RESET } = MESSAGE_TYPES;
const { heartbeat: HEARTBEAT, pong: PONG } = MESSAGE_TYPES;

/** A channel name the §4 rules refuse, as a refusal; anything else is rethrown. */
export function channelRefusal(name: string, error: unknown): Refusal {
  if (error instanceof ProtocolError) {
    return { channel: name, code: error.code as RequestErrorCode, message: error.message };
  }
  throw error;
}

/**
 * The channels the client wants and where each stands with the server (PROTOCOL.md §2, §5): it sends the
 * subscribe requests of every connection — resuming each channel from its seq in its session, `instruments`
 * ahead of the others, in requests of the size the server allows — routes the server's answers and channel
 * messages to each channel's `Subscription`, resubscribes channels that must resync, and unsubscribes those
 * nobody wants any more.
 */
export class Subscriptions {
  private readonly subs = new Map<string, Subscription>();
  private readonly byChannelId = new Map<number, Subscription>();
  private readonly requests: RequestTracker;
  private readonly resyncs: ResyncScheduler;
  private channelsPerRequest = MAX_CHANNELS_PER_REQUEST;
  /** the last welcome's session: the session of every seq held */
  private lastSession: string | null = null;
  private readonly subHost: SubscriptionHost;

  constructor(
    private readonly conn: Connection,
    private readonly host: SubscriptionsHost,
    private readonly maxBars: number | undefined,
  ) {
    this.requests = new RequestTracker(conn);
    this.resyncs = new ResyncScheduler((subs) => this.sendResyncs(subs));
    this.subHost = {
      dispatch: (event) => host.dispatch(event),
      resync: (sub) => this.resyncs.add(sub),
      drop: (sub) => {
        this.drop([sub]).catch((e: unknown) => host.error(e));
      },
      scales: (symbol) => host.scales(symbol),
    };
  }

  /** Sends a replay command (§16) on the live connection; resolves on its ack. */
  replay(command: ReplayCommand): Promise<void> {
    return this.requests.replay(command);
  }

  /** Whether channels are subscribed on this connection. */
  get active(): boolean {
    return this.byChannelId.size > 0;
  }

  /** `FeedClient.subscribe()`: resolves with the canonical names once every channel is acked. */
  async subscribe(channels: string | readonly string[]): Promise<string[]> {
    if (this.conn.state === 'closed') throw closedError();
    const list = typeof channels === 'string' ? [channels] : channels;
    const refusals: Refusal[] = [];
    const wanted: Subscription[] = [];
    for (const raw of list) {
      let channel: Channel;
      try {
        channel = parseChannel(raw);
      } catch (e) {
        refusals.push(channelRefusal(raw, e));
        continue;
      }
      const sub = this.acquire(channel);
      sub.manual = true;
      wanted.push(sub);
    }
    this.sendSubscribes();
    if (wanted.length > 0) this.conn.ensureConnected();
    const results = await Promise.allSettled(wanted.map((s) => s.ready));
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      const e: unknown = r.reason;
      if (e instanceof FeedClientError && e.code === 'REFUSED') refusals.push(...e.refusals);
      else throw e;
    }
    if (refusals.length > 0) {
      const what = refusals.map((r) => `${r.channel}: ${r.code} ${r.message}`).join('; ');
      throw new FeedClientError('REFUSED', `subscription refused: ${what}`, { refusals });
    }
    return wanted.map((s) => s.feed.name);
  }

  /** `FeedClient.unsubscribe()`: ends explicit subscriptions no stream reads. */
  async unsubscribe(channels: string | readonly string[]): Promise<void> {
    const list = typeof channels === 'string' ? [channels] : channels;
    const drop: Subscription[] = [];
    for (const raw of list) {
      let name: string;
      try {
        name = formatChannel(parseChannel(raw));
      } catch {
        continue; // not a channel name: it cannot be subscribed either
      }
      const sub = this.subs.get(name);
      if (sub === undefined || !sub.manual) continue;
      sub.manual = false;
      // `instruments` stays: the client needs its scales for every data channel (see `acquire`).
      if (sub.streams.size === 0 && name !== INSTRUMENTS) drop.push(sub);
    }
    await this.drop(drop);
  }

  /**
   * The subscription of a channel, created (and due to be sent) when new. A channel of a symbol needs the
   * symbol's scales for its events' decimal strings, so `instruments` is subscribed first, before it: its
   * subscription is sent ahead of the others on every connection (`subs` keeps insertion order, and a request
   * is answered in order, PROTOCOL.md §2), so its snapshot is applied before any data of theirs.
   */
  acquire(channel: Channel): Subscription {
    if (channel.kind !== 'instruments' && channel.kind !== 'replay' && !this.subs.has(INSTRUMENTS)) {
      this.acquire({ kind: 'instruments' });
    }
    const name = formatChannel(channel);
    let sub = this.subs.get(name);
    if (sub === undefined) {
      sub = new Subscription(name, channel, this.subHost, this.maxBars);
      this.subs.set(name, sub);
    }
    return sub;
  }

  /**
   * A new connection's welcome: its limits apply from now on. Returns the previous connection's session, and
   * whether the channels can resume (the session is the same, and some channel has a seq).
   */
  welcomed(welcome: Welcome): { readonly previous: string | null; readonly resumed: boolean } {
    const previous = this.lastSession;
    const sessionChanged = previous !== null && previous !== welcome.session;
    let resumed = false;
    if (!sessionChanged) for (const sub of this.subs.values()) resumed ||= sub.feed.seq !== null;
    this.lastSession = welcome.session;
    this.channelsPerRequest = Math.max(
      1,
      Math.min(MAX_CHANNELS_PER_REQUEST, welcome.limits?.channelsPerRequest ?? MAX_CHANNELS_PER_REQUEST),
    );
    return { previous, resumed };
  }

  /**
   * After the welcome's `live` status: a restarted server's seqs and trade ids start over, so resuming would
   * only earn a reset (§5); then every wanted channel is subscribed.
   */
  live(welcome: Welcome, previous: string | null): void {
    if (previous !== null && previous !== welcome.session) {
      for (const sub of this.subs.values()) sub.feed.sessionChanged(previous, welcome.session);
    }
    this.sendSubscribes();
  }

  /** A server message other than `welcome`. */
  handle(m: ServerMessage): void {
    switch (m[0]) {
      case ACK:
        this.onAck(m[1], m[2]);
        return;
      case ERROR:
        this.onError(m[1], m[2], m[3], m[4]);
        return;
      case SNAPSHOT:
        this.byChannelId.get(m[1])?.feed.snapshot(m, this.lastSession ?? '');
        return;
      case UPDATE:
        this.byChannelId.get(m[1])?.feed.update(m);
        return;
      case RESET:
        this.byChannelId.get(m[1])?.feed.reset(m[2]);
        return;
      case HEARTBEAT:
        for (const [channelId, seq] of m[2]) this.byChannelId.get(channelId)?.feed.heartbeat(seq);
        return;
      case PONG:
        return; // the client sends no pings
    }
  }

  /** The frame just processed is done: resync the channels it found out of step. */
  frameDone(): void {
    this.resyncs.flush();
  }

  /** The connection is gone: every channel is resubscribed (resuming) on the next one. */
  lost(): void {
    this.byChannelId.clear();
    this.resyncs.clear();
    for (const sub of this.subs.values()) {
      sub.requestId = -1;
      sub.channelId = -1;
      if (sub.resyncTimer !== undefined) clearTimeout(sub.resyncTimer);
      sub.resyncTimer = undefined;
      sub.feed.disconnected();
    }
    this.requests.settle();
  }

  /** The client is closed: every pending request is settled. */
  settleRequests(): void {
    this.requests.settle();
  }

  /** The client is closed: every subscription ends (its streams fail with `error` unless `clean`). */
  end(error: FeedClientError, clean: boolean): void {
    const subs = [...this.subs.values()];
    this.subs.clear();
    this.byChannelId.clear();
    for (const sub of subs) sub.finish(error, !clean);
  }

  /** Forgets subscriptions and unsubscribes those the server knows; resolves on the acks. */
  async drop(drop: readonly Subscription[]): Promise<void> {
    const send: string[] = [];
    for (const sub of drop) {
      if (this.subs.get(sub.feed.name) !== sub) continue;
      this.subs.delete(sub.feed.name);
      if (sub.channelId >= 0) this.byChannelId.delete(sub.channelId);
      this.resyncs.delete(sub);
      const onServer = sub.channelId >= 0 || sub.requestId >= 0;
      sub.finish(new FeedClientError('CLOSED', `${sub.feed.name} was unsubscribed before its ack`), false);
      if (onServer) send.push(sub.feed.name);
    }
    if (send.length === 0 || this.conn.welcome === null) return;
    const acks: Promise<void>[] = [];
    for (let i = 0; i < send.length; i += this.channelsPerRequest) {
      const channels = send.slice(i, i + this.channelsPerRequest);
      acks.push(
        new Promise<void>((resolve, reject) => {
          this.requests.send({ op: 'unsubscribe', id: this.requests.id(), channels }, { resolve, reject });
        }),
      );
    }
    await Promise.all(acks);
  }

  /**
   * Sends subscribe requests for every wanted channel not yet requested on this connection. Channels with a
   * seq resume from it (§5), grouped by the session their seq belongs to; the others get snapshots.
   */
  sendSubscribes(): void {
    if (this.conn.welcome === null) return;
    const groups = new Map<string | null, Subscription[]>();
    for (const sub of this.subs.values()) {
      if (sub.requestId >= 0 || sub.feed.phase !== 'subscribing') continue;
      const key = sub.feed.seq === null ? null : sub.feed.session;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [sub]);
      else group.push(sub);
    }
    for (const [session, group] of groups) this.sendSubscribe(group, session);
  }

  /** Subscribes `subs`, resuming from their seqs in `session` when given, in requests of the allowed size. */
  private sendSubscribe(subs: readonly Subscription[], session: string | null): void {
    for (let i = 0; i < subs.length; i += this.channelsPerRequest) {
      const chunk = subs.slice(i, i + this.channelsPerRequest);
      const id = this.requests.id();
      const request: SubscribeRequest = {
        op: 'subscribe',
        id,
        channels: chunk.map((s) => s.feed.name),
        ...(session === null
          ? {}
          : { resume: { session, seqs: new Map(chunk.map((s) => [s.feed.name, s.feed.seq ?? 0])) } }),
      };
      for (const s of chunk) s.requestId = id;
      this.requests.send(request);
    }
  }

  /** Resubscribes the channels still due for a resync (one unsubscribe, then one subscribe request). */
  private sendResyncs(subs: readonly Subscription[]): void {
    const due = subs.filter((sub) => this.subs.get(sub.feed.name) === sub && sub.feed.phase === 'resyncing');
    if (due.length === 0 || this.conn.welcome === null) return;
    for (let i = 0; i < due.length; i += this.channelsPerRequest) {
      const channels = due.slice(i, i + this.channelsPerRequest).map((s) => s.feed.name);
      this.requests.send({ op: 'unsubscribe', id: this.requests.id(), channels });
    }
    this.sendSubscribe(due, null);
  }

  private onAck(id: number, channels: Readonly<Record<string, number>>): void {
    const request = this.requests.get(id);
    if (request === undefined) return;
    if (request.op === 'unsubscribe' || request.op === 'replay') {
      this.requests.delete(id);
      request.waiter?.resolve();
      return;
    }
    for (const [name, channelId] of Object.entries(channels)) {
      request.remaining.delete(name);
      const sub = this.subs.get(name);
      if (sub === undefined || sub.requestId !== id) continue;
      sub.requestId = -1;
      sub.channelId = channelId;
      this.byChannelId.set(channelId, sub);
      sub.feed.subscribed(request.resume);
      sub.acked();
    }
    if (request.remaining.size === 0) this.requests.delete(id);
  }

  private onError(id: number | null, code: RequestErrorCode, message: string, channel: string | null): void {
    const request = id === null ? undefined : this.requests.get(id);
    const refusal: Refusal = { channel: channel ?? '', code, message };
    // A request refused as a whole (a replay action, a rate limit) names no channel: its code is the error's.
    const error = new FeedClientError('REFUSED', `${code}: ${message}`, {
      refusals: channel === null ? [] : [refusal],
      serverCode: code,
    });
    if (request === undefined || id === null) {
      this.host.error(error);
      return;
    }
    if (request.op === 'unsubscribe' || request.op === 'replay') {
      this.requests.delete(id);
      if (request.waiter === undefined) this.host.error(error);
      else request.waiter.reject(error);
      return;
    }
    if (channel === null && code === 'RATE_LIMITED') {
      this.requests.delete(id);
      setTimeout(() => this.retry(id), RATE_LIMIT_RETRY_MS);
      return;
    }
    const names = channel === null ? [...request.remaining] : [channel];
    for (const name of names) {
      request.remaining.delete(name);
      const sub = this.subs.get(name);
      if (sub === undefined || sub.requestId !== id) continue;
      this.subs.delete(name);
      if (sub.channelId >= 0) this.byChannelId.delete(sub.channelId);
      const own = new FeedClientError('REFUSED', `${name}: ${code} ${message}`, {
        refusals: [{ channel: name, code, message }],
      });
      // A channel refused on resubscription was acked before: nobody awaits `ready`, so report it.
      if (sub.feed.seq !== null && sub.streams.size === 0) this.host.error(own);
      sub.finish(own, true);
    }
    if (request.remaining.size === 0) this.requests.delete(id);
  }

  /** Sends again the subscriptions of a request refused with RATE_LIMITED. */
  private retry(id: number): void {
    for (const sub of this.subs.values()) {
      if (sub.requestId === id) sub.requestId = -1;
    }
    this.sendSubscribes();
  }
}
