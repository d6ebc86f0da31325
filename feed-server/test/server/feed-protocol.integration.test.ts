import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_INSTRUMENT_SPECS } from '../../../matching/src/index.ts';
import type { InstrumentInfo, ServerMessage, WelcomeMessage } from '../../src/protocol/index.ts';
import { DEFAULT_LIMITS } from '../../src/protocol/index.ts';
import { CheckedBook, checkContiguous, type RawFeedClient } from '../support/raw-feed-client.ts';
import { useFeedServers } from '../support/test-feed-servers.ts';

/*
 * What PROTOCOL.md promises where a client written from the document alone needed to guess (issue 11 §6): each
 * test pins one answer the document now gives.
 */

const { server, client } = useFeedServers({ seed: 11, rate: 500 });

const acked = (id: number) => (ms: readonly ServerMessage[]) => ms.some((m) => m[0] === 1 && m[1] === id);
const updates = (c: RawFeedClient, name: string) =>
  c.ofChannel(c.channelIds.get(name) as number).filter((m) => m[0] === 4).length;

describe('resume edge cases (PROTOCOL.md §5)', () => {
  test('resume keys are channel names in any accepted spelling: an alias resumes its channel', async () => {
    const s = await server();
    const a = await client(s);
    a.subscribe(1, ['book:BTC-USD', 'book:ETH-USD:10']);
    await a.until(() => updates(a, 'book:BTC-USD:10') > 5 && updates(a, 'book:ETH-USD:10') > 5, 10_000);
    const btc = checkContiguous(a.ofChannel(a.channelIds.get('book:BTC-USD:10') as number));
    const eth = checkContiguous(a.ofChannel(a.channelIds.get('book:ETH-USD:10') as number));
    a.ws.terminate();

    const b = await client(s);
    // Crossed spellings: the alias as the channel with the canonical name as the key, and the other way round.
    b.subscribe(1, ['book:BTC-USD', 'book:ETH-USD:10'], {
      session: a.session,
      seqs: { 'book:BTC-USD:10': btc, 'book:ETH-USD': eth },
    });
    await b.until(() => updates(b, 'book:BTC-USD:10') > 5 && updates(b, 'book:ETH-USD:10') > 5, 10_000);
    expect(b.messages.filter((m) => m[0] === 2)).toEqual([]);
    for (const [name, last] of [
      ['book:BTC-USD:10', btc],
      ['book:ETH-USD:10', eth],
    ] as const) {
      const ms = b.ofChannel(b.channelIds.get(name) as number);
      expect(
        ms.map((m) => m[0]).filter((t) => t !== 4),
        `${name}: no snapshot, no reset`,
      ).toEqual([]);
      expect(ms[0]?.[2], name).toBe(last + 1);
    }
  });

  test('a key that names no channel of the request, or one already named, is answered with BAD_RESUME', async () => {
    const s = await server();
    const a = await client(s);
    a.subscribe(1, ['trades:BTC-USD', 'book:BTC-USD']);
    await a.until(() => updates(a, 'trades:BTC-USD') > 3 && updates(a, 'book:BTC-USD:10') > 3, 10_000);
    const trades = checkContiguous(a.ofChannel(a.channelIds.get('trades:BTC-USD') as number));
    const book = checkContiguous(a.ofChannel(a.channelIds.get('book:BTC-USD:10') as number));
    a.ws.terminate();

    const b = await client(s);
    b.subscribe(7, ['trades:BTC-USD', 'book:BTC-USD', 'trades:NOPE'], {
      session: a.session,
      seqs: {
        'trades:BTC-USD': trades,
        'book:BTC-USD': book,
        'book:BTC-USD:10': 1, // the same channel again
        'ticker:BTC-USD': 1, // a channel, but not one this request subscribes
        'nope:x': 1, // not a channel
        'trades:XXX': 1, // no such instrument
        'trades:NOPE': 1, // a refused channel of the request: its own error covers it
      },
    });
    await b.until(acked(7));
    const ackAt = b.messages.findIndex((m) => m[0] === 1);
    const errors = b.messages.filter((m) => m[0] === 2);
    expect(errors.map((m) => [m[1], m[2], m[4]])).toEqual([
      [7, 'UNKNOWN_SYMBOL', 'trades:NOPE'],
      [7, 'BAD_RESUME', 'book:BTC-USD:10'],
      [7, 'BAD_RESUME', 'ticker:BTC-USD'],
      [7, 'BAD_RESUME', 'nope:x'],
      [7, 'BAD_RESUME', 'trades:XXX'],
    ]);
    expect(b.messages.slice(0, ackAt).filter((m) => m[0] === 2)).toHaveLength(errors.length);
    // The good keys still resume their channels.
    await b.until(() => updates(b, 'trades:BTC-USD') > 0 && updates(b, 'book:BTC-USD:10') > 0, 10_000);
    expect(b.ofChannel(b.channelIds.get('trades:BTC-USD') as number)[0]?.slice(0, 3)).toEqual([
      4,
      b.channelIds.get('trades:BTC-USD'),
      trades + 1,
    ]);
    expect(b.ofChannel(b.channelIds.get('book:BTC-USD:10') as number)[0]?.[2]).toBe(book + 1);
  });
});

const protocolText = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('numbers (PROTOCOL.md §3)', () => {
  test('maxPrice and maxSize are at most 2^50, and exactly 2^50 on the default instruments', async () => {
    expect(protocolText).toContain('Every such integer is at most 2^50');
    const s = await server();
    const c = await client(s);
    c.subscribe(1, ['instruments']);
    await c.until((ms) => ms.some((m) => m[0] === 3));
    const snapshot = c.messages.find((m) => m[0] === 3) as readonly [
      3,
      number,
      number,
      number,
      InstrumentInfo[],
    ];
    expect(snapshot[4].map((i) => [i.symbol, i.maxPrice, i.maxSize])).toEqual(
      DEFAULT_INSTRUMENT_SPECS.map((i) => [i.symbol, 2 ** 50, 2 ** 50]),
    );
  });
});

describe('sequence numbers (PROTOCOL.md §3)', () => {
  test('instruments, which has no updates, snapshots at seq 0 however long the server has run; so does its heartbeat', async () => {
    expect(protocolText).toContain("`instruments` has no updates in v1: its snapshot's `seq` is always 0");
    const s = await server({ gateway: { heartbeatMs: 200 } });
    const a = await client(s);
    a.subscribe(1, ['trades:BTC-USD']);
    await a.until(() => updates(a, 'trades:BTC-USD') > 3);
    const c = await client(s);
    c.subscribe(1, ['instruments']);
    await c.until((ms) => ms.some((m) => m[0] === 6));
    const id = c.channelIds.get('instruments') as number;
    expect(c.ofChannel(id).map((m) => m.slice(0, 3))).toEqual([[3, id, 0]]);
    expect((c.messages.find((m) => m[0] === 6) as readonly [6, number, [number, number][]])[2]).toEqual([
      [id, 0],
    ]);
  });
});

describe('welcome (PROTOCOL.md §13)', () => {
  test.each([
    'tickwire.v1',
    'tickwire.v1.json',
  ])('on %s: protocol is the version, heartbeatMs the idle interval', async (protocol) => {
    const s = await server({ gateway: { heartbeatMs: 250 } });
    const c = await client(s, { protocol });
    c.subscribe(1, ['instruments']);
    await c.until((ms) => ms.some((m) => m[0] === 6));
    const welcome = (c.messages[0] as WelcomeMessage)[1];
    expect(welcome).toMatchObject({
      protocol: 'tickwire.v1',
      heartbeatMs: 250,
      mode: 'live',
      session: c.session,
    });
    expect(typeof welcome.server).toBe('string');
  });
});

describe('pings (PROTOCOL.md §6)', () => {
  test('a peer that answers no ping gets exactly two, then is dropped without a close frame; one that answers stays', async () => {
    expect(protocolText).toContain('At a tick where a connection has left its last two pings unanswered');
    const s = await server({ gateway: { pingMs: 100 } });
    const open = (autoPong: boolean) =>
      new Promise<{ ws: WebSocket; pings: () => number; closed: Promise<number> }>((resolve, reject) => {
        const ws = new WebSocket(s.wsUrl, 'tickwire.v1', { autoPong });
        let pings = 0;
        ws.on('ping', () => pings++);
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.once('open', () => resolve({ ws, pings: () => pings, closed }));
        ws.once('error', reject);
      });
    const silent = await open(false);
    const answering = await open(true);
    expect(await silent.closed).toBe(1006);
    expect(silent.pings()).toBe(2);
    // The answering peer outlives many more ticks.
    await new Promise<void>((resolve) => {
      answering.ws.on('ping', () => answering.pings() >= 8 && resolve());
    });
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    answering.ws.terminate();
  });
});

describe('slow consumers (PROTOCOL.md §7)', () => {
  test('a client that never reads again: its 4008 stays queued behind the data, the server drops the connection without it', async () => {
    expect(protocolText).toContain('the server destroys the TCP connection 5 s after the decision');
    const s = await server({
      rate: 20_000,
      gateway: { limits: { ...DEFAULT_LIMITS, queuedBytesPerConnection: 64 * 1024 }, slowCloseGraceMs: 100 },
    });
    // Uncompressed JSON of every book channel: megabytes a second, so the kernel's socket buffers fill fast.
    const c = await client(s, { perMessageDeflate: false, protocol: 'tickwire.v1.json' });
    c.subscribe(1, ['trades:BTC-USD', 'book:BTC-USD:full', 'book:ETH-USD:full', 'book:AMZN:full']);
    await c.until(acked(1));
    const raw = (c.ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    const closedOnServer = new Promise<void>((resolve) => {
      const poll = () => (s.gateway.connections === 0 ? resolve() : setTimeout(poll, 20));
      poll();
    });
    await closedOnServer;
    expect(s.gateway.stats.slowConsumerCloses).toBe(1);
    // The server heard no close back: it ended the connection itself.
    expect(s.gateway.stats.closes.get(1006)).toBe(1);
    raw.resume();
    expect(await c.closed).toEqual({ code: 1006, reason: '' });
  }, 40_000);
});

describe('book depth (PROTOCOL.md §4)', () => {
  test('applying a depth-D channel never holds more than D levels a side: levels that leave are sent as removed', async () => {
    expect(protocolText).toContain('So applying updates never leaves more than D levels per side');
    const s = await server({ rate: 3000 });
    const c = await client(s);
    c.subscribe(1, ['book:BTC-USD:10', 'book:BTC-USD:50']);
    await c.until(() => updates(c, 'book:BTC-USD:10') > 200 && updates(c, 'book:BTC-USD:50') > 200, 20_000);
    for (const [name, depth] of [
      ['book:BTC-USD:10', 10],
      ['book:BTC-USD:50', 50],
    ] as const) {
      const book = new CheckedBook();
      let full = 0;
      for (const m of c.ofChannel(c.channelIds.get(name) as number)) {
        book.apply(m);
        expect(book.bids.size, `${name} seq ${m[2]}`).toBeLessThanOrEqual(depth);
        expect(book.asks.size, `${name} seq ${m[2]}`).toBeLessThanOrEqual(depth);
        if (book.bids.size === depth && book.asks.size === depth) full++;
      }
      // The simulator's book is deeper than 10 levels: that window was full, so levels did enter and leave it.
      if (depth === 10) expect(full, name).toBeGreaterThan(100);
    }
  });
});
