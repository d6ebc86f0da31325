import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { startReplayServer } from '../../../replay/src/index.ts';
import { recordSimulatedSession } from '../../../replay/test/support/recorded-session.ts';
import { FeedClient, FeedClientError, type FeedEvent } from '../../src/client/node.ts';

/*
 * Issue 11 §4: what a consumer reads from an event must be the same on every run. Two replays of one
 * recording, each read through the queued `events()` iterator by a consumer that falls behind, must give the
 * same digest — book tops and checksums included — and that digest must be the one of a listener that read
 * each book at the moment of its event.
 */

let dir: string;

beforeAll(async () => {
  dir = (await recordSimulatedSession({ seed: 5, rate: 400, seconds: 10, checkpoints: 1 })).dir;
}, 120_000);

/** One line per data event: what the consumer can read from it. */
function line(e: FeedEvent): string | null {
  switch (e.type) {
    case 'book': {
      const b = e.book;
      return `book ${e.seq} g${e.generation} ${JSON.stringify(b.bids[0])} ${JSON.stringify(b.asks[0])} ${b.bids.length}/${b.asks.length} ${b.checksum()}`;
    }
    case 'candle':
      return `candle ${e.seq} ${e.bar.startUs} ${e.bar.close} ${e.bars.length} ${e.bars.at(-1)?.close}`;
    case 'trade':
      return `trade ${e.seq} ${e.tradeId}`;
    default:
      return null;
  }
}

/** Replays the recording at full speed into a consumer that reads `events()` late; returns both digests. */
async function replayOnce(): Promise<{ queued: string; direct: string; books: number; maxQueued: number }> {
  const server = await startReplayServer({
    host: '127.0.0.1',
    port: 0,
    session: dir,
    paused: true,
    speed: 'max',
    log: () => {},
  });
  const client = new FeedClient({ url: server.wsUrl, reconnect: false });
  try {
    const direct = createHash('sha256');
    let books = 0;
    client.on('book', (e) => {
      books++;
      direct.update(`${line(e)}\n`);
    });
    client.on('candle', (e) => direct.update(`${line(e)}\n`));
    client.on('trade', (e) => direct.update(`${line(e)}\n`));
    const events = client.events();
    await client.subscribe(['book:BTC-USD:10', 'candles:BTC-USD:1s', 'trades:BTC-USD', 'replay']);
    await client.replay('play');
    const queued = createHash('sha256');
    let maxQueued = 0;
    for await (const e of events) {
      // A slow consumer: each event is read a turn later, so that the client runs ahead of it.
      await new Promise((r) => setImmediate(r));
      maxQueued = Math.max(maxQueued, (events as unknown as { queued: number }).queued);
      const l = line(e);
      if (l !== null) queued.update(`${l}\n`);
      if (e.type === 'replay' && e.status.state === 'ended') break;
    }
    return { queued: queued.digest('hex'), direct: direct.digest('hex'), books, maxQueued };
  } finally {
    client.close();
    await server.close();
  }
}

describe('events() of a replay, read late', () => {
  test('two replays give the same digest, book tops included, and it is the one read at each event', async () => {
    const first = await replayOnce();
    const second = await replayOnce();
    console.log(
      `book events ${first.books}, consumer at most ${first.maxQueued}/${second.maxQueued} events behind`,
    );
    expect(first.books).toBeGreaterThan(100);
    expect(first.maxQueued).toBeGreaterThan(10);
    expect(first.queued).toBe(first.direct);
    expect(second.queued).toBe(second.direct);
    expect(second.queued).toBe(first.queued);
  }, 120_000);
});

describe('replay requests the server refuses', () => {
  test('come back with the server code in serverCode, not only in the message', async () => {
    const server = await startReplayServer({
      host: '127.0.0.1',
      port: 0,
      session: dir,
      paused: true,
      log: () => {},
    });
    const client = new FeedClient({ url: server.wsUrl, reconnect: false });
    try {
      const refused = await client
        .replay('seek', { tsUs: server.feed.toUs + 60_000_000 })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FeedClientError);
      expect(refused).toMatchObject({ code: 'REFUSED', serverCode: 'BAD_REQUEST', refusals: [] });
      const badSpeed = await client.replay('speed', { speed: 1e9 }).catch((e: unknown) => e);
      expect(badSpeed).toMatchObject({ code: 'REFUSED', serverCode: 'BAD_REQUEST' });
    } finally {
      client.close();
      await server.close();
    }
  });
});
