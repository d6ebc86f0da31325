import { MAX_REQUEST_ID, type ReplayRequest, type Request } from '../protocol/index.ts';
import { FeedClientError } from './feed-client-error.ts';
import type { ReplayCommand } from './replay-command.ts';

/** A request sent on this connection and not yet answered. */
export interface PendingRequest {
  readonly op: 'subscribe' | 'unsubscribe' | 'replay';
  /** channels not yet acked or refused */
  readonly remaining: Set<string>;
  /** whether the subscribe carried `resume` */
  readonly resume: boolean;
  /** the caller waiting for the answer (`unsubscribe()`, `replay()`) */
  readonly waiter?: { resolve: () => void; reject: (e: Error) => void };
}

/** Where requests are sent: the client's connection. */
export interface RequestLine {
  /** whether a request can be sent now */
  readonly open: boolean;
  send(request: Request): void;
}

/**
 * The requests of the current connection (PROTOCOL.md §2): their ids (wrapping at `MAX_REQUEST_ID`) and what
 * each waits for, until its `ack` or `error` answers it or the connection is lost.
 */
export class RequestTracker {
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;

  constructor(private readonly line: RequestLine) {}

  /** A fresh request id. */
  id(): number {
    const id = this.nextId;
    this.nextId = id >= MAX_REQUEST_ID ? 0 : id + 1;
    return id;
  }

  get(id: number): PendingRequest | undefined {
    return this.pending.get(id);
  }

  /** The request is answered in full. */
  delete(id: number): void {
    this.pending.delete(id);
  }

  /**
   * Sends a subscribe or unsubscribe and waits for its answer. Not connected, there is nothing to answer: a
   * waiter resolves at once (the next connection subscribes what is wanted then).
   */
  send(
    request: Exclude<Request, ReplayRequest>,
    waiter?: { resolve: () => void; reject: (e: Error) => void },
  ): void {
    if (!this.line.open || request.op === 'ping') {
      waiter?.resolve();
      return;
    }
    this.pending.set(request.id, {
      op: request.op,
      remaining: new Set(request.channels),
      resume: request.op === 'subscribe' && request.resume !== undefined,
      ...(waiter === undefined ? {} : { waiter }),
    });
    this.line.send(request);
  }

  /** Sends a replay command (§16); resolves on its ack, rejects on its refusal or an unanswered close. */
  replay(command: ReplayCommand): Promise<void> {
    if (!this.line.open) {
      return Promise.reject(
        new FeedClientError('UNANSWERED', 'not connected: the replay request was not sent'),
      );
    }
    const id = this.id();
    const request: ReplayRequest = { op: 'replay', id, ...command };
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, {
        op: 'replay',
        remaining: new Set(),
        resume: false,
        waiter: { resolve, reject },
      });
      this.line.send(request);
    });
  }

  /**
   * The connection is gone: pending unsubscribes are done (the server forgets a closed connection's
   * subscriptions); a replay request may or may not have been carried out.
   */
  settle(): void {
    for (const r of this.pending.values()) {
      if (r.op !== 'replay') r.waiter?.resolve();
      else {
        r.waiter?.reject(
          new FeedClientError('UNANSWERED', 'the connection closed before the replay request was answered'),
        );
      }
    }
    this.pending.clear();
  }
}
