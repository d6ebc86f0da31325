import type { ChannelHandle } from './feed-source.ts';

/**
 * Messages in the order they go on the wire, each with the gateway's number (strictly increasing over the
 * gateway's life, so lists from several channels merge by number). Reused across flushes: `count`, never
 * `length = 0`, marks the end, so the hot path allocates nothing.
 */
export class MessageList {
  readonly messages: Uint8Array[] = [];
  readonly numbers: number[] = [];
  count = 0;

  push(encoded: Uint8Array, no: number): void {
    const i = this.count++;
    this.messages[i] = encoded;
    this.numbers[i] = no;
  }

  /** How many messages are numbered above `no`. */
  countAfter(no: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.numbers[mid] as number) <= no) lo = mid + 1;
      else hi = mid;
    }
    return this.count - lo;
  }

  /** Forgets the messages (references dropped so they can be collected). */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.messages[i] = EMPTY;
    this.count = 0;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The fan-out of one channel: its subscribers, the latest seq seen on the bus, and the channel's messages
 * published since the last flush — appended once however many subscribe (profiled with `npm run bench:feed`,
 * bench/README.md: per-subscriber work per message was most of the gateway's CPU). At the flush each connection's frame is merged from the pending lists
 * of its channels, once per distinct set of channels.
 *
 * `S` is the gateway's subscription (feed-connection.ts's `ConnectionSubscription`, which points back at its fan-out): a
 * type parameter, so that this file does not import the connection that imports it.
 */
export class Fanout<S> {
  readonly subscribers: S[] = [];
  readonly pending = new MessageList();
  /** listed in the gateway's fan-outs with pending messages */
  dirty = false;
  lastSeq: number;
  unsubscribe: () => void = noop;

  constructor(
    readonly channel: ChannelHandle,
    lastSeq: number,
  ) {
    this.lastSeq = lastSeq;
  }
}

function noop(): void {}

/**
 * Merges sorted message lists into `out` by message number; `after[i]`: only messages of `lists[i]` numbered
 * above it. `out` is cleared first.
 */
export function mergeByNumber(
  lists: readonly MessageList[],
  after: readonly number[],
  k: number,
  out: MessageList,
): void {
  out.clear();
  const at = CURSORS;
  for (let i = 0; i < k; i++) {
    const list = lists[i] as MessageList;
    at[i] = list.count - list.countAfter(after[i] as number);
  }
  for (;;) {
    let best = -1;
    let bestNo = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const list = lists[i] as MessageList;
      const j = at[i] as number;
      if (j < list.count && (list.numbers[j] as number) < bestNo) {
        best = i;
        bestNo = list.numbers[j] as number;
      }
    }
    if (best < 0) return;
    const list = lists[best] as MessageList;
    const j = at[best] as number;
    out.push(list.messages[j] as Uint8Array, bestNo);
    at[best] = j + 1;
  }
}

const CURSORS: number[] = [];
