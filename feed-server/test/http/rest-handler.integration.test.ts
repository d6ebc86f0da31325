import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Candle, Ticker } from '../../../matching/src/index.ts';
import {
  createRestHandler,
  REST_ERROR_CODES,
  type RestErrorCode,
  type RestHandlerOptions,
  requestAuth,
} from '../../src/http/index.ts';
import {
  bookChecksum,
  type RestBook,
  type RestCandles,
  type RestTicker,
  type RestTrades,
} from '../../src/protocol/index.ts';
import { mintToken } from '../../src/server/auth-token.ts';
import type { MarketQuery } from '../../src/server/market-query.ts';
import type { RecordingStatus } from '../../src/server/recording-status.ts';
import { sampleMarket, T0_US } from './market-fixture.ts';
import { serve, type TestServer, UNHANDLED_STATUS } from './serve.ts';

const MINUTE_US = 60_000_000;
const market = sampleMarket();
const errorResponses: RestErrorCode[] = [];
let clock = 1000;
let server: TestServer;

async function startWith(query: MarketQuery, options: RestHandlerOptions = {}): Promise<TestServer> {
  return serve(createRestHandler(query, options));
}

beforeAll(async () => {
  server = await startWith(market.query, {
    clockMs: () => clock,
    onErrorResponse: (code) => errorResponses.push(code),
  });
});
afterAll(() => server.close());

/** A GET with `target` sent verbatim as the request target (fetch would normalise it). */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Expects `path` to be refused with `code` and its catalog status. */
async function expectError(path: string, code: RestErrorCode, init?: RequestInit): Promise<void> {
  const { status, headers, body } = await get(path, init);
  expect({ status, code: (body as { error: { code: string } }).error.code }).toEqual({
    status: REST_ERROR_CODES[code].status,
    code,
  });
  expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect((body as { error: { message: unknown } }).error.message).toEqual(expect.any(String));
}

describe('headers', () => {
  test('every GET answer is JSON, not cached, and readable from any origin', async () => {
    for (const path of ['/api/v1/instruments', '/healthz', '/api/v1/ticker/NOPE', '/api/v1/nope']) {
      const res = await fetch(server.url + path);
      const text = await res.text();
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    }
  });

  test('HEAD: the same status and headers as GET, no body', async () => {
    for (const path of ['/api/v1/book/BTC-USD?depth=full', '/api/v1/ticker/NOPE', '/healthz']) {
      const got = await fetch(server.url + path);
      const gotText = await got.text();
      const head = await fetch(server.url + path, { method: 'HEAD' });
      expect(head.status).toBe(got.status);
      expect(await head.text()).toBe('');
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(gotText)));
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(head.headers.get('access-control-allow-origin')).toBe('*');
    }
  });
});

describe('GET /api/v1/instruments', () => {
  test('every instrument with scaled sizes and their decimals, in configuration order', async () => {
    const { status, body } = await get('/api/v1/instruments');
    expect(status).toBe(200);
    const { instruments } = body as { instruments: { symbol: string }[] };
    expect(instruments.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD', 'AMZN']);
    expect(instruments[0]).toEqual({
      symbol: 'BTC-USD',
      priceScale: 2,
      qtyScale: 5,
      tickSize: 1,
      tickSizeDecimal: '0.01',
      lotSize: 1,
      lotSizeDecimal: '0.00001',
      minSize: 10,
      minSizeDecimal: '0.00010',
      maxPrice: 1125899906842624,
      maxPriceDecimal: '11258999068426.24',
      maxSize: 1125899906842624,
      maxSizeDecimal: '11258999068.42624',
    });
  });
});

describe('GET /api/v1/ticker/:symbol', () => {
  test('the ticker, scaled integers and decimal strings', async () => {
    const { status, body } = await get('/api/v1/ticker/BTC-USD');
    expect(status).toBe(200);
    expect(body).toEqual({
      symbol: 'BTC-USD',
      priceScale: 2,
      qtyScale: 5,
      tsUs: T0_US + 3 * MINUTE_US,
      bid: 6500100,
      bidDecimal: '65001.00',
      bidQty: 150,
      bidQtyDecimal: '0.00150',
      ask: 6500200,
      askDecimal: '65002.00',
      askQty: 300,
      askQtyDecimal: '0.00300',
      last: 6500125,
      lastDecimal: '65001.25',
      lastQty: 1000,
      lastQtyDecimal: '0.01000',
      open24h: 6500125,
      open24hDecimal: '65001.25',
      high24h: 6500125,
      high24hDecimal: '65001.25',
      low24h: 6500100,
      low24hDecimal: '65001.00',
      volume24h: 1600,
      volume24hDecimal: '0.01600',
      notional24h: 10400197500,
      notional24hDecimal: '1040.0197500',
      change24h: 0,
      change24hDecimal: '0.00',
      changePct24h: '0.00',
      trades24h: 3,
    } satisfies RestTicker);
  });

  test('unknown values of an untraded instrument are null; sums are 0', async () => {
    const body = (await get('/api/v1/ticker/AMZN')).body as RestTicker;
    expect(body).toMatchObject({ bid: null, bidDecimal: null, last: null, changePct24h: null });
    expect(body).toMatchObject({ volume24h: 0, volume24hDecimal: '0', notional24h: 0, trades24h: 0 });
  });

  test('the symbol is percent-decoded and case-sensitive', async () => {
    expect((await get('/api/v1/ticker/BTC%2DUSD')).status).toBe(200);
    await expectError('/api/v1/ticker/btc-usd', 'UNKNOWN_SYMBOL');
    await expectError('/api/v1/ticker/NOPE', 'UNKNOWN_SYMBOL');
    await expectError('/api/v1/ticker/%E0%A4%A', 'UNKNOWN_SYMBOL');
    await expectError('/api/v1/ticker/BTC%3AUSD', 'UNKNOWN_SYMBOL');
  });
});

describe('GET /api/v1/book/:symbol', () => {
  test('depth 10 by default: levels best first, seq, time and checksum of the channel', async () => {
    const { status, body } = await get('/api/v1/book/BTC-USD');
    expect(status).toBe(200);
    expect(body).toEqual({
      symbol: 'BTC-USD',
      priceScale: 2,
      qtyScale: 5,
      depth: 10,
      seq: 6,
      tsUs: T0_US + 125_000_000,
      checksum: bookChecksum([[6500100, 150, 1]], [[6500200, 300, 1]]),
      bids: [{ price: 6500100, priceDecimal: '65001.00', qty: 150, qtyDecimal: '0.00150', count: 1 }],
      asks: [{ price: 6500200, priceDecimal: '65002.00', qty: 300, qtyDecimal: '0.00300', count: 1 }],
    } satisfies RestBook);
  });

  test.each([
    ['10', 10],
    ['50', 50],
    ['full', 'full'],
  ] as const)('depth=%s', async (text, depth) => {
    const body = (await get(`/api/v1/book/BTC-USD?depth=${text}`)).body as RestBook;
    expect(body.depth).toBe(depth);
    expect(body.bids).toHaveLength(1);
  });

  test('a book deeper than 10 levels is cut at the depth', async () => {
    const m = sampleMarket();
    for (let i = 1; i <= 60; i++) m.submit({ ...limitOrder(i), price: 6500100 - i });
    const s = await startWith(m.query);
    try {
      const sizes = async (depth: string) => {
        const b = (await (await fetch(`${s.url}/api/v1/book/BTC-USD?depth=${depth}`)).json()) as RestBook;
        return [b.bids.length, b.asks.length, b.bids[0]?.price];
      };
      expect(await sizes('10')).toEqual([10, 1, 6500100]);
      expect(await sizes('50')).toEqual([50, 1, 6500100]);
      expect(await sizes('full')).toEqual([61, 1, 6500100]);
    } finally {
      await s.close();
    }
  });

  test.each(['7', '0', '', 'FULL', '010', '10.0', '100', '10&depth=50'])('depth=%s is BAD_DEPTH', (depth) =>
    expectError(`/api/v1/book/BTC-USD?depth=${depth}`, 'BAD_DEPTH'));

  test('the symbol is checked before the depth', () =>
    expectError('/api/v1/book/NOPE?depth=7', 'UNKNOWN_SYMBOL'));
});

let orderId = 1_000_000;
function limitOrder(i: number) {
  return {
    type: 'new' as const,
    tsUs: T0_US + 200_000_000 + i,
    symbol: 'BTC-USD',
    orderId: orderId++,
    ownerId: 9,
    side: 'buy' as const,
    orderType: 'limit' as const,
    price: 0,
    qty: 100,
  };
}

describe('GET /api/v1/trades/:symbol', () => {
  test('the last 100 by default, oldest first, the taker side', async () => {
    const { status, body } = await get('/api/v1/trades/BTC-USD');
    expect(status).toBe(200);
    const { trades } = body as RestTrades;
    expect(trades.map((t) => [t.tradeId, t.side])).toEqual([
      [1, 'b'],
      [2, 's'],
      [3, 'b'],
    ]);
    expect(trades[0]).toEqual({
      tsUs: T0_US + 1_000_000,
      tradeId: 1,
      price: 6500125,
      priceDecimal: '65001.25',
      qty: 500,
      qtyDecimal: '0.00500',
      side: 'b',
    });
    expect(body).toMatchObject({ symbol: 'BTC-USD', priceScale: 2, qtyScale: 5 });
  });

  test('limit=1 is the latest trade; limit=1000 is allowed', async () => {
    expect(
      ((await get('/api/v1/trades/BTC-USD?limit=1')).body as RestTrades).trades.map((t) => t.tradeId),
    ).toEqual([3]);
    expect((await get('/api/v1/trades/BTC-USD?limit=1000')).status).toBe(200);
  });

  test('the store is asked for exactly the limit', async () => {
    const limits: number[] = [];
    const s = await startWith({
      ...market.query,
      trades: (symbol, limit) => {
        limits.push(limit);
        return market.query.trades(symbol, limit);
      },
    });
    try {
      await fetch(`${s.url}/api/v1/trades/BTC-USD`);
      await fetch(`${s.url}/api/v1/trades/BTC-USD?limit=7`);
      expect(limits).toEqual([100, 7]);
    } finally {
      await s.close();
    }
  });

  test.each([
    '0',
    '-1',
    'abc',
    '',
    '1001',
    '1e3',
    '+5',
    '05',
    '5.0',
    '%205',
    '99999999999999999999999',
    '1&limit=2',
  ])('limit=%s is BAD_LIMIT', (limit) => expectError(`/api/v1/trades/BTC-USD?limit=${limit}`, 'BAD_LIMIT'));
});

describe('GET /api/v1/candles/:symbol', () => {
  const startsOf = async (query: string): Promise<number[]> => {
    const { status, body } = await get(`/api/v1/candles/BTC-USD?${query}`);
    expect(status).toBe(200);
    return (body as RestCandles).candles.map((c) => (c.startUs - T0_US) / MINUTE_US);
  };

  test('bars oldest first, the forming bar last', async () => {
    const { body } = await get('/api/v1/candles/BTC-USD?interval=1m');
    const { candles, ...head } = body as RestCandles;
    expect(head).toEqual({ symbol: 'BTC-USD', priceScale: 2, qtyScale: 5, interval: '1m' });
    expect(candles.map((c) => [(c.startUs - T0_US) / MINUTE_US, c.trades, c.closed])).toEqual([
      [0, 1, true],
      [1, 1, true],
      [2, 1, true],
      [3, 0, false],
    ]);
    expect(candles[0]).toEqual({
      startUs: T0_US,
      open: 6500125,
      openDecimal: '65001.25',
      high: 6500125,
      highDecimal: '65001.25',
      low: 6500125,
      lowDecimal: '65001.25',
      close: 6500125,
      closeDecimal: '65001.25',
      volume: 500,
      volumeDecimal: '0.00500',
      notional: 3250062500,
      notionalDecimal: '325.0062500',
      trades: 1,
      vwap: '65001.250000',
      closed: true,
    });
    expect(candles[3]).toMatchObject({ volume: 0, vwap: null, closed: false });
  });

  test('every interval is served', async () => {
    for (const interval of ['1s', '1m', '5m', '15m', '1h', '1d']) {
      const { status, body } = await get(`/api/v1/candles/BTC-USD?interval=${interval}`);
      expect(status).toBe(200);
      expect((body as RestCandles).interval).toBe(interval);
    }
  });

  test('limit: the last bars without from, the first bars with from', async () => {
    expect(await startsOf('interval=1m&limit=2')).toEqual([2, 3]);
    expect(await startsOf(`interval=1m&limit=2&from=${T0_US}`)).toEqual([0, 1]);
    expect(await startsOf(`interval=1m&limit=2&to=${T0_US + 3 * MINUTE_US}`)).toEqual([1, 2]);
  });

  test('from is inclusive, to exclusive, both on the bar start', async () => {
    expect(await startsOf(`interval=1m&from=${T0_US + MINUTE_US}`)).toEqual([1, 2, 3]);
    expect(await startsOf(`interval=1m&from=${T0_US + 1}`)).toEqual([1, 2, 3]);
    expect(await startsOf(`interval=1m&to=${T0_US + MINUTE_US}`)).toEqual([0]);
    expect(await startsOf(`interval=1m&from=${T0_US + MINUTE_US}&to=${T0_US + 3 * MINUTE_US}`)).toEqual([
      1, 2,
    ]);
    expect(await startsOf(`interval=1m&from=${T0_US}&to=${T0_US}`)).toEqual([]);
    expect(await startsOf('interval=1m&from=0')).toEqual([0, 1, 2, 3]);
    expect(await startsOf(`interval=1m&from=${Number.MAX_SAFE_INTEGER}`)).toEqual([]);
  });

  test('ISO-8601 times are the same instants as their µs', async () => {
    expect(await startsOf('interval=1m&from=2026-01-01T00:01:00Z')).toEqual([1, 2, 3]);
    expect(await startsOf('interval=1m&from=2026-01-01T01:01:00%2B01:00')).toEqual([1, 2, 3]);
    expect(await startsOf('interval=1m&from=2025-12-31T23:02:00-00:59')).toEqual([1, 2, 3]);
    expect(await startsOf('interval=1m&from=2026-01-01T00:00:00.000001Z')).toEqual([1, 2, 3]);
    expect(await startsOf('interval=1m&to=2026-01-01t00:01:00.000001z')).toEqual([0, 1]);
  });

  test.each(['', '2m', '1M', '60s', '1s&interval=1m'])('interval=%s is BAD_INTERVAL', (interval) =>
    expectError(`/api/v1/candles/BTC-USD?interval=${interval}`, 'BAD_INTERVAL'));
  test('interval is required', () => expectError('/api/v1/candles/BTC-USD', 'BAD_INTERVAL'));

  test.each([
    'from=abc',
    'from=',
    'from=-1',
    'to=1.5',
    'from=9007199254740992',
    'from=99999999999999999999999',
    `from=${T0_US + 1}&to=${T0_US}`,
    'from=2026-01-01T00:00:00',
    'from=2026-01-01',
    'from=2026-02-30T00:00:00Z',
    'from=2026-01-01T24:00:00Z',
    'from=2026-01-01T23:59:60Z',
    'from=2026-01-01T00:00:00.0000001Z',
    'from=2026-01-01T00:00:00%2B24:00',
    'from=1969-12-31T23:59:59Z',
    'from=0070-01-01T00:00:00Z',
    'from=2256-01-01T00:00:00Z',
    `from=1&from=2`,
  ])('%s is BAD_TIME', (query) => expectError(`/api/v1/candles/BTC-USD?interval=1m&${query}`, 'BAD_TIME'));

  test.each(['0', '1001', 'x'])('limit=%s is BAD_LIMIT', (limit) =>
    expectError(`/api/v1/candles/BTC-USD?interval=1m&limit=${limit}`, 'BAD_LIMIT'));

  test('checks run in order: symbol, interval, from/to, limit', async () => {
    await expectError('/api/v1/candles/NOPE?interval=2m', 'UNKNOWN_SYMBOL');
    await expectError('/api/v1/candles/BTC-USD?interval=2m&from=x&limit=0', 'BAD_INTERVAL');
    await expectError('/api/v1/candles/BTC-USD?interval=1m&from=x&limit=0', 'BAD_TIME');
  });
});

describe('numbers beyond 2^53', () => {
  const bigTicker = (volume24h: bigint, notional24h: bigint): Ticker => {
    const t = market.query.ticker('BTC-USD') as Ticker;
    return { ...t, volume24h, notional24h };
  };

  test('a bigint is a JSON number up to 2^53 − 1 and a string of digits beyond', async () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const tickers = [bigTicker(max, max + 1n), bigTicker(2n ** 60n, 123456789012345678901234567890n)];
    const big: Candle = {
      ...(market.query.candles('BTC-USD', '1m', 1)?.[0] as Candle),
      volume: 2n ** 53n,
      notional: 10n ** 30n,
    };
    let next = 0;
    const s = await startWith({
      ...market.query,
      ticker: () => tickers[next++],
      candles: () => [big],
    });
    try {
      const t1 = await (await fetch(`${s.url}/api/v1/ticker/BTC-USD`)).text();
      expect(t1).toContain('"volume24h":9007199254740991,"volume24hDecimal":"90071992547.40991"');
      expect(t1).toContain('"notional24h":"9007199254740992","notional24hDecimal":"900719925.4740992"');
      const t2 = await (await fetch(`${s.url}/api/v1/ticker/BTC-USD`)).text();
      expect(t2).toContain('"volume24h":"1152921504606846976"');
      expect(t2).toContain('"notional24h":"123456789012345678901234567890"');
      expect(t2).toContain('"notional24hDecimal":"12345678901234567890123.4567890"');
      const c = await (await fetch(`${s.url}/api/v1/candles/BTC-USD?interval=1m`)).text();
      expect(c).toContain('"volume":"9007199254740992","volumeDecimal":"90071992547.40992"');
      expect(c).toContain('"notional":"1000000000000000000000000000000"');
    } finally {
      await s.close();
    }
  });
});

describe('GET /healthz', () => {
  test('status, session, mode, uptime and the feed clock', async () => {
    clock = 1000 + 12_345.6;
    const { status, body } = await get('/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ok',
      session: 'fixture-session',
      mode: 'live',
      uptimeMs: 12_345,
      nowUs: T0_US + 3 * MINUTE_US,
    });
  });
});

describe('routing', () => {
  test.each([
    '/api/',
    '/api/v1',
    '/api/v1/',
    '/api/v1/nope',
    '/api/v2/instruments',
    '/api/v1/instruments/',
    '/api/v1/instruments/BTC-USD',
    '/api/v1/ticker',
    '/api/v1/ticker/',
    '/api/v1/ticker/BTC-USD/',
    '/api/v1/ticker/BTC-USD/extra',
    '/api/v1/toString/BTC-USD',
    '/api/v1/__proto__/BTC-USD',
  ])('%s is NOT_FOUND', (path) => expectError(path, 'NOT_FOUND'));

  test.each([
    '/',
    '/other',
    '/healthz/',
    '/healthzx',
    '/api',
    '/apiv1/instruments',
    '/metrics',
  ])('%s is not handled', async (path) => {
    const res = await fetch(server.url + path);
    expect(res.status).toBe(UNHANDLED_STATUS);
    await res.text();
  });

  test('//host/api/... is a path, not an authority: not handled', async () => {
    const res = await rawGet('//evil.example/api/v1/instruments');
    expect(res.status).toBe(UNHANDLED_STATUS);
  });

  test('an absolute-form target (RFC 9112 §3.2.2) is routed by its path', async () => {
    const res = await rawGet(`${server.url}/api/v1/trades/BTC-USD?limit=1`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as RestTrades).trades).toHaveLength(1);
  });

  test('a query string does not change the route', async () => {
    expect((await get('/api/v1/instruments?x=1&limit=abc')).status).toBe(200);
    expect((await get('/healthz?verbose')).status).toBe(200);
  });

  test.each([
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
  ])('%s is METHOD_NOT_ALLOWED with Allow', async (method) => {
    for (const path of ['/api/v1/instruments', '/api/v1/ticker/NOPE', '/healthz']) {
      const res = await fetch(server.url + path, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.json()).toEqual({
        error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) },
      });
    }
  });

  test('an unknown path is NOT_FOUND whatever the method', () =>
    expectError('/api/v1/nope', 'NOT_FOUND', { method: 'POST', body: 'x' }));
});

describe('failures of the query', () => {
  test('a throwing MarketQuery is 500 INTERNAL, reported to onError; the server stays up', async () => {
    const failures: unknown[] = [];
    const boom = new Error('store corrupted');
    const s = await startWith(
      {
        ...market.query,
        ticker: () => {
          throw boom;
        },
      },
      { onError: (e) => failures.push(e) },
    );
    try {
      const res = await fetch(`${s.url}/api/v1/ticker/BTC-USD`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        error: { code: 'INTERNAL', message: 'internal error; see the server log' },
      });
      expect(failures).toEqual([boom]);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test('a symbol listed by instruments() but unknown to the query is UNKNOWN_SYMBOL', async () => {
    const s = await startWith({ ...market.query, book: () => undefined });
    try {
      const res = await fetch(`${s.url}/api/v1/book/BTC-USD`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_SYMBOL');
    } finally {
      await s.close();
    }
  });
});

describe('the auth option (PROTOCOL.md §15; every door is covered in rest-auth.integration.test.ts)', () => {
  const secret = 'rest-handler-test-secret';
  const nowMs = 1_767_225_600_000;

  test('checks the token before the path, reports the refusal, leaves /healthz open', async () => {
    const s = await serve(
      createRestHandler(market.query, {
        auth: requestAuth({ secret, nowMs: () => nowMs }),
        onErrorResponse: (code) => errorResponses.push(code),
      }),
    );
    const token = (ttlSeconds: number, issuedMs = nowMs, key = secret) =>
      mintToken(key, { subject: 't', ttlSeconds, nowMs: issuedMs });
    const code = async (path: string, authorization?: string) => {
      const res = await fetch(
        s.url + path,
        authorization === undefined ? {} : { headers: { authorization } },
      );
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code ?? 'ok'];
    };
    try {
      expect(await code('/api/v1/nope')).toEqual([401, 'AUTH_REQUIRED']);
      expect(await code('/api/v1/instruments', `Bearer ${token(60, nowMs - 120_000)}`)).toEqual([
        401,
        'TOKEN_EXPIRED',
      ]);
      expect(await code('/api/v1/instruments', `Bearer ${token(60, nowMs, 'x'.repeat(16))}`)).toEqual([
        401,
        'TOKEN_INVALID',
      ]);
      expect(await code('/api/v1/instruments', `Bearer ${token(60)}`)).toEqual([200, 'ok']);
      expect(await code('/api/v1/nope', `Bearer ${token(60)}`)).toEqual([404, 'NOT_FOUND']);
      expect(await code('/healthz')).toEqual([200, 'ok']);
    } finally {
      await s.close();
    }
  });
});

test('every error code of the catalog was answered and reported to onErrorResponse', () => {
  // Runs last in this file: the tests above produce every code but INTERNAL on the shared server.
  expect(new Set(errorResponses)).toEqual(
    new Set(Object.keys(REST_ERROR_CODES).filter((c) => c !== 'INTERNAL')),
  );
});

describe('/healthz of a server that records (issue 11 §1)', () => {
  const status: RecordingStatus = {
    state: 'degraded',
    dir: '/srv/tickwire/data/2026-12-02T11-55-22Z',
    appendedSeq: 1200,
    durableSeq: 1180,
    lagSeconds: 0.25,
    bufferedBytes: 4096,
    maxBufferedBytes: 64 * 1024 * 1024,
    droppedRecords: 77,
    writeErrors: 0,
    rolls: 3,
    rollFailures: 0,
    reason: 'fell behind the feed',
  };

  test('says how the recording goes and how often it rolled, still 200; with a token secret, without the paths or the directory name', async () => {
    const open = await serve(createRestHandler(market.query, { recording: () => status }));
    const guarded = await serve(
      createRestHandler(market.query, {
        recording: () => status,
        auth: requestAuth({ secret: 'rest-handler-test-secret', nowMs: () => 0 }),
      }),
    );
    const recordingOf = async (s: TestServer) => {
      const res = await fetch(`${s.url}/healthz`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { recording: unknown }).recording;
    };
    const shown = {
      state: 'degraded',
      appendedSeq: 1200,
      durableSeq: 1180,
      lagRecords: 20,
      lagSeconds: 0.25,
      droppedRecords: 77,
      writeErrors: 0,
      rolls: 3,
      rollFailures: 0,
    };
    try {
      expect(await recordingOf(open)).toEqual({
        ...shown,
        dir: status.dir,
        dirName: '2026-12-02T11-55-22Z',
        reason: status.reason,
      });
      expect(await recordingOf(guarded)).toEqual(shown);
    } finally {
      await open.close();
      await guarded.close();
    }
  });
});
