import type { WebSocketLike } from 'tickwire/client';
import {
  type BookLevel,
  bookChecksum,
  buildFrame,
  decodeRequest,
  encodeMessage,
  type InstrumentInfo,
  type ServerMessage,
  type Welcome,
} from 'tickwire/protocol';

/**
 * An in-process WebSocket for `FeedClient` (injected as its `WebSocket`): it answers the welcome and every
 * subscribe with the ack and the channel's snapshot, and hands the client pre-encoded frames synchronously
 * (`deliver`), so a benchmark times the SDK's own work per message — decoding, sequencing, event objects,
 * dispatch — with no network and no timer in between.
 */

export const BTC: InstrumentInfo = {
  symbol: 'BTC-USD',
  priceScale: 2,
  qtyScale: 5,
  tickSize: 1,
  lotSize: 1,
  minSize: 10,
  maxPrice: 2 ** 50,
  maxSize: 2 ** 50,
};

const TS_US = 1_767_225_600_000_000;
const WELCOME: Welcome = {
  protocol: 'tickwire.v1',
  server: 'bench/0',
  session: 'bench',
  heartbeatMs: 600_000,
  mode: 'replay', // no latency bookkeeping on the engine's time
  limits: {
    clientFrameBytes: 4096,
    channelsPerRequest: 50,
    subscriptionsPerConnection: 100,
    requestsPerSecond: 1000,
    requestBurst: 1000,
    connectionsPerIp: 100,
    queuedBytesPerConnection: 4 * 1024 * 1024,
  },
};

/** The book every `book:BTC-USD:10` snapshot starts from: 10 levels a side around 65000.00. */
export function startingBook(): { bids: BookLevel[]; asks: BookLevel[] } {
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < 10; i++) {
    bids.push([6_500_000 - i * 100, 1000 + i, 1]);
    asks.push([6_500_100 + i * 100, 1000 + i, 1]);
  }
  return { bids, asks };
}

/** The channel id each channel is acked with. */
const IDS: Readonly<Record<string, number>> = { instruments: 1, 'trades:BTC-USD': 2, 'book:BTC-USD:10': 3 };

function snapshotOf(channel: string, id: number): ServerMessage {
  if (channel === 'instruments') return [3, id, 0, 0, [BTC]];
  if (channel === 'trades:BTC-USD') return [3, id, 0, 0, []];
  const { bids, asks } = startingBook();
  return [3, id, 0, TS_US, [bookChecksum(bids, asks), bids, asks]];
}

/** The socket the latest `FeedClient` opened. */
export let lastSocket: ScriptedSocket | undefined;

export class ScriptedSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;

  constructor() {
    lastSocket = this;
    setTimeout(() => {
      this.readyState = 1;
      this.deliver(buildFrame([encodeMessage([0, WELCOME])]));
    }, 0);
  }

  /** Hands one frame to the client, as a socket's message event. */
  deliver(frame: Uint8Array): void {
    this.onmessage?.({ data: frame });
  }

  send(data: Uint8Array | string): void {
    const request = decodeRequest(data);
    if (request.op !== 'subscribe') return;
    const acked: Record<string, number> = {};
    const snapshots: ServerMessage[] = [];
    for (const c of request.channels) {
      const id = IDS[c];
      if (id === undefined) throw new Error(`the bench serves no ${c}`);
      acked[c] = id;
      snapshots.push(snapshotOf(c, id));
    }
    const messages: ServerMessage[] = [[1, request.id, acked], ...snapshots];
    queueMicrotask(() => this.deliver(buildFrame(messages.map(encodeMessage))));
  }

  close(): void {
    this.readyState = 3;
  }
}

/** `count` trade updates of `trades:BTC-USD` (seq 1…), `perFrame` to a frame. */
export function tradeFrames(count: number, perFrame: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let batch: Uint8Array[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const price = 6_500_000 + ((seq * 7919) % 2000);
    batch.push(
      encodeMessage([
        4,
        IDS['trades:BTC-USD'] ?? 0,
        seq,
        TS_US + seq,
        seq,
        price,
        100 + (seq % 900),
        seq % 2 === 0 ? 'b' : 's',
      ]),
    );
    if (batch.length === perFrame) {
      frames.push(buildFrame(batch));
      batch = [];
    }
  }
  if (batch.length > 0) frames.push(buildFrame(batch));
  return frames;
}

/** `count` updates of `book:BTC-USD:10` (seq 1…), each changing one level's quantity, `perFrame` to a frame. */
export function bookFrames(count: number, perFrame: number): Uint8Array[] {
  const { bids, asks } = startingBook();
  const frames: Uint8Array[] = [];
  let batch: Uint8Array[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const side = seq % 2 === 0 ? bids : asks;
    const at = seq % 10;
    const old = side[at] as BookLevel;
    const level: BookLevel = [old[0], 1000 + (seq % 5000), 1 + (seq % 3)];
    side[at] = level;
    const changedBids = side === bids ? [level] : [];
    const changedAsks = side === asks ? [level] : [];
    batch.push(
      encodeMessage([
        4,
        IDS['book:BTC-USD:10'] ?? 0,
        seq,
        TS_US + seq,
        bookChecksum(bids, asks),
        changedBids,
        changedAsks,
      ]),
    );
    if (batch.length === perFrame) {
      frames.push(buildFrame(batch));
      batch = [];
    }
  }
  if (batch.length > 0) frames.push(buildFrame(batch));
  return frames;
}
