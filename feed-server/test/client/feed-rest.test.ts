import { describe, expect, test } from 'vitest';
import { type FeedClientError, FeedRest, type FetchLike } from '../../src/client/index.ts';
import { bookChecksum } from '../../src/protocol/index.ts';
import { feedClientFailure } from '../support/feed-client-failure.ts';

/** A fetch that answers `status` and `body` and records what it was asked. */
function answering(status: number, body: unknown) {
  const asked: { url: string; headers: Readonly<Record<string, string>> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    asked.push({ url, headers: init.headers });
    return { status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { fetch, asked };
}

const scales = { symbol: 'BTC-USD', priceScale: 2, qtyScale: 5 };

describe('FeedRest', () => {
  test('requests: the path, the query, the token as Bearer', async () => {
    const { fetch, asked } = answering(200, { ...scales, interval: '1m', candles: [] });
    const rest = new FeedRest({ url: 'wss://feed.example.com/v1/ws?token=t', token: 'tw1.x.y', fetch });
    await rest.candles('BTC-USD', '1m', { fromUs: 1, toUs: 2, limit: 3 });
    expect(asked).toEqual([
      {
        url: 'https://feed.example.com/api/v1/candles/BTC-USD?interval=1m&from=1&to=2&limit=3',
        headers: { accept: 'application/json', authorization: 'Bearer tw1.x.y' },
      },
    ]);
  });

  test('trades: decimals made from the integers, sides in words', async () => {
    const { fetch } = answering(200, {
      ...scales,
      trades: [{ tsUs: 5, tradeId: 9, price: 6500125, priceDecimal: 'ignored', qty: 1500, side: 'b' }],
    });
    const [t] = await new FeedRest({ url: 'http://x', fetch }).trades('BTC-USD');
    expect(t).toEqual({
      symbol: 'BTC-USD',
      tsUs: 5,
      tradeId: 9,
      price: 6500125,
      priceDecimal: '65001.25',
      qty: 1500,
      qtyDecimal: '0.01500',
      side: 'buy',
    });
  });

  test('candles: a volume past 2^53 − 1 (a JSON string) is saturated, as the feed sends it', async () => {
    const bar = { startUs: 0, open: 1, high: 1, low: 1, close: 1, trades: 1, vwap: '0.0100', closed: true };
    const { fetch } = answering(200, {
      ...scales,
      interval: '1s',
      candles: [{ ...bar, volume: '123456789012345678901' }],
    });
    const [c] = await new FeedRest({ url: 'http://x', fetch }).candles('BTC-USD', '1s');
    expect(c?.volume).toBe(Number.MAX_SAFE_INTEGER);
    expect(c?.volumeDecimal).toBe('90071992547.40991');
  });

  test('book: a checksum that does not match the levels is REST_BAD_ANSWER', async () => {
    const level = { price: 6500100, qty: 150, count: 1 };
    const good = { ...scales, depth: 10, seq: 3, tsUs: 4, bids: [level], asks: [] };
    const checksum = bookChecksum([[6500100, 150, 1]], []);
    const ok = await new FeedRest({
      url: 'http://x',
      fetch: answering(200, { ...good, checksum }).fetch,
    }).book('BTC-USD');
    expect(ok.book.bidsDecimal).toEqual([['65001.00', '0.00150', 1]]);
    const e = await feedClientFailure(
      new FeedRest({
        url: 'http://x',
        fetch: answering(200, { ...good, checksum: checksum + 1 }).fetch,
      }).book('BTC-USD'),
    );
    expect(e.code).toBe('REST_BAD_ANSWER');
  });

  test.each<[string, number, unknown, Partial<FeedClientError>]>([
    [
      'a §14 error body',
      404,
      { error: { code: 'UNKNOWN_SYMBOL', message: 'no such' } },
      { code: 'REST_REFUSED', restCode: 'UNKNOWN_SYMBOL', httpStatus: 404 },
    ],
    [
      'an unknown error code',
      400,
      { error: { code: 'NEW_CODE', message: '?' } },
      { code: 'REST_BAD_ANSWER' },
    ],
    ['not JSON', 502, '<html>bad gateway</html>', { code: 'REST_BAD_ANSWER', httpStatus: 502 }],
    ['another shape', 200, { trades: 'no' }, { code: 'REST_BAD_ANSWER' }],
    ['another symbol', 200, { ...scales, symbol: 'ETH-USD', trades: [] }, { code: 'REST_BAD_ANSWER' }],
  ])('%s', async (_, status, body, expected) => {
    const e = await feedClientFailure(
      new FeedRest({ url: 'http://x', fetch: answering(status, body).fetch }).trades('BTC-USD'),
    );
    expect(e).toMatchObject(expected);
  });

  test('no answer is REST_UNREACHABLE; an aborted signal is ABORTED', async () => {
    const refused: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    const e = await feedClientFailure(new FeedRest({ url: 'http://x', fetch: refused }).instruments());
    expect(e).toMatchObject({ code: 'REST_UNREACHABLE' });
    expect(e.cause).toBeInstanceOf(TypeError);
    const abort = new AbortController();
    abort.abort();
    const aborted = await feedClientFailure(
      new FeedRest({ url: 'http://x', fetch: refused }).instruments(abort),
    );
    expect(aborted.code).toBe('ABORTED');
  });
});
