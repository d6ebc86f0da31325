import { FeedClientError } from './feed-client-error.ts';

/** How a client's life ended, as `Connection` reports it. */
export interface ConnectionEnd {
  /** what pending promises reject with, and streams fail with unless `clean` */
  readonly error: FeedClientError;
  /** closed by `close()` or the signal: streams end once read, they do not fail */
  readonly clean: boolean;
  /** a close code that must not be retried (1008, 4001, 4002, 4003) */
  readonly fatal: boolean;
  readonly closeCode: number;
  readonly closeReason: string;
}

/**
 * Why a client ended: `close()`, a fatal close code, a lost connection with reconnecting off, the first
 * connection's deadline, or the signal.
 */
export type EndReason = 'closed' | 'fatal' | 'disconnected' | 'timeout' | 'aborted';

/** The error a client that ended for `why` rejects its pending promises with (and fails its streams with). */
export function endError(
  code: number,
  reason: string,
  why: EndReason,
  abortReason: unknown,
): FeedClientError {
  switch (why) {
    case 'closed':
      return new FeedClientError('CLOSED', 'the client was closed');
    case 'aborted':
      return new FeedClientError('ABORTED', 'the client was aborted by its signal', { cause: abortReason });
    case 'timeout':
      return new FeedClientError('CONNECT_TIMEOUT', reason);
    case 'fatal':
      return new FeedClientError('FATAL_CLOSE', `the server closed the connection: ${code} ${reason}`, {
        closeCode: code,
      });
    case 'disconnected':
      return new FeedClientError('DISCONNECTED', `the connection closed: ${code} ${reason}`, {
        closeCode: code,
      });
  }
}

/** What a call on a closed client rejects with. */
export function closedError(): FeedClientError {
  return new FeedClientError('CLOSED', 'the client is closed');
}
