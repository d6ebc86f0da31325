import { FeedClient, type FetchLike } from 'tickwire/client/node';
import type { CandleFields, InstrumentInfo, Request } from 'tickwire/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type ScriptedConnection,
  ScriptedServer,
  TS_US,
  welcomeBody,
} from '../../../feed-server/test/client/scripted-server.ts';
import { MarketFeed } from '../../src/feed/index.ts';
import { MarketState } from '../../src/model/index.ts';

/** How long a test waits for something to happen: generous, a test checks what, not how fast (issue 11 §3). */
const WAIT_MS = 20_000;

/* MarketFeed against a scripted feed (real sockets, messages chosen by the test) and a scripted REST API. */

const I = 1_000_000;
const T0 = TS_US - (TS_US % I);
const BTC: InstrumentInfo = {
  symbol: 'BTC-USD',
  priceScale: 2,
  qtyScale: 5,
  tickSize: 1,
  lotSize: 1,
  minSize: 1,
  maxPrice: 10 ** 12,
  maxSize: 10 ** 12,
};

function row(slot: number, closed = true, close = 6_500_000 + slot): CandleFields {
  return [T0 + slot * I, 6_500_000, close, 6_500_000, close, 100, 2, '65000.0000', closed];
}

function restBody(slots: readonly number[], session = 's1') {
  return {
    symbol: 'BTC-USD',
    priceScale: 2,
    qtyScale: 5,
    interval: '1s',
    session, // not part of §14: lets the tests see which "server" answered
    candles: slots.map((s) => {
      const [startUs, open, high, low, close, volume, trades, vwap, closed] = row(s);
      return { startUs, open, high, low, close, volume, trades, vwap, closed };
    }),
  };
}

/** A REST API whose answers the test gives, request by request: the `fetch` of the client's `rest`. */
class ScriptedRest {
  readonly asked: { path: string; answer: (body: unknown) => void; fail: (e: Error) => void }[] = [];
  private waiters: (() => void)[] = [];
  readonly fetch: FetchLike = (url) =>
    new Promise((resolve, reject) => {
      const { pathname, search } = new URL(url);
      const answer = (body: unknown) => resolve({ status: 200, text: async () => JSON.stringify(body) });
      this.asked.push({ path: `${pathname}${search}`, answer, fail: reject });
      for (const w of this.waiters.splice(0)) w();
    });

  async next(): Promise<ScriptedRest['asked'][number]> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const r = this.asked.shift();
      if (r !== undefined) return r;
      if (Date.now() > deadline) throw new Error('no REST request');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

const servers: ScriptedServer[] = [];
const clients: FeedClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function subscribeAll(conn: ScriptedConnection): Promise<Record<string, number>> {
  const sub = (await conn.expect('subscribe')) as Extract<Request, { op: 'subscribe' }>;
  const ids: Record<string, number> = {};
  sub.channels.forEach((c, i) => {
    ids[c] = 10 + i;
  });
  conn.ack(sub, ids);
  return ids;
}

async function setup() {
  const server = await ScriptedServer.start();
  servers.push(server);
  const rest = new ScriptedRest();
  const client = new FeedClient({
    url: server.url,
    reconnect: { minDelayMs: 10, maxDelayMs: 20 },
    fetch: rest.fetch,
  });
  clients.push(client);
  const state = new MarketState();
  const problems: string[] = [];
  const feed = new MarketFeed({
    client,
    state,
    warn: (m) => problems.push(m),
    fail: (e) => problems.push(`BUG ${String(e)}`),
  });
  const started = feed.start();
  const conn = await server.accept('s1');
  const sub = await conn.expect('subscribe');
  conn.ack(sub, { instruments: 1 });
  conn.send([3, 1, 1, TS_US, [BTC]]);
  await started;
  return { server, client, state, rest, feed, conn, problems };
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const slots = (state: MarketState) => (state.chart?.bars() ?? []).map((e) => (e.bar.startUs - T0) / I);

describe('MarketFeed', () => {
  test('subscribes the selection, merges the snapshot with the history, and fills a hole over REST', async () => {
    const { state, rest, feed, conn, problems } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const ids = await subscribeAll(conn);
    expect(Object.keys(ids).sort()).toEqual([
      'book:BTC-USD:10',
      'candles:BTC-USD:1s',
      'ticker:BTC-USD',
      'trades:BTC-USD',
    ]);
    // The live snapshot has a hole (bars 3 and 4 are missing, as after a reconnect that did not reach back).
    conn.send([
      3,
      ids['candles:BTC-USD:1s'] as number,
      7,
      TS_US,
      [row(1), row(2), row(5), row(6), row(7, false)],
    ]);
    const history = await rest.next();
    expect(history.path).toBe('/api/v1/candles/BTC-USD?interval=1s&limit=1000');
    history.answer(restBody([0, 1]));
    const fill = await rest.next();
    expect(fill.path).toBe(
      `/api/v1/candles/BTC-USD?interval=1s&from=${T0 + 3 * I}&to=${T0 + 5 * I}&limit=1000`,
    );
    fill.answer(restBody([3, 4]));
    await until(() => slots(state).length === 8, 'the filled chart');
    expect(slots(state)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(state.chart?.holes()).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('a REST answer that spans a server restart is thrown away and asked again in the new session', async () => {
    const { server, state, rest, feed, conn, problems } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const ids = await subscribeAll(conn);
    conn.send([3, ids['candles:BTC-USD:1s'] as number, 3, TS_US, [row(5, false)]]);
    const history = await rest.next();
    // The server restarts before the history arrives: a new session, whose bars differ.
    conn.kill();
    const conn2 = await server.accept('s2');
    const ids2 = await subscribeAll(conn2);
    const candles2 = ids2['candles:BTC-USD:1s'] as number;
    // The SDK saw the session change and subscribed afresh: a snapshot, no reset.
    conn2.send([3, candles2, 1, TS_US, [row(5, false, 6_400_005)]]);
    history.answer(restBody([3, 4, 5], 's1'));
    const again = await rest.next();
    expect(again.path).toBe(history.path);
    again.answer(restBody([4], 's2'));
    await until(() => slots(state).length === 2, 'the bars of the new session');
    expect(state.chart?.bars().map((e) => [(e.bar.startUs - T0) / I, e.epoch])).toEqual([
      [4, 2],
      [5, 2],
    ]);
    // Bar 5 is the new session's forming bar, not the stopped session's closed one from the stale answer.
    expect(state.chart?.at(T0 + 5 * I)?.bar.close).toBe(6_400_005);
    expect(problems).toEqual([]);
  });

  test('a replay seek back (reset of every channel): the chart, the tape and the clock start over', async () => {
    const { state, rest, feed, conn, problems } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const ids = await subscribeAll(conn);
    const candles = ids['candles:BTC-USD:1s'] as number;
    const trades = ids['trades:BTC-USD'] as number;
    conn.send(
      [3, candles, 7, TS_US, [row(6), row(7, false)]],
      [3, trades, 4, TS_US, [[T0 + 7 * I, 9, 1, 1, 'b']]],
    );
    (await rest.next()).answer(restBody([5, 6]));
    conn.send([4, trades, 5, T0 + 8 * I, 10, 1, 1, 's']);
    await until(() => slots(state).join() === '5,6,7' && state.tape.size === 2, 'the first position');
    expect(state.lastEventUs).toBe(T0 + 8 * I);
    // The seek: the server resets every channel and sends snapshots of the earlier point.
    conn.send(
      [5, candles, 'seek'],
      [3, candles, 3, TS_US, [row(2), row(3, false)]],
      [5, trades, 'seek'],
      [3, trades, 2, TS_US, [[T0 + 3 * I, 4, 1, 1, 'b']]],
    );
    const reload = await rest.next();
    expect(reload.path).toBe('/api/v1/candles/BTC-USD?interval=1s&limit=1000');
    reload.answer(restBody([1, 2]));
    await until(() => slots(state).join() === '1,2,3', 'the chart of the new position');
    expect(state.tape.size).toBe(1);
    expect(state.lastEventUs).toBeNull();
    expect(state.connection.linkState).toBe('live');
    expect(problems).toEqual([]);
  });

  test('a reconnect to a replay server in another session (it moved meanwhile): the chart starts over', async () => {
    const { server, state, rest, feed, conn, problems } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const ids = await subscribeAll(conn);
    conn.send([3, ids['candles:BTC-USD:1s'] as number, 7, TS_US, [row(6), row(7, false)]]);
    (await rest.next()).answer(restBody([5, 6]));
    await until(() => slots(state).join() === '5,6,7', 'the first position');
    conn.kill();
    const again = await server.connections.next();
    again.send([0, { ...welcomeBody('s1~1'), mode: 'replay' }]);
    const ids2 = await subscribeAll(again);
    again.send([3, ids2['candles:BTC-USD:1s'] as number, 3, TS_US, [row(2), row(3, false)]]);
    (await rest.next()).answer(restBody([1, 2]));
    await until(() => slots(state).join() === '1,2,3', 'the chart of the new position');
    expect(problems).toEqual([]);
  });

  test('a refused channel becomes the notice; a failed history request is retried', async () => {
    const { state, rest, feed, conn, problems } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const sub = await conn.expect('subscribe');
    const candles = 'candles:BTC-USD:1s';
    conn.send([2, sub.id, 'UNKNOWN_SYMBOL', 'no such symbol', 'trades:BTC-USD']);
    conn.ack({ ...sub, channels: sub.channels.filter((c) => c !== 'trades:BTC-USD') }, { [candles]: 5 });
    await until(() => state.notice !== null, 'the notice');
    expect(state.notice).toContain('UNKNOWN_SYMBOL');
    const first = await rest.next();
    first.fail(new Error('connection refused'));
    const retry = await rest.next();
    retry.answer(restBody([1, 2]));
    await until(() => slots(state).length === 2, 'the history');
    expect(problems.some((p) => p.includes('retrying'))).toBe(true);
    expect(problems.some((p) => p.startsWith('BUG'))).toBe(false);
  });

  test('switching the selection unsubscribes what is no longer shown and ignores late data of it', async () => {
    const { state, rest, feed, conn } = await setup();
    feed.select({ symbol: 'BTC-USD', interval: '1s' });
    const ids = await subscribeAll(conn);
    (await rest.next()).answer(restBody([]));
    feed.select({ symbol: 'BTC-USD', interval: '1m' });
    const unsub = await conn.expect('unsubscribe');
    expect(unsub.channels).toEqual(['candles:BTC-USD:1s']);
    // A 1s bar still in flight before the unsubscribe's ack must not reach the 1m chart.
    conn.send([3, ids['candles:BTC-USD:1s'] as number, 2, TS_US, [row(1)]]);
    conn.ack(unsub);
    const sub = await conn.expect('subscribe');
    expect(sub.channels).toEqual(['candles:BTC-USD:1m']);
    conn.ack(sub, { 'candles:BTC-USD:1m': 30 });
    expect(state.chart?.intervalUs).toBe(60 * I);
    await new Promise((r) => setTimeout(r, 50));
    expect(state.chart?.size).toBe(0);
  });
});
