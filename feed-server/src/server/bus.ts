/**
 * The seam between the market-data producer and the gateway: encoded channel messages, published once and fanned
 * out to subscribers. An interface so a distributed bus can later replace {@link InProcessBus}.
 */

/** Receives one published message of a subscribed channel. */
export type BusHandler = (channel: string, seq: number, encoded: Uint8Array) => void;

/** Publish/subscribe of encoded channel messages. */
export interface Bus {
  /**
   * Delivers a message to the channel's current subscribers.
   *
   * @param channel - canonical channel name (PROTOCOL.md §4).
   * @param seq - the message's seq in the channel (PROTOCOL.md §5).
   * @param encoded - the message as sent on the wire; shared by all subscribers, who must not mutate it.
   */
  publish(channel: string, seq: number, encoded: Uint8Array): void;
  /**
   * Calls `handler` for each message later published on `channel`.
   *
   * @returns a function that ends this subscription; calling it again does nothing.
   */
  subscribe(channel: string, handler: BusHandler): () => void;
}

/** Reports an error a handler threw; the other handlers have still received the message. */
export type BusErrorReporter = (error: unknown, channel: string, seq: number) => void;

interface BusSubscription {
  readonly handler: BusHandler;
}

/**
 * A synchronous, single-process {@link Bus}: `publish` returns after every subscriber's handler has run. A handler
 * that throws does not stop delivery to the others; its error goes to `onError` once all have been called.
 */
export class InProcessBus implements Bus {
  // Copy-on-write arrays: publish (the hot path) iterates without allocating, and a handler that subscribes or
  // unsubscribes during delivery changes the next publish, not this one.
  readonly #subscriptions = new Map<string, readonly BusSubscription[]>();
  readonly #onError: BusErrorReporter;

  /** @param onError - called with each error a handler threw during {@link InProcessBus.publish}. */
  constructor(onError: BusErrorReporter) {
    this.#onError = onError;
  }

  /** {@inheritDoc Bus.publish} */
  publish(channel: string, seq: number, encoded: Uint8Array): void {
    const subscriptions = this.#subscriptions.get(channel);
    if (subscriptions === undefined) return;
    let errors: unknown[] | undefined;
    for (const { handler } of subscriptions) {
      try {
        handler(channel, seq, encoded);
      } catch (error) {
        errors ??= [];
        errors.push(error);
      }
    }
    if (errors !== undefined) for (const error of errors) this.#onError(error, channel, seq);
  }

  /** {@inheritDoc Bus.subscribe} */
  subscribe(channel: string, handler: BusHandler): () => void {
    const subscription: BusSubscription = { handler };
    this.#subscriptions.set(channel, [...(this.#subscriptions.get(channel) ?? []), subscription]);
    return () => {
      const current = this.#subscriptions.get(channel);
      if (current === undefined || !current.includes(subscription)) return;
      const rest = current.filter((s) => s !== subscription);
      if (rest.length === 0) this.#subscriptions.delete(channel);
      else this.#subscriptions.set(channel, rest);
    };
  }

  /** Number of subscriptions to `channel`. */
  subscriberCount(channel: string): number {
    return this.#subscriptions.get(channel)?.length ?? 0;
  }
}
