import { FeedClientError } from './feed-client-error.ts';

/**
 * An async iterator of events, as `FeedClient.trades()` and its siblings return it. `for await` it; leaving
 * the loop (`break`, `return`, an exception) calls `return()`, which releases the subscription behind it.
 * It ends when the client closes, and throws a `FeedClientError` when its subscription is refused, the
 * connection closes fatally, or it falls `maxQueue` events behind (`SLOW_CONSUMER`).
 */
export interface FeedStream<T> extends AsyncIterableIterator<T> {
  /** Stops the stream and releases its subscription; events still queued are dropped. */
  return(): Promise<IteratorResult<T, undefined>>;
}

/** Told when a stream's consumer leaves (or the stream closed itself). */
export interface StreamOwner {
  release(stream: object): void;
}

/** The producer's side of a stream: method syntax, so a stream of `TradeEvent` is an `EventSink<FeedEvent>`. */
export interface EventSink<T> {
  push(value: T): void;
  end(): void;
  fail(error: Error): void;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The queue behind a `FeedStream`: the client `push`es, the consumer `next()`s. With `conflate`, only the
 * latest pushed value waits (a book stream yields the current book, skipping states a slow consumer missed).
 * Per message it allocates no closure: the pending `next()` promise's executor is bound once.
 */
export class EventStream<T> implements FeedStream<T>, EventSink<T> {
  private queue: T[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | undefined;
  private resolveNext: ((r: IteratorResult<T, undefined>) => void) | undefined;
  private rejectNext: ((e: unknown) => void) | undefined;

  constructor(
    private readonly owner: StreamOwner | undefined,
    private readonly conflate: boolean,
    private readonly maxQueue: number,
  ) {}

  /** Whether the stream still takes events. */
  get open(): boolean {
    return !this.ended;
  }

  /** Events waiting for the consumer. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queues one event, or hands it to a waiting `next()`. */
  push(value: T): void {
    if (this.ended) return;
    const resolve = this.resolveNext;
    if (resolve !== undefined) {
      this.resolveNext = undefined;
      this.rejectNext = undefined;
      resolve({ done: false, value });
      return;
    }
    if (this.conflate) {
      this.queue[0] = value;
      this.head = 0;
      return;
    }
    if (this.queue.length - this.head >= this.maxQueue) {
      this.fail(
        new FeedClientError('SLOW_CONSUMER', `stream fell ${this.maxQueue} events behind; it is closed`),
      );
      this.owner?.release(this);
      return;
    }
    this.queue.push(value);
  }

  /** Ends the stream once the queued events are consumed. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiter();
  }

  /** Ends the stream with an error, thrown by `next()` once the queued events are consumed. */
  fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head] as T;
      this.queue[this.head++] = undefined as T;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.ended) return this.finish();
    if (this.resolveNext !== undefined) {
      return Promise.reject(new Error('FeedStream.next() called again before the previous call settled'));
    }
    return new Promise(this.waitExecutor);
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const wasOpen = !this.ended;
    this.ended = true;
    this.failure = undefined;
    this.queue = [];
    this.head = 0;
    this.settleWaiter();
    if (wasOpen) this.owner?.release(this);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  // Bound once: `new Promise(this.waitExecutor)` creates no closure per event.
  private readonly waitExecutor = (
    resolve: (r: IteratorResult<T, undefined>) => void,
    reject: (e: unknown) => void,
  ): void => {
    this.resolveNext = resolve;
    this.rejectNext = reject;
  };

  private finish(): Promise<IteratorResult<T, undefined>> {
    const failure = this.failure;
    if (failure === undefined) return Promise.resolve(DONE);
    this.failure = undefined;
    return Promise.reject(failure);
  }

  private settleWaiter(): void {
    const resolve = this.resolveNext;
    const reject = this.rejectNext;
    if (resolve === undefined || reject === undefined) return;
    this.resolveNext = undefined;
    this.rejectNext = undefined;
    const failure = this.failure;
    if (failure === undefined) resolve(DONE);
    else {
      this.failure = undefined;
      reject(failure);
    }
  }
}
