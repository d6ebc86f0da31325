import { Counter, type Registry } from 'prom-client';
import { FEED_METRICS, type FeedMetricName } from './feed-metric-catalog.ts';

/**
 * A counter whose hot-path increments are plain number additions, handed to prom-client at scrape time (its
 * `collect` hook), so the server's per-message paths never pay for label hashing.
 */
export class BatchedCounter {
  /** everything added since start */
  total = 0;
  #flushed = 0;

  readonly #counter: Counter;

  constructor(registry: Registry, name: FeedMetricName) {
    this.#counter = new Counter({
      name,
      help: FEED_METRICS[name].help,
      registers: [registry],
      collect: () => this.#flush(),
    });
  }

  #flush(): void {
    if (this.total > this.#flushed) this.#counter.inc(this.total - this.#flushed);
    this.#flushed = this.total;
  }
}
