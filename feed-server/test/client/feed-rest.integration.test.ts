// The package's own export, as a user imports it.
import {
  type BookState,
  type CandleInterval,
  FeedClient,
  FeedRest,
  formatScaled,
  type TradeEvent,
} from 'tickwire/client/node';
import { afterEach, describe, expect, test } from 'vitest';
import { mintToken } from '../../src/server/auth-token.ts';
import { feedClientFailure } from '../support/feed-client-failure.ts';
import { TEST_INSTRUMENTS, useFeedServers } from '../support/test-feed-servers.ts';

/* The SDK's decimals, sides and REST helpers against the real server (issue 15): what a CCXT user reaches for. */

const feeds = useFeedServers({ rate: 2000 });
const clients: FeedClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function feedClient(url: string, token?: string): FeedClient {
  const c = new FeedClient({ url, reconnect: false, ...(token === undefined ? {} : { token }) });
  clients.push(c);
  return c;
}

const BTC = TEST_INSTRUMENTS.find((i) => i.symbol === 'BTC-USD');
if (BTC === undefined) throw new Error('no BTC-USD among the test instruments');

const waitFor = async (check: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('decimals with no setup', () => {
  test("a fresh client's first trade carries its exact decimal price and a side in words, no instruments() call", async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    let first: TradeEvent | undefined;
    for await (const t of client.trades('BTC-USD')) {
      first = t;
      break;
    }
    if (first === undefined) throw new Error('no trade');
    expect(first.priceDecimal).toBe(formatScaled(first.price, BTC.priceScale));
    expect(first.qtyDecimal).toBe(formatScaled(first.qty, BTC.qtyScale));
    expect(first.priceDecimal).toMatch(/^\d+\.\d{2}$/);
    expect(['buy', 'sell']).toContain(first.side);
  });

  test('ticker, book and candle events carry decimals from their first event on', async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    const [ticker, book, candle] = await Promise.all([
      client.ticker('ETH-USD').next(),
      client.book('ETH-USD', 10).next(),
      client.candles('ETH-USD', '1s').next(),
    ]);
    const eth = client.instrument('ETH-USD');
    if (eth === undefined || ticker.done || book.done || candle.done) throw new Error('no events');
    expect(ticker.value.bidDecimal).toBe(formatScaled(ticker.value.bid ?? 0, eth.priceScale));
    expect(ticker.value.volume24hDecimal).toBe(formatScaled(ticker.value.volume24h, eth.qtyScale));
    const [price, qty, count] = book.value.book.bids[0] ?? [0, 0, 0];
    expect(book.value.book.bidsDecimal[0]).toEqual([
      formatScaled(price, eth.priceScale),
      formatScaled(qty, eth.qtyScale),
      count,
    ]);
    expect(candle.value.bar.closeDecimal).toBe(formatScaled(candle.value.bar.close, eth.priceScale));
  });
});

describe('REST helpers return what the stream carries', () => {
  test('the base is derived from the feed URL; instruments as the stream lists them', async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    expect(client.rest.baseUrl).toBe(s.url);
    expect(await client.rest.instruments()).toEqual(await client.instruments());
  });

  test('trades: the stream snapshot trades, field for field, decimals and sides included', async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    const streamed: TradeEvent[] = [];
    const stream = client.trades('BTC-USD');
    for await (const t of stream) {
      streamed.push(t);
      if (!t.snapshot && streamed.length >= 5) break;
    }
    const rest = await client.rest.trades('BTC-USD', { limit: 1000 });
    const byId = new Map(rest.map((t) => [t.tradeId, t]));
    for (const t of streamed) {
      const r = byId.get(t.tradeId);
      expect(r).toEqual({
        symbol: t.symbol,
        tsUs: t.tsUs,
        tradeId: t.tradeId,
        price: t.price,
        priceDecimal: t.priceDecimal,
        qty: t.qty,
        qtyDecimal: t.qtyDecimal,
        side: t.side,
      });
    }
  });

  test('candles: closed REST bars equal the stream bars, decimals included', async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    let closed = 0;
    const bars = new Map<number, unknown>();
    client.on('candle', (e) => {
      if (e.bar.closed) closed++;
      bars.set(e.bar.startUs, JSON.parse(JSON.stringify(e.bar)));
    });
    await client.subscribe('candles:BTC-USD:1s');
    await waitFor(() => closed >= 3, 'three closed 1s bars');
    const rest = (await client.rest.candles('BTC-USD', '1s', { limit: 1000 })).filter((b) => b.closed);
    const both = rest.filter((b) => bars.has(b.startUs));
    expect(both.length).toBeGreaterThanOrEqual(3);
    for (const b of both) expect(JSON.parse(JSON.stringify(b))).toEqual(bars.get(b.startUs));
    // paging forward from a bar returns the bars after it
    const from = (both[0]?.startUs ?? 0) + 1;
    const page = await client.rest.candles('BTC-USD', '1s', { fromUs: from, limit: 2 });
    expect(page.map((b) => b.startUs)).toEqual(
      rest
        .filter((b) => b.startUs >= from)
        .slice(0, 2)
        .map((b) => b.startUs),
    );
  });

  test('book: the REST book at seq s is the stream book at seq s', async () => {
    const s = await feeds.server();
    const client = feedClient(s.wsUrl);
    const books = new Map<number, BookState>();
    let lastSeq = -1;
    client.on('book', (e) => {
      books.set(e.seq, e.book);
      lastSeq = e.seq;
    });
    await client.subscribe('book:BTC-USD:50');
    await waitFor(() => lastSeq >= 0, 'the book snapshot');
    const snap = await client.rest.book('BTC-USD', 50);
    await waitFor(() => lastSeq >= snap.seq, `stream seq ${snap.seq}`);
    const streamed = books.get(snap.seq);
    if (streamed === undefined) throw new Error(`no stream book at seq ${snap.seq}`);
    expect(snap.book.bids).toEqual(streamed.bids);
    expect(snap.book.asks).toEqual(streamed.asks);
    expect(snap.book.bidsDecimal).toEqual(streamed.bidsDecimal);
    expect(snap.book.asksDecimal).toEqual(streamed.asksDecimal);
    expect(snap.checksum).toBe(streamed.checksum());
  });

  test('ticker: integers with their decimals', async () => {
    const s = await feeds.server();
    const rest = new FeedRest({ url: s.url });
    let t = await rest.ticker('BTC-USD');
    for (let i = 0; t.last === null && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      t = await rest.ticker('BTC-USD');
    }
    expect(t.symbol).toBe('BTC-USD');
    expect(t.last).not.toBeNull();
    expect(t.lastDecimal).toBe(formatScaled(t.last ?? 0, BTC.priceScale));
    expect(t.volume24hDecimal).toBe(formatScaled(t.volume24h, BTC.qtyScale));
  });

  test.each<[string, (r: FeedRest) => Promise<unknown>, string, number]>([
    ['an unknown symbol', (r) => r.candles('NOPE', '1m'), 'UNKNOWN_SYMBOL', 404],
    ['a bad interval', (r) => r.candles('BTC-USD', '2m' as CandleInterval), 'BAD_INTERVAL', 400],
    ['a bad limit', (r) => r.trades('BTC-USD', { limit: 0 }), 'BAD_LIMIT', 400],
    ['from after to', (r) => r.candles('BTC-USD', '1m', { fromUs: 2, toUs: 1 }), 'BAD_TIME', 400],
  ])('%s: REST_REFUSED with the §14 code', async (_, call, restCode, httpStatus) => {
    const s = await feeds.server();
    const e = await feedClientFailure(call(new FeedRest({ url: s.wsUrl })));
    expect(e).toMatchObject({ code: 'REST_REFUSED', restCode, httpStatus });
  });

  test('a server that is not there: REST_UNREACHABLE', async () => {
    const s = await feeds.server();
    const url = s.url;
    await s.close();
    const e = await feedClientFailure(new FeedRest({ url }).instruments());
    expect(e.code).toBe('REST_UNREACHABLE');
  });
});

describe('REST with a token', () => {
  const secret = 'rest-helpers-test-secret';

  test("the client's token goes to the REST API too; none or a forged one is refused with its code", async () => {
    const s = await feeds.server({ authSecret: secret });
    const token = mintToken(secret, { subject: 'sdk-test', ttlSeconds: 60 });
    const client = feedClient(s.wsUrl, token);
    const [fromRest, fromStream] = await Promise.all([client.rest.instruments(), client.instruments()]);
    expect(fromRest).toEqual(fromStream);
    const none = await feedClientFailure(new FeedRest({ url: s.url }).instruments());
    expect(none).toMatchObject({ code: 'REST_REFUSED', restCode: 'AUTH_REQUIRED', httpStatus: 401 });
    const forged = await feedClientFailure(new FeedRest({ url: s.url, token: `${token}x` }).instruments());
    expect(forged).toMatchObject({ code: 'REST_REFUSED', restCode: 'TOKEN_INVALID', httpStatus: 401 });
  });
});
