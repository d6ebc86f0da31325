import type { FeedEvent } from './feed-events.ts';

/** Counters of a `FeedClient` since it was created. */
export interface FeedStats {
  /** server messages received */
  readonly messages: number;
  /** WebSocket frames received */
  readonly frames: number;
  /** bytes of the frames received (for the JSON format: characters) */
  readonly bytes: number;
  /** reconnects scheduled after a lost connection */
  readonly reconnects: number;
  /** lost messages detected: an update seq skipped, or announced by a heartbeat */
  readonly gaps: number;
  /** channel resyncs, for any reason (gap, heartbeat, checksum, server reset) */
  readonly resyncs: number;
  /** local books whose checksum differed from the server's */
  readonly checksumMismatches: number;
  /**
   * delay from the engine's event time (`tsUs` of updates and heartbeats) to its arrival, in µs, by this
   * machine's clock (so it includes clock skew); null until measured, and never for a replayed feed
   */
  readonly latencyUs: { readonly last: number | null; readonly avg: number | null };
}

/**
 * The counters behind `FeedClient.stats`, written in place by the connection (frames, messages, latency,
 * reconnects) and counted from the status events (resyncs and their reasons).
 */
export class StatsCounters {
  messages = 0;
  frames = 0;
  bytes = 0;
  reconnects = 0;
  gaps = 0;
  resyncs = 0;
  checksumMismatches = 0;
  latencyLast: number | null = null;
  latencySum = 0;
  latencyCount = 0;

  /** One message's delay from its engine time to its arrival, µs. */
  latency(us: number): void {
    this.latencyLast = us;
    this.latencySum += us;
    this.latencyCount++;
  }

  /** Counts a channel's `resyncing` status by its reason. */
  count(event: FeedEvent): void {
    if (event.type !== 'status' || event.status !== 'resyncing') return;
    this.resyncs++;
    if (event.reason === 'gap' || event.reason === 'heartbeat') this.gaps++;
    else if (event.reason === 'checksum') this.checksumMismatches++;
  }

  /** A copy, as `FeedClient.stats` hands it out. */
  snapshot(): FeedStats {
    return {
      messages: this.messages,
      frames: this.frames,
      bytes: this.bytes,
      reconnects: this.reconnects,
      gaps: this.gaps,
      resyncs: this.resyncs,
      checksumMismatches: this.checksumMismatches,
      latencyUs: {
        last: this.latencyLast,
        avg: this.latencyCount === 0 ? null : this.latencySum / this.latencyCount,
      },
    };
  }
}
