import { type EventSink, EventStream, type FeedStream } from './event-stream.ts';
import type { FeedEvent, FeedEventOf, FeedEventType } from './feed-events.ts';

type Listener = (event: FeedEvent) => void;

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Where every event of a `FeedClient` goes out: the `on()` listeners of its type, then the `events()` streams.
 * (A channel's own streams, `trades()` and its siblings, are fed by its `Subscription` before this.)
 */
export class EventHub {
  private readonly listeners = new Map<FeedEventType, Listener[]>();
  private readonly streams = new Set<EventSink<FeedEvent>>();

  constructor(private readonly maxQueue: number) {}

  /** Adds a listener of `type`; returns the function that removes it. */
  on<T extends FeedEventType>(type: T, listener: (event: FeedEventOf<T>) => void): () => void {
    const list = this.listeners.get(type) ?? [];
    const l = listener as Listener;
    list.push(l);
    this.listeners.set(type, list);
    return () => {
      const at = list.indexOf(l);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** A stream of every event from now on; `closed`: one that has ended already. */
  stream(closed: boolean): FeedStream<FeedEvent> {
    const stream = new EventStream<FeedEvent>(
      { release: (s) => this.streams.delete(s as EventSink<FeedEvent>) },
      false,
      this.maxQueue,
    );
    if (closed) stream.end();
    else this.streams.add(stream);
    return stream;
  }

  emit(event: FeedEvent): void {
    const list = this.listeners.get(event.type);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        try {
          (list[i] as Listener)(event);
        } catch (error) {
          this.listenerFailed(event, error);
        }
      }
    }
    for (const s of this.streams) s.push(event);
  }

  /** An error that belongs to no promise or stream, as an `error` event. */
  emitError(error: unknown): void {
    this.emit({ type: 'error', error: error instanceof Error ? error : new Error(String(error)) });
  }

  /** The client is closed: the streams end once read (`error` null), or fail with `error`. */
  close(error: Error | null): void {
    for (const s of this.streams) {
      if (error === null) s.end();
      else s.fail(error);
    }
    this.streams.clear();
  }

  /**
   * A listener's exception must not break the frame being processed, nor be swallowed: it becomes an
   * `error` event, or, when nobody takes those (or an error listener threw), an uncaught exception.
   */
  private listenerFailed(event: FeedEvent, error: unknown): void {
    const takers = (this.listeners.get('error')?.length ?? 0) + this.streams.size;
    if (event.type === 'error' || takers === 0) rethrowLater(error);
    else this.emitError(error);
  }
}
