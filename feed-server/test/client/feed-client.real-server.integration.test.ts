// The package's own export, as a user imports it.
import {
  type BookEvent,
  FeedClient,
  type FeedEvent,
  type StatusEvent,
  type TradeEvent,
} from 'tickwire/client/node';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  type FeedServerOptions,
  type RunningFeedServer,
  startFeedServer,
} from '../../src/http/feed-server.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

/* The SDK against the real server on 127.0.0.1:0 (the scripted-server tests cover the SDK's edge cases). */

const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const running: RunningFeedServer[] = [];
const clients: FeedClient[] = [];

async function server(options: Partial<FeedServerOptions> = {}): Promise<RunningFeedServer> {
  const s = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    seed: 11,
    instruments,
    rate: 3000,
    log: () => {},
    ...options,
  });
  running.push(s);
  return s;
}

function feedClient(url: string): FeedClient {
  const c = new FeedClient({ url, reconnect: { minDelayMs: 20, maxDelayMs: 200 } });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const waitFor = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('FeedClient against tickwire serve', () => {
  test('the local full book equals the server book after 100k engine events, every checksum verified', async () => {
    const s = await server({ rate: 40_000 });
    const c = feedClient(s.wsUrl);
    let btc: BookEvent | undefined;
    let updates = 0;
    c.on('book', (e) => {
      if (e.symbol === 'BTC-USD') btc = e;
      updates++;
    });
    await c.subscribe(['book:BTC-USD:full', 'book:ETH-USD:10']);
    // 100k engine events after the subscription, not since the start: the driver catches up as fast as the
    // machine lets it, so on a loaded machine most of a fixed total could pass before the subscription lands.
    const subscribedAt = s.publisher.events;
    await waitFor(() => s.publisher.events >= subscribedAt + 100_000, 60_000, '100k engine events');
    s.driver.stop();
    const serverBook = s.publisher.book('BTC-USD', 'full');
    // Wait for the last update to arrive (a loaded machine may take a while), not for a fixed time.
    const lastSeq = s.publisher.channels().find((ch) => ch.name === 'book:BTC-USD:full');
    await waitFor(
      () => btc !== undefined && lastSeq !== undefined && btc.seq >= s.publisher.lastSeq(lastSeq),
      30_000,
      'the last book update',
    );
    expect(c.stats.checksumMismatches).toBe(0);
    expect(c.stats.gaps).toBe(0);
    expect(updates).toBeGreaterThan(1000);
    expect(serverBook?.bids.length).toBeGreaterThan(5);
    expect(btc?.book.toSnapshot()).toEqual({ bids: serverBook?.bids, asks: serverBook?.asks });
  }, 90_000);

  test('a killed socket: the client reconnects and resumes with no gap and no duplicate', async () => {
    const s = await server({ rate: 4000 });
    const proxy = await TcpProxy.start(s.port);
    const c = feedClient(`ws://127.0.0.1:${proxy.port}/v1/ws`);
    const trades: TradeEvent[] = [];
    const statusEvents: StatusEvent[] = [];
    /** trades received when each `live` status came */
    const tradesAtLive: number[] = [];
    c.on('trade', (t) => trades.push(t));
    c.on('status', (e) => {
      statusEvents.push(e);
      if (e.status === 'live') tradesAtLive.push(trades.length);
    });
    await c.subscribe(['trades:BTC-USD', 'book:BTC-USD:10']);
    await waitFor(() => trades.length > 20, 10_000, 'trades');
    // Cut the link under both ends, as a network failure would.
    proxy.cut();
    // Wait for the new connection's own trades, not for a total: the snapshot alone holds ~100 trades and the
    // old socket's last frames still arrive after the cut, so a total can be reached before the reconnect.
    const resumedTrades = () => trades.length - (tradesAtLive.at(-1) ?? trades.length);
    await waitFor(
      () => tradesAtLive.length > 1 && resumedTrades() > 100,
      20_000,
      'trades after the reconnect',
    );
    const ids = trades.map((t) => t.tradeId);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe((ids[i - 1] as number) + 1);
    expect(c.stats.gaps).toBe(0);
    expect(c.stats.resyncs).toBe(0);
    // A resume sends no snapshot: the trades after the reconnect are all updates.
    expect(trades.slice(tradesAtLive.at(-1)).filter((t) => t.snapshot)).toEqual([]);
    const seen = statusEvents.map((e) => e.status);
    expect(seen).toContain('reconnecting');
    // After the reconnect: live, resuming the same session, and each channel says it did resume.
    const lastLive = seen.lastIndexOf('live');
    const firstLive = statusEvents[seen.indexOf('live')];
    const session = firstLive?.status === 'live' ? firstLive.session : undefined;
    expect(statusEvents[lastLive]).toMatchObject({ resumed: true, session, previousSession: session });
    const after = statusEvents.slice(lastLive + 1);
    expect(after.map((e) => (e.status === 'synced' ? `${e.channel} ${e.resumed}` : e.status)).sort()).toEqual(
      ['book:BTC-USD:10 true', 'trades:BTC-USD true'],
    );
    await proxy.close();
  }, 40_000);

  test('the server restarts on the same port: reset, a fresh snapshot, live again', async () => {
    const first = await server();
    const port = first.port;
    const c = feedClient(first.wsUrl);
    const events: FeedEvent[] = [];
    c.on('status', (e) => events.push(e));
    let books = 0;
    let lastBook: BookEvent | undefined;
    c.on('book', (e) => {
      books++;
      lastBook = e;
    });
    await c.subscribe(['book:BTC-USD:10']);
    await waitFor(() => books > 10, 10_000, 'books');
    await first.close();
    running.splice(0);
    await server({ port });
    const before = books;
    await waitFor(() => books > before + 10, 20_000, 'books from the new server');
    expect(c.stats.checksumMismatches).toBe(0);
    // The status tells the truth: not resumed (a new session), the channel starts over in a new generation.
    const statuses = events.filter((e) => e.type === 'status');
    const live = statuses.filter((e) => e.status === 'live');
    expect(live.at(-1)).toMatchObject({ resumed: false, previousSession: live[0]?.session });
    expect(live.at(-1)?.session).not.toBe(live[0]?.session);
    expect(statuses.filter((e) => e.status === 'resyncing')).toMatchObject([
      { channel: 'instruments', reason: 'session' },
      { channel: 'book:BTC-USD:10', reason: 'session' },
    ]);
    expect(lastBook?.generation).toBe(2);
  }, 40_000);
});
