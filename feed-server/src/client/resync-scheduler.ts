import type { Subscription } from './subscription.ts';

/** Repeated resyncs of one channel back off from this delay… */
const RESYNC_MIN_DELAY_MS = 250;
/** …up to this one. */
const RESYNC_MAX_DELAY_MS = 30_000;

/**
 * The channels that asked for a resync (a gap, a checksum mismatch), resubscribed together once the frame
 * that revealed it is processed (one unsubscribe and one subscribe request). A channel that keeps failing (a
 * server bug, a checksum that never matches) waits a growing random delay instead, so that it cannot flood
 * the server or hit its rate limit.
 */
export class ResyncScheduler {
  private readonly pending = new Set<Subscription>();

  /** @param resubscribe - sends the resyncs of the channels still due */
  constructor(private readonly resubscribe: (subs: readonly Subscription[]) => void) {}

  /** `sub` asked for a resync. */
  add(sub: Subscription): void {
    this.pending.add(sub);
  }

  /** `sub` is gone. */
  delete(sub: Subscription): void {
    this.pending.delete(sub);
  }

  /** The connection is gone: every channel is resubscribed on the next one anyway. */
  clear(): void {
    this.pending.clear();
  }

  /** Resubscribes what the frame just processed asked for, now or after its backoff. */
  flush(): void {
    if (this.pending.size === 0) return;
    const due: Subscription[] = [];
    for (const sub of this.pending) {
      const n = sub.feed.consecutiveResyncs;
      if (n <= 1) {
        due.push(sub);
      } else if (sub.resyncTimer === undefined) {
        const ceiling = Math.min(RESYNC_MAX_DELAY_MS, RESYNC_MIN_DELAY_MS * 2 ** Math.min(n - 2, 20));
        sub.resyncTimer = setTimeout(() => {
          sub.resyncTimer = undefined;
          this.resubscribe([sub]);
        }, Math.random() * ceiling);
      }
    }
    this.pending.clear();
    this.resubscribe(due);
  }
}
