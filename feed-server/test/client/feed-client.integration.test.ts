import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  FeedClient,
  FeedClientError,
  type FeedEvent,
  type FeedEventOf,
  type FeedEventType,
  type FeedStream,
  type StatusEvent,
} from '../../src/client/node.ts';
import {
  type BookLevel,
  bookChecksum,
  type ServerMessage,
  type TickerFields,
} from '../../src/protocol/index.ts';
import { SCRIPTED_INSTRUMENTS, type ScriptedConnection, ScriptedServer, TS_US } from './scripted-server.ts';

let server: ScriptedServer;
let client: FeedClient | undefined;

beforeEach(async () => {
  server = await ScriptedServer.start();
});

afterEach(async () => {
  client?.close();
  client = undefined;
  await server.close();
});

function connect(
  options: {
    format?: 'json';
    token?: string;
    reconnect?: false;
    idleTimeoutMs?: number;
    connectTimeoutMs?: number;
  } = {},
): FeedClient {
  client = new FeedClient({
    url: server.url,
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    reconnect: options.reconnect ?? { minDelayMs: 5, maxDelayMs: 20 },
    ...(options.format === undefined ? {} : { format: options.format }),
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  return client;
}

/** The next `n` values of a stream, failing after `timeoutMs`. */
async function take<T>(stream: FeedStream<T>, n: number, timeoutMs = 2000): Promise<T[]> {
  const out: T[] = [];
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`got ${out.length} of ${n} values`)), timeoutMs),
  );
  while (out.length < n) {
    const r = await Promise.race([stream.next(), timeout]);
    if (r.done === true) throw new Error(`stream ended after ${out.length} of ${n} values`);
    out.push(r.value);
  }
  return out;
}

/** Every event of `type` the client emits, recorded from now on. */
function record<T extends FeedEventType>(c: FeedClient, type: T): FeedEventOf<T>[] {
  const seen: FeedEventOf<T>[] = [];
  c.on(type, (e) => seen.push(e));
  return seen;
}

/** Resolves with the first event of `type` that matches. */
function when<T extends FeedEventType>(
  c: FeedClient,
  type: T,
  match: (e: FeedEventOf<T>) => boolean = () => true,
  timeoutMs = 2000,
): Promise<FeedEventOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${type} event`)), timeoutMs);
    const off = c.on(type, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

const tradeUpdate = (id: number, seq: number, tradeId: number): ServerMessage => [
  4,
  id,
  seq,
  TS_US + seq,
  tradeId,
  6500000 + tradeId,
  100,
  'b',
];

const BIDS: BookLevel[] = [
  [6500100, 250, 1],
  [6500000, 100, 2],
];
const ASKS: BookLevel[] = [
  [6500125, 1500, 2],
  [6500200, 300, 1],
];

describe('subscribe and unsubscribe', () => {
  test('several channels per request, canonical names, resolved by the ack', async () => {
    const c = connect();
    const subscribed = c.subscribe(['trades:BTC-USD', 'book:BTC-USD']);
    const conn = await server.accept();
    const req = await conn.expect('subscribe');
    // `instruments` first: the events' decimal strings need the scales before any data.
    expect(req.channels).toEqual(['instruments', 'trades:BTC-USD', 'book:BTC-USD:10']);
    expect(req.resume).toBeUndefined();
    conn.ack(req);
    await expect(subscribed).resolves.toEqual(['trades:BTC-USD', 'book:BTC-USD:10']);
    expect(c.state).toBe('live');
  });

  test('a refused channel rejects with the server code; the others stay subscribed', async () => {
    const c = connect();
    const trades = record(c, 'trade');
    const subscribed = c.subscribe(['trades:BTC-USD', 'trades:NOPE']);
    const conn = await server.accept();
    const req = await conn.expect('subscribe');
    conn.send(
      [1, req.id, { 'trades:BTC-USD': 1 }],
      [2, req.id, 'UNKNOWN_SYMBOL', 'no such instrument', 'trades:NOPE'],
    );
    const error = await subscribed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedClientError);
    expect(error).toMatchObject({
      code: 'REFUSED',
      serverCode: 'UNKNOWN_SYMBOL',
      refusals: [{ channel: 'trades:NOPE', code: 'UNKNOWN_SYMBOL', message: 'no such instrument' }],
    });
    conn.send([3, 1, 5, TS_US, []], tradeUpdate(1, 6, 77));
    await when(c, 'trade');
    expect(trades.map((t) => t.tradeId)).toEqual([77]);
  });

  test('a whole request refused without a channel fails each of its channels', async () => {
    const c = connect();
    const subscribed = c.subscribe(['trades:A', 'trades:B']);
    const conn = await server.accept();
    const req = await conn.expect('subscribe');
    conn.send([2, req.id, 'TOO_MANY_SUBSCRIPTIONS', 'limit 100', null]);
    const error = await subscribed.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REFUSED', serverCode: 'TOO_MANY_SUBSCRIPTIONS' });
    expect((error as FeedClientError).refusals.map((r) => r.channel)).toEqual(['trades:A', 'trades:B']);
  });

  test('a malformed channel name is refused locally with the §10 code, nothing is sent', async () => {
    const c = connect();
    const error = await c.subscribe('orders:BTC-USD').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REFUSED', serverCode: 'UNKNOWN_CHANNEL' });
    expect(() => c.book('BTC-USD', 20 as 10)).toThrow(FeedClientError);
    expect(server.count).toBe(0);
  });

  test('RATE_LIMITED: the request is sent again later', async () => {
    const c = connect();
    const subscribed = c.subscribe('ticker:BTC-USD');
    const conn = await server.accept();
    const first = await conn.expect('subscribe');
    conn.send([2, first.id, 'RATE_LIMITED', 'slow down', null]);
    const again = await conn.expect('subscribe');
    expect(again.channels).toEqual(['instruments', 'ticker:BTC-USD']);
    conn.ack(again);
    await expect(subscribed).resolves.toEqual(['ticker:BTC-USD']);
  });

  test('leaving a stream unsubscribes; unsubscribe() resolves on the ack', async () => {
    const c = connect();
    const stream = c.trades('BTC-USD');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'));
    conn.send([3, 1, 1, TS_US, [[TS_US, 1, 6500000, 100, 's']]]);
    for await (const t of stream) {
      expect(t).toMatchObject({ type: 'trade', tradeId: 1, side: 'sell', snapshot: true });
      expect([t.priceDecimal, t.qtyDecimal]).toEqual(['65000.00', '0.00100']);
      break;
    }
    const unsub = await conn.expect('unsubscribe');
    expect(unsub.channels).toEqual(['trades:BTC-USD']);

    const subscribed = c.subscribe('ticker:BTC-USD');
    conn.ack(await conn.expect('subscribe'));
    await subscribed;
    const done = c.unsubscribe('ticker:BTC-USD');
    const req = await conn.expect('unsubscribe');
    expect(req.channels).toEqual(['ticker:BTC-USD']);
    conn.ack(req);
    await expect(done).resolves.toBeUndefined();
  });
});

describe('sequencing', () => {
  async function tradesFeed(): Promise<{
    c: FeedClient;
    conn: ScriptedConnection;
    stream: FeedStream<FeedEvent>;
  }> {
    const c = connect();
    const stream = c.events();
    c.subscribe('trades:BTC-USD').catch(() => {});
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'trades:BTC-USD': 7 });
    return { c, conn, stream };
  }

  test('snapshot then contiguous updates arrive in order', async () => {
    const c = connect();
    const stream = c.trades('BTC-USD');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'trades:BTC-USD': 7 });
    conn.send(
      [
        3,
        7,
        41,
        TS_US,
        [
          [TS_US - 2, 9, 6500000, 100, 'b'],
          [TS_US - 1, 10, 6500001, 200, 's'],
        ],
      ],
      tradeUpdate(7, 42, 11),
    );
    conn.send(tradeUpdate(7, 43, 12));
    const trades = await take(stream, 4);
    expect(trades.map((t) => [t.tradeId, t.seq, t.snapshot])).toEqual([
      [9, 41, true],
      [10, 41, true],
      [11, 42, false],
      [12, 43, false],
    ]);
    expect(trades[2]).toMatchObject({
      channel: 'trades:BTC-USD',
      symbol: 'BTC-USD',
      price: 6500011,
      qty: 100,
    });
  });

  test('a gap: status, unsubscribe + subscribe without resume, nothing delivered until the snapshot', async () => {
    const { c, conn } = await tradesFeed();
    const trades = record(c, 'trade');
    const resyncing = when(c, 'status', (s) => s.status === 'resyncing');
    conn.send([3, 7, 41, TS_US, []], tradeUpdate(7, 42, 1), tradeUpdate(7, 44, 3), tradeUpdate(7, 45, 4));
    expect(await resyncing).toMatchObject({
      status: 'resyncing',
      channel: 'trades:BTC-USD',
      reason: 'gap',
      expectedSeq: 43,
      receivedSeq: 44,
    });
    expect((await conn.expect('unsubscribe')).channels).toEqual(['trades:BTC-USD']);
    const resub = await conn.expect('subscribe');
    expect(resub).toMatchObject({ channels: ['trades:BTC-USD'] });
    expect(resub.resume).toBeUndefined();
    conn.ack(resub, { 'trades:BTC-USD': 7 });
    // The trades of the snapshot already seen (1) are not delivered twice.
    conn.send(
      tradeUpdate(7, 46, 5),
      [
        3,
        7,
        46,
        TS_US,
        [
          [TS_US, 1, 6500001, 100, 'b'],
          [TS_US, 2, 6500002, 100, 'b'],
          [TS_US, 3, 6500003, 100, 'b'],
          [TS_US, 4, 6500004, 100, 'b'],
          [TS_US, 5, 6500005, 100, 'b'],
        ],
      ],
      tradeUpdate(7, 47, 6),
    );
    await when(c, 'trade', (t) => t.tradeId === 6);
    expect(trades.map((t) => t.tradeId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.stats).toMatchObject({ gaps: 1, resyncs: 1 });
  });

  test('a heartbeat announcing a later seq reveals lost messages', async () => {
    const { c, conn } = await tradesFeed();
    const resyncing = when(c, 'status', (s) => s.status === 'resyncing');
    conn.send([3, 7, 41, TS_US, []], [6, TS_US, [[7, 41]]]);
    conn.send([6, TS_US, [[7, 43]]]);
    expect(await resyncing).toMatchObject({ reason: 'heartbeat', expectedSeq: 42, receivedSeq: 43 });
    await conn.expect('unsubscribe');
    await conn.expect('subscribe');
  });

  test('reset: local book dropped, updates ignored until the snapshot that follows', async () => {
    const c = connect();
    const stream = c.book('BTC-USD');
    const statuses = record(c, 'status');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:10': 2 });
    conn.send([3, 2, 10, TS_US, [bookChecksum(BIDS, ASKS), BIDS, ASKS]]);
    const [first] = await take(stream, 1);
    expect(first?.book.bids).toEqual(BIDS);
    const bids2: BookLevel[] = [[6400000, 5, 1]];
    conn.send(
      [5, 2, 'slow consumer'],
      [4, 2, 11, TS_US, 0, [[6500100, 0, 0]], []],
      [3, 2, 30, TS_US, [bookChecksum(bids2, []), bids2, []]],
    );
    const [second] = await take(stream, 1);
    expect(second).toMatchObject({ seq: 30, snapshot: true });
    expect(second?.book.bids).toEqual(bids2);
    expect(second?.book.asks).toEqual([]);
    expect(statuses.find((s) => s.status === 'resyncing')).toMatchObject({
      reason: 'reset',
      message: 'server reset: slow consumer',
    });
    expect(conn.requests.pending).toBe(0);
  });

  test('a book update whose checksum differs triggers a resync', async () => {
    const c = connect();
    const stream = c.book('BTC-USD', 50);
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:50': 3 });
    conn.send([3, 3, 10, TS_US, [bookChecksum(BIDS, ASKS), BIDS, ASKS]]);
    await take(stream, 1);
    const resyncing = when(c, 'status', (s) => s.status === 'resyncing');
    const asks: BookLevel[] = [[6500125, 1000, 1]];
    conn.send([4, 3, 11, TS_US, 12345, [], asks]);
    expect(await resyncing).toMatchObject({ reason: 'checksum', channel: 'book:BTC-USD:50' });
    expect(c.stats.checksumMismatches).toBe(1);
    await conn.expect('unsubscribe');
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:50': 3 });
    conn.send([
      3,
      3,
      11,
      TS_US,
      [
        bookChecksum(BIDS, [[6500125, 1000, 1], ASKS[1] as BookLevel]),
        BIDS,
        [[6500125, 1000, 1], ASKS[1] as BookLevel],
      ],
    ]);
    const [fresh] = await take(stream, 1);
    expect(fresh).toMatchObject({ seq: 11, snapshot: true });
  });

  test('a checksum that keeps failing is resynced again after a delay, not in a tight loop', async () => {
    const c = connect();
    const stream = c.book('BTC-USD');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:10': 2 });
    conn.send([3, 2, 10, TS_US, [1, BIDS, ASKS]]);
    await conn.expect('unsubscribe');
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:10': 2 });
    // The second resync waits a random delay below the first back-off step (250 ms): the delay the client
    // chose is checked, not the wall time it took (issue 11 §3). Math.random pins it to 0.999 of the step.
    const delays: unknown[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);
    try {
      conn.send([3, 2, 10, TS_US, [1, BIDS, ASKS]]);
      await conn.expect('unsubscribe');
      conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:10': 2 });
    } finally {
      vi.restoreAllMocks();
    }
    expect(delays).toContain(0.999 * 250);
    conn.send([3, 2, 10, TS_US, [bookChecksum(BIDS, ASKS), BIDS, ASKS]]);
    const [book] = await take(stream, 1);
    expect(book?.book.asks).toEqual(ASKS);
    expect(c.stats).toMatchObject({ checksumMismatches: 2, resyncs: 2, gaps: 0 });
  });

  test('a valid book update keeps the local book, best first', async () => {
    const c = connect();
    const stream = c.book('BTC-USD');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'book:BTC-USD:10': 2 });
    conn.send([3, 2, 10, TS_US, [bookChecksum(BIDS, ASKS), BIDS, ASKS]]);
    await take(stream, 1);
    const bids: BookLevel[] = [[6500110, 7, 1], ...BIDS];
    const asks: BookLevel[] = [[6500200, 300, 1]];
    conn.send([4, 2, 11, TS_US, bookChecksum(bids, asks), [[6500110, 7, 1]], [[6500125, 0, 0]]]);
    const [update] = await take(stream, 1);
    expect(update).toMatchObject({ seq: 11, snapshot: false });
    expect(update?.book.bids).toEqual(bids);
    expect(update?.book.asks).toEqual(asks);
    expect(update?.changes).toEqual({ bids: [[6500110, 7, 1]], asks: [[6500125, 0, 0]] });
  });

  test('candles: an older bar is emitted only to close a known open bar', async () => {
    const c = connect();
    const stream = c.candles('BTC-USD', '1m');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { 'candles:BTC-USD:1m': 4 });
    const M = 60_000_000;
    const bar = (start: number, close: number, closed: boolean) =>
      [start, 100, 200, 50, close, 10, 1, '1.0000', closed] as const;
    conn.send(
      [3, 4, 1, TS_US, [bar(0, 101, true), bar(M, 102, false)]],
      [4, 4, 2, TS_US, ...bar(2 * M, 103, false)], // next bar starts before the previous one closed
      [4, 4, 3, TS_US, ...bar(M, 104, true)], // the close of the known open bar: emitted
      [4, 4, 4, TS_US, ...bar(0, 999, false)], // an update of a closed bar: ignored
      [4, 4, 5, TS_US, ...bar(M, 998, true)], // the closed bar again: ignored
      [4, 4, 6, TS_US, ...bar(2 * M, 105, false)],
    );
    const events = await take(stream, 5);
    expect(events.map((e) => [e.bar.startUs / M, e.bar.close, e.bar.closed, e.snapshot])).toEqual([
      [0, 101, true, true],
      [1, 102, false, true],
      [2, 103, false, false],
      [1, 104, true, false],
      [2, 105, false, false],
    ]);
    expect(events[4]?.bars.map((b) => b.close)).toEqual([101, 104, 105]);
  });
});

describe('reconnect', () => {
  test('resubscribes with resume {session, seqs} and continues without a gap', async () => {
    const c = connect();
    const statuses = record(c, 'status');
    const trades = c.trades('BTC-USD');
    c.subscribe('ticker:BTC-USD').catch(() => {});
    let conn = await server.accept('s1');
    const req = await conn.expect('subscribe');
    expect(req.channels).toEqual(['instruments', 'trades:BTC-USD', 'ticker:BTC-USD']);
    conn.ack(req, { 'trades:BTC-USD': 1, 'ticker:BTC-USD': 2 });
    conn.send([3, 1, 41, TS_US, []], tradeUpdate(1, 42, 1), tradeUpdate(1, 43, 2));
    await take(trades, 2);
    conn.kill();

    conn = await server.accept('s1');
    const resub = await conn.expect('subscribe');
    expect(resub.channels).toEqual(['instruments', 'trades:BTC-USD']);
    expect(resub.resume?.session).toBe('s1');
    expect(Object.fromEntries(resub.resume?.seqs ?? [])).toEqual({ instruments: 0, 'trades:BTC-USD': 43 });
    // The ticker never had a snapshot: it is subscribed afresh.
    const fresh = await conn.expect('subscribe');
    expect(fresh).toMatchObject({ channels: ['ticker:BTC-USD'] });
    expect(fresh.resume).toBeUndefined();
    conn.ack(resub, { 'trades:BTC-USD': 1 });
    conn.send(tradeUpdate(1, 44, 3), tradeUpdate(1, 45, 4));
    expect((await take(trades, 2)).map((t) => t.tradeId)).toEqual([3, 4]);
    expect(statuses.map((s) => ('channel' in s ? `${s.status} ${s.channel}` : s.status))).toEqual([
      'connecting',
      'live',
      'synced instruments',
      'synced trades:BTC-USD',
      'reconnecting',
      'connecting',
      'live',
      'synced trades:BTC-USD',
    ]);
    expect(statuses[6]).toMatchObject({ resumed: true, previousSession: 's1' });
    // The channel says it did resume, once the server's first update confirmed it.
    expect(statuses[7]).toEqual({
      type: 'status',
      status: 'synced',
      channel: 'trades:BTC-USD',
      seq: 43,
      generation: 1,
      resumed: true,
    });
    expect(statuses[4]).toMatchObject({ closeCode: 1006 });
    expect(c.stats.reconnects).toBe(1);
  });

  test('a server restart: live says not resumed, each channel says its session changed, a new generation', async () => {
    const c = connect();
    const all = c.events();
    const trades = c.trades('BTC-USD');
    let conn = await server.accept('s1');
    conn.ack(await conn.expect('subscribe'), { 'trades:BTC-USD': 1 });
    conn.send([3, 1, 1750, TS_US, [[TS_US, 1750, 6500000, 100, 'b']]]);
    await take(trades, 1);
    conn.kill();
    conn = await server.accept('s2');
    // The old session's seqs mean nothing to the new server: no resume is asked for.
    const resub = await conn.expect('subscribe');
    expect(resub.resume).toBeUndefined();
    conn.ack(resub, { 'trades:BTC-USD': 9 });
    conn.send([3, 9, 3, TS_US, [[TS_US, 1, 6400000, 100, 's']]]);
    const [t] = await take(trades, 1);
    expect(t).toMatchObject({ tradeId: 1, seq: 3, snapshot: true, generation: 2 });
    const ofInstruments = (e: FeedEvent) =>
      e.type === 'instruments' || (e.type === 'status' && 'channel' in e && e.channel === 'instruments');
    const seen = (await take(all, 15))
      .filter((e) => !ofInstruments(e))
      .map((e) =>
        e.type === 'status'
          ? `${e.status}${e.status === 'live' ? ` resumed=${e.resumed} previous=${e.previousSession}` : ''}${e.status === 'resyncing' ? ` ${e.reason}` : ''}${e.status === 'synced' ? ` resumed=${e.resumed}` : ''}`
          : `${e.type} g${'generation' in e ? e.generation : ''}`,
      );
    expect(seen).toEqual([
      'connecting',
      'live resumed=false previous=null',
      'trade g1',
      'synced resumed=false',
      'reconnecting',
      'connecting',
      'live resumed=false previous=s1',
      'resyncing session',
      'trade g2',
      'synced resumed=false',
    ]);
  });

  test('a resume the server cannot serve in the same session: reset, then the snapshot in full', async () => {
    const c = connect();
    const trades = c.trades('BTC-USD');
    const statuses = record(c, 'status');
    let conn = await server.accept('s1');
    conn.ack(await conn.expect('subscribe'), { 'trades:BTC-USD': 1 });
    conn.send([3, 1, 41, TS_US, [[TS_US, 5, 6500000, 100, 'b']]]);
    await take(trades, 1);
    conn.kill();
    conn = await server.accept('s1');
    const resub = await conn.expect('subscribe');
    expect(resub.resume?.session).toBe('s1');
    conn.ack(resub, { 'trades:BTC-USD': 9 });
    conn.send([5, 9, 'resume not possible'], [3, 9, 900, TS_US, [[TS_US, 5, 6500000, 100, 'b']]]);
    const [t] = await take(trades, 1);
    expect(t).toMatchObject({ tradeId: 5, seq: 900, snapshot: true, generation: 2 });
    const ofTrades = (s: StatusEvent) =>
      (s.status === 'resyncing' || s.status === 'synced') && s.channel === 'trades:BTC-USD';
    expect(statuses.filter(ofTrades)).toMatchObject([
      { status: 'synced', resumed: false, generation: 1 },
      { status: 'resyncing', reason: 'reset' },
      { status: 'synced', resumed: false, generation: 2 },
    ]);
  });

  test.each([1008, 4001, 4002, 4003])('close code %i is fatal: no reconnect, streams fail', async (code) => {
    const c = connect();
    const trades = c.trades('BTC-USD');
    const closed = when(c, 'status', (s) => s.status === 'closed');
    const conn = await server.accept();
    await conn.expect('subscribe');
    conn.ws.close(code, 'no entry');
    expect(await closed).toEqual({
      type: 'status',
      status: 'closed',
      closeCode: code,
      closeReason: 'no entry',
      fatal: true,
    });
    await expect(trades.next()).rejects.toMatchObject({ code: 'FATAL_CLOSE', closeCode: code });
    await new Promise((r) => setTimeout(r, 60));
    expect(server.count).toBe(1);
    expect(c.state).toBe('closed');
  });

  test('other close codes reconnect (4008 slow consumer)', async () => {
    const c = connect();
    const reconnecting = when(c, 'status', (s) => s.status === 'reconnecting');
    const ready = c.connect();
    const conn = await server.accept();
    await ready;
    conn.ws.close(4008, 'slow consumer');
    expect(await reconnecting).toMatchObject({ closeCode: 4008, closeReason: 'slow consumer', attempt: 1 });
    await server.accept();
    await c.connect();
  });

  test('a subscribed connection that goes silent is dropped and reconnected', async () => {
    const c = connect({ idleTimeoutMs: 100 });
    const reconnecting = when(c, 'status', (s) => s.status === 'reconnecting');
    c.subscribe('trades:BTC-USD').catch(() => {});
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'));
    expect(await reconnecting).toMatchObject({ closeCode: 1006, closeReason: 'no data for 100 ms' });
    const again = await server.accept();
    // `instruments` had its snapshot: it resumes; the trades never had one: subscribed afresh.
    expect(await again.expect('subscribe')).toMatchObject({
      channels: ['instruments'],
      resume: { session: 's1' },
    });
    expect((await again.expect('subscribe')).channels).toEqual(['trades:BTC-USD']);
  });

  test('a connection that sends no welcome is given up after connectTimeoutMs', async () => {
    const c = connect({ connectTimeoutMs: 100 });
    const reconnecting = when(c, 'status', (s) => s.status === 'reconnecting');
    c.connect().catch(() => {});
    await server.connections.next();
    expect(await reconnecting).toMatchObject({ closeReason: 'no welcome for 100 ms' });
  });

  test('reconnect: false ends streams with DISCONNECTED', async () => {
    const c = connect({ reconnect: false });
    const trades = c.trades('BTC-USD');
    const conn = await server.accept();
    await conn.expect('subscribe');
    conn.kill();
    await expect(trades.next()).rejects.toMatchObject({ code: 'DISCONNECTED', closeCode: 1006 });
  });

  test('an undecodable frame closes with 4000, reports an error, and reconnects', async () => {
    const c = connect();
    const error = when(c, 'error');
    const ready = c.connect();
    const conn = await server.accept();
    await ready;
    conn.ws.send(new Uint8Array([0xc1]));
    expect((await error).error).toMatchObject({ code: 'UNDECODABLE' });
    expect((await conn.closed).code).toBe(4000);
    await server.accept();
  });
});

describe('the first connection (issue 11 §4e)', () => {
  /** A port where nothing listens: one the system just gave out and took back. */
  async function deadUrl(): Promise<string> {
    const probe = await ScriptedServer.start();
    const url = probe.url;
    await probe.close();
    return url;
  }

  test('with reconnecting on, connect() to a port where nothing listens rejects after firstConnectTimeoutMs', async () => {
    const c = new FeedClient({
      url: await deadUrl(),
      reconnect: { minDelayMs: 5, maxDelayMs: 20 },
      firstConnectTimeoutMs: 300,
    });
    client = c;
    const statuses = record(c, 'status');
    const trades = c.trades('BTC-USD');
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedClientError);
    expect(error).toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect((error as Error).message).toMatch(
      /^no connection within 300 ms \(last attempt: 1006 .*ECONNREFUSED/,
    );
    await expect(trades.next()).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect(c.state).toBe('closed');
    expect(statuses.filter((s) => s.status === 'reconnecting').length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toMatchObject({ status: 'closed', fatal: false });
  });

  test('the signal: aborting stops the attempts and rejects connect() with ABORTED', async () => {
    const controller = new AbortController();
    const c = new FeedClient({
      url: await deadUrl(),
      reconnect: { minDelayMs: 5, maxDelayMs: 20 },
      firstConnectTimeoutMs: null,
      signal: controller.signal,
    });
    client = c;
    const pending = c.connect().catch((e: unknown) => e);
    await when(c, 'status', (s) => s.status === 'reconnecting');
    controller.abort(new Error('the user gave up'));
    expect(await pending).toMatchObject({ code: 'ABORTED', cause: { message: 'the user gave up' } });
    expect(c.state).toBe('closed');
    const already = new FeedClient({ url: server.url, signal: controller.signal });
    await expect(already.connect()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(server.count).toBe(0);
  });

  test('the deadline does not apply once connected: a later outage is reconnected', async () => {
    const c = new FeedClient({
      url: server.url,
      reconnect: { minDelayMs: 5, maxDelayMs: 20 },
      firstConnectTimeoutMs: 50,
    });
    client = c;
    const ready = c.connect();
    const conn = await server.accept();
    await ready;
    await new Promise((r) => setTimeout(r, 100));
    conn.kill();
    await server.accept();
    await c.connect();
    expect(c.state).toBe('live');
  });
});

describe('replay', () => {
  test('a live server refuses replay requests: REFUSED with serverCode NOT_REPLAY', async () => {
    const c = connect();
    const done = c.replay('pause').catch((e: unknown) => e);
    const conn = await server.accept();
    const request = await conn.expect('replay');
    expect(request).toMatchObject({ action: 'pause' });
    conn.send([2, request.id, 'NOT_REPLAY', 'this server is live: there is no replay to control', null]);
    expect(await done).toMatchObject({ code: 'REFUSED', serverCode: 'NOT_REPLAY', refusals: [] });
  });
});

describe('close', () => {
  test('ends iterators cleanly after their queued events', async () => {
    const c = connect();
    const all = c.events();
    const stream = c.trades('BTC-USD');
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'));
    conn.send([3, 1, 1, TS_US, [[TS_US, 1, 6500000, 100, 'b']]]);
    await when(c, 'trade');
    const loop = (async () => {
      const seen: number[] = [];
      for await (const t of stream) seen.push(t.tradeId);
      return seen;
    })();
    c.close();
    await expect(loop).resolves.toEqual([1]);
    const kinds: string[] = [];
    for await (const e of all) kinds.push(e.type === 'status' ? e.status : e.type);
    expect(kinds).toEqual(['connecting', 'live', 'instruments', 'synced', 'trade', 'synced', 'closed']);
    expect((await conn.closed).code).toBe(1000);
    await expect(c.subscribe('trades:X')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  test('pending subscriptions reject with CLOSED', async () => {
    const c = connect();
    const pending = c.subscribe('trades:BTC-USD');
    await server.accept();
    c.close();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('formats and options', () => {
  test('JSON: tickwire.v1.json, JSON requests and frames', async () => {
    const c = connect({ format: 'json' });
    const stream = c.ticker('BTC-USD', 250);
    const conn = await server.accept();
    expect(conn.json).toBe(true);
    const req = await conn.expect('subscribe');
    expect(req.channels).toEqual(['instruments', 'ticker:BTC-USD@250ms']);
    conn.ack(req);
    const fields: TickerFields = [
      6500100, 250, 6500125, 1500, 6500125, 1500, 6400000, 6600000, 6390000, 123456789, 4321,
    ];
    conn.send(
      [3, 1, 9, TS_US, fields],
      [4, 1, 10, TS_US, null, null, null, null, null, null, null, null, null, 0, 0],
    );
    const [snap, update] = await take(stream, 2);
    expect(snap).toMatchObject({
      type: 'ticker',
      bid: 6500100,
      ask: 6500125,
      volume24h: 123456789,
      snapshot: true,
    });
    expect([snap?.bidDecimal, snap?.askQtyDecimal, snap?.volume24hDecimal]).toEqual([
      '65001.00',
      '0.01500',
      '1234.56789',
    ]);
    expect(update).toMatchObject({ bid: null, last: null, trades24h: 0, seq: 10 });
  });

  test('token as a query parameter', async () => {
    connect({ token: 'a b&c' })
      .connect()
      .catch(() => {});
    const conn = await server.accept();
    expect(conn.path).toBe('/v1/ws?token=a+b%26c');
  });

  test('instruments() subscribes once and caches the list', async () => {
    const c = connect();
    const list = c.instruments();
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'), { instruments: 0 }); // with the snapshot, as the server does
    const btc = SCRIPTED_INSTRUMENTS[0];
    await expect(list).resolves.toEqual([btc]);
    expect(c.instrument('BTC-USD')).toEqual(btc);
    await expect(c.instruments()).resolves.toEqual([btc]);
    expect(conn.requests.pending).toBe(0);
  });

  test('stats: frames, messages, bytes, latency', async () => {
    const c = connect();
    c.subscribe('trades:BTC-USD').catch(() => {});
    const conn = await server.accept();
    conn.ack(await conn.expect('subscribe'));
    const nowUs = Date.now() * 1000;
    conn.send([3, 1, 1, nowUs, []], [4, 1, 2, nowUs - 5000, 1, 6500000, 100, 'b']);
    await when(c, 'trade');
    const s = c.stats;
    // welcome; the ack with the instruments snapshot; the trades snapshot and update
    expect(s).toMatchObject({ frames: 3, messages: 5, reconnects: 0, gaps: 0 });
    expect(s.bytes).toBeGreaterThan(100);
    expect(s.latencyUs.last).toBeGreaterThanOrEqual(5000);
    expect(s.latencyUs.avg).toBe(s.latencyUs.last);
  });

  test('bad options are FeedClientError BAD_OPTION', () => {
    expect(() => new FeedClient({ url: 'http://x' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => new FeedClient({ url: 'nope' })).toThrow(FeedClientError);
    expect(() => new FeedClient({ url: 'ws://x', maxQueue: 0 })).toThrow(/maxQueue/);
    expect(() => new FeedClient({ url: 'ws://x', reconnect: { minDelayMs: 10, maxDelayMs: 1 } })).toThrow(
      /maxDelayMs/,
    );
  });

  test('a listener that throws does not stop the client: its error becomes an error event', async () => {
    const c = connect();
    const errors = record(c, 'error');
    c.on('status', (s: StatusEvent) => {
      if (s.status === 'live') throw new Error('listener bug');
    });
    const ready = c.connect();
    const conn = await server.accept();
    await ready;
    expect(errors.map((e) => e.error.message)).toEqual(['listener bug']);
    expect(conn.ws.readyState).toBe(1);
    expect(c.state).toBe('live');
  });
});
