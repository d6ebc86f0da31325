import type { FeedStats, StatusEvent } from 'tickwire/client';

/** The connection as the status indicator shows it. */
export type LinkState = 'connecting' | 'live' | 'resyncing' | 'reconnecting' | 'closed';

/** The status indicator's texts. */
export interface ConnectionView {
  readonly state: LinkState;
  /** e.g. `"Live"`, `"Reconnecting in 1.2 s"` */
  readonly label: string;
  /** more detail for a tooltip and screen readers, e.g. the close code or the channel being resynced */
  readonly detail: string;
  /** median feed latency over the last samples, e.g. `"3.1 ms"`; `"—"` when not measured (replay, no data) */
  readonly latency: string;
  /** messages per second over the last sampling window, e.g. `"1,204 msg/s"` */
  readonly rate: string;
}

/** Latency samples kept for the median. */
const LATENCY_SAMPLES = 9;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/**
 * The connection state the page shows, from the SDK's `status` events and its `stats`:
 * `live`, `reconnecting` (with the delay and the close code), `resyncing` (a channel lost messages, was reset
 * or its session changed, and waits for its fresh snapshot; it is live again with its `synced` status or its
 * next data event), `connecting`, `closed` (fatal codes).
 * The latency is the SDK's measure — the engine's event time to its arrival, by this machine's clock — as a
 * median of recent samples, so one late frame does not make the number jump.
 */
export class ConnectionModel {
  private state: LinkState = 'connecting';
  private detailText = 'opening the connection';
  private reconnectDelayMs = 0;
  private reconnectAtMs = 0;
  private readonly resyncing = new Set<string>();
  private readonly latencies: number[] = [];
  private lastLatencySeen: number | null = null;
  private lastMessages = 0;
  private lastSampleMs: number | null = null;
  private ratePerS = 0;
  private replay = false;

  /** Applies a `status` event at `nowMs`. */
  onStatus(e: StatusEvent, nowMs: number): void {
    switch (e.status) {
      case 'connecting':
        this.state = 'connecting';
        this.detailText = `opening the connection (attempt ${e.attempt})`;
        return;
      case 'live':
        this.state = 'live';
        this.replay = e.mode === 'replay';
        this.resyncing.clear();
        this.detailText = `${e.resumed ? 'resumed' : 'connected'}, session ${e.session}`;
        return;
      case 'resyncing':
        this.resyncing.add(e.channel);
        this.detailText = `${e.channel}: ${e.reason} — ${e.message}`;
        return;
      case 'synced':
        // In sequence again, even when its snapshot held no data to deliver (no trades yet, no bars).
        this.resyncing.delete(e.channel);
        return;
      case 'reconnecting':
        this.state = 'reconnecting';
        this.resyncing.clear();
        this.reconnectDelayMs = e.delayMs;
        this.reconnectAtMs = nowMs + e.delayMs;
        this.detailText = `connection lost (${e.closeCode}${e.closeReason === '' ? '' : ` ${e.closeReason}`}), attempt ${e.attempt}`;
        this.latencies.length = 0;
        return;
      case 'closed':
        this.state = 'closed';
        this.detailText = e.fatal
          ? `refused by the server: ${e.closeCode} ${e.closeReason}`
          : `closed (${e.closeCode} ${e.closeReason})`;
        return;
    }
  }

  /** A data event arrived on `channel`: it is in sequence again. */
  onData(channel: string): void {
    if (this.resyncing.size > 0) this.resyncing.delete(channel);
  }

  /** A channel was unsubscribed: it no longer counts as resyncing. */
  forget(channel: string): void {
    this.resyncing.delete(channel);
  }

  /** Takes a sample of the client's counters at `nowMs` (every few hundred milliseconds). */
  sample(stats: FeedStats, nowMs: number): void {
    const last = stats.latencyUs.last;
    if (last !== null && last !== this.lastLatencySeen) {
      this.latencies.push(last);
      if (this.latencies.length > LATENCY_SAMPLES) this.latencies.shift();
    }
    this.lastLatencySeen = last;
    if (this.lastSampleMs === null) {
      this.lastSampleMs = nowMs;
      this.lastMessages = stats.messages;
    } else if (nowMs - this.lastSampleMs >= 1000) {
      this.ratePerS = ((stats.messages - this.lastMessages) * 1000) / (nowMs - this.lastSampleMs);
      this.lastSampleMs = nowMs;
      this.lastMessages = stats.messages;
    }
  }

  /** The shown state: `resyncing` while a channel waits for its snapshot on a live connection. */
  get linkState(): LinkState {
    return this.state === 'live' && this.resyncing.size > 0 ? 'resyncing' : this.state;
  }

  /** The indicator's texts at `nowMs`. */
  view(nowMs: number): ConnectionView {
    const state = this.linkState;
    let label: string;
    let detail = this.detailText;
    switch (state) {
      case 'connecting':
        label = 'Connecting…';
        break;
      case 'live':
        label = this.replay ? 'Replay' : 'Live';
        break;
      case 'resyncing':
        label = 'Resyncing';
        detail = `resyncing ${[...this.resyncing].join(', ')}`;
        break;
      case 'reconnecting': {
        const left = Math.max(0, this.reconnectAtMs - nowMs);
        label =
          left > 0 && this.reconnectDelayMs >= 1000
            ? `Reconnecting in ${Math.ceil(left / 1000)} s`
            : 'Reconnecting…';
        break;
      }
      case 'closed':
        label = 'Disconnected';
        break;
    }
    const med = this.replay || this.state !== 'live' ? null : median(this.latencies);
    return {
      state,
      label,
      detail,
      latency: med === null ? '—' : `${(med / 1000).toFixed(1)} ms`,
      rate: `${Math.round(this.ratePerS).toLocaleString('en-US')} msg/s`,
    };
  }
}
