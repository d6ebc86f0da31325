import type { Channel } from '../protocol/index.ts';
import { ChannelFeed, type ChannelFeedSink } from './channel-feed.ts';
import type { EventSink, StreamOwner } from './event-stream.ts';
import type { FeedClientError } from './feed-client-error.ts';
import type { ChannelEvent, StatusEvent } from './feed-events.ts';
import type { Scales } from './market-data.ts';

/** What a `Subscription` reports to: the client. */
export interface SubscriptionHost {
  /** an event of the subscription's channel, after it went to the subscription's own streams */
  dispatch(event: ChannelEvent | StatusEvent): void;
  /** the channel must be resubscribed for a fresh snapshot */
  resync(sub: Subscription): void;
  /** nobody wants the channel any more: unsubscribe it */
  drop(sub: Subscription): void;
  /** the scales of `symbol` from the last `instruments` snapshot */
  scales(symbol: string): Scales | undefined;
}

function ignore(): void {}

/**
 * The client's record of one wanted channel: its `ChannelFeed`, who wants it (an explicit `subscribe` and/or
 * streams), where its subscribe request stands on the current connection, and the promise `subscribe`
 * awaits (settled by the first ack or refusal).
 */
export class Subscription implements ChannelFeedSink, StreamOwner {
  readonly feed: ChannelFeed;
  /** wanted by an explicit `subscribe()` (until `unsubscribe()`) */
  manual = false;
  /** the streams fed by this channel */
  readonly streams = new Set<EventSink<ChannelEvent>>();
  /** id of this connection's subscribe request in flight, or -1 */
  requestId = -1;
  /** the server's channel id on this connection, or -1 before the ack */
  channelId = -1;
  /** a delayed resync (repeated resyncs back off) */
  resyncTimer: ReturnType<typeof setTimeout> | undefined;
  /** settles with the first ack or refusal */
  readonly ready: Promise<void>;
  private settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private readonly host: SubscriptionHost;

  constructor(name: string, channel: Channel, host: SubscriptionHost, maxBars?: number) {
    this.host = host;
    this.feed = new ChannelFeed(name, channel, this, maxBars);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Refusals reach callers through `subscribe()`, streams or an error event; not as an unhandled rejection.
    this.ready.catch(ignore);
  }

  /** The channel was acked. */
  acked(): void {
    this.settle?.resolve();
    this.settle = undefined;
  }

  /** The channel is gone (refused, client closed): reject `ready` if pending, end or fail the streams. */
  finish(error: FeedClientError, failStreams: boolean): void {
    this.settle?.reject(error);
    this.settle = undefined;
    if (this.resyncTimer !== undefined) clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    for (const s of this.streams) {
      if (failStreams) s.fail(error);
      else s.end();
    }
    this.streams.clear();
  }

  emit(event: ChannelEvent | StatusEvent): void {
    if (event.type !== 'status') for (const s of this.streams) s.push(event);
    this.host.dispatch(event);
  }

  requestResync(): void {
    this.host.resync(this);
  }

  scales(symbol: string): Scales | undefined {
    return this.host.scales(symbol);
  }

  release(stream: object): void {
    if (!this.streams.delete(stream as EventSink<ChannelEvent>)) return;
    if (!this.manual && this.streams.size === 0) this.host.drop(this);
  }
}
