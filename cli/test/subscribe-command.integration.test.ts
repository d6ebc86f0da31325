import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type BookLevel, bookChecksum } from '../../feed-server/src/protocol/index.ts';
import {
  type ScriptedConnection,
  ScriptedServer,
  TS_US,
} from '../../feed-server/test/client/scripted-server.ts';
import { main } from '../src/main.ts';

let server: ScriptedServer;
beforeEach(async () => {
  server = await ScriptedServer.start();
});
afterEach(() => server.close());

/** Runs `tickwire subscribe …` in process against the scripted server. */
function run(args: string[], abort?: AbortController) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const code = main(['subscribe', ...args, '--url', server.url], {
    stdout,
    stderr,
    ...(abort === undefined ? {} : { signal: abort.signal }),
  });
  return code.then((c) => ({ code: c, stdout: out, stderr: err }));
}

/** Plays the feed's side up to the point where `channels` are acked with ids 1, 2, …. */
async function serve(channels: string[]): Promise<ScriptedConnection> {
  const conn = await server.accept();
  const inst = await conn.expect('subscribe');
  expect(inst.channels).toEqual(['instruments']);
  conn.ack(inst, { instruments: 0 }); // with its snapshot: BTC-USD at 2 and 5 decimals
  const req = await conn.expect('subscribe');
  expect(req.channels).toEqual(channels);
  conn.ack(req);
  return conn;
}

describe('tickwire subscribe', () => {
  test('prints one line per message with exact decimals and exits after --count', async () => {
    const result = run(['trades:BTC-USD', '--count', '3']);
    const conn = await serve(['trades:BTC-USD']);
    conn.send(
      [3, 1, 1, TS_US, [[TS_US, 1, 6500125, 1500, 'b']]],
      [4, 1, 2, TS_US, 2, 6500100, 1, 's'],
      [4, 1, 3, TS_US, 3, 6500000, 100000, 'b'],
      [4, 1, 4, TS_US, 4, 6500000, 100000, 'b'],
    );
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '2025-11-22T06:00:00.000000Z  trades:BTC-USD  BUY         0.01500 @ 65001.25  (snapshot)',
      '2025-11-22T06:00:00.000000Z  trades:BTC-USD  SELL        0.00001 @ 65001.00',
      '2025-11-22T06:00:00.000000Z  trades:BTC-USD  BUY         1.00000 @ 65000.00',
      '',
    ]);
    expect(stderr).toMatch(/tickwire subscribe: 3 messages; received \d+ messages/);
  });

  test('--json: NDJSON with decimal strings; instruments printed only when asked for', async () => {
    const result = run(['instruments', 'ticker:BTC-USD', '--json', '-n', '2']);
    // `instruments` is subscribed already (for the scales): only the ticker is requested.
    const conn = await serve(['ticker:BTC-USD']);
    conn.send([3, 1, 5, TS_US, [6500100, 250, 6500125, 1500, null, null, null, null, null, 0, 0]]);
    const { code, stdout } = await result;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.channel)).toEqual(['instruments', 'ticker:BTC-USD']);
    expect(lines[1]).toMatchObject({ bid: '65001.00', askQty: '0.01500', last: null, snapshot: true });
  });

  test('book lines show the book as of each message, even several in one frame', async () => {
    const result = run(['book:BTC-USD:50', '-n', '3']);
    const conn = await serve(['book:BTC-USD:50']);
    const bids1: BookLevel[] = [[6500000, 100, 1]];
    const bids2: BookLevel[] = [[6500100, 5, 1], ...bids1];
    conn.send(
      [3, 1, 1, TS_US, [bookChecksum([], []), [], []]],
      [4, 1, 2, TS_US, bookChecksum(bids1, []), bids1, []],
      [4, 1, 3, TS_US, bookChecksum(bids2, []), [[6500100, 5, 1]], []],
    );
    const { code, stdout } = await result;
    expect(code).toBe(0);
    expect(stdout.split('\n').map((l) => l.slice(46))).toEqual([
      '(no bids) | (no asks)  levels 0/0  seq 1  (snapshot)',
      '65000.00 × 0.00100 | (no asks)  levels 1/0  seq 2',
      '65001.00 × 0.00005 | (no asks)  levels 2/0  seq 3',
      '',
    ]);
  });

  test('a channel the feed refuses: its error, exit 2', async () => {
    const result = run(['trades:NOPE']);
    const conn = await server.accept();
    const inst = await conn.expect('subscribe');
    conn.ack(inst, { instruments: 0 });
    const req = await conn.expect('subscribe');
    conn.send([2, req.id, 'UNKNOWN_SYMBOL', 'no instrument NOPE', 'trades:NOPE']);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'tickwire subscribe: the feed refused trades:NOPE: UNKNOWN_SYMBOL no instrument NOPE',
    );
  });

  test('Ctrl-C: exit 0 after what was printed', async () => {
    const abort = new AbortController();
    const result = run(['book:BTC-USD'], abort);
    const conn = await serve(['book:BTC-USD:10']);
    conn.send([3, 1, 1, TS_US, [bookChecksum([], []), [], []]]);
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stdout).toBe(
      '2025-11-22T06:00:00.000000Z  book:BTC-USD:10  (no bids) | (no asks)  levels 0/0  seq 1  (snapshot)\n',
    );
    expect(stderr).toMatch(/tickwire subscribe: 1 messages/);
    expect((await conn.closed).code).toBe(1000);
  });

  test('closed for good by the feed (4003): exit 1 with the code and reason', async () => {
    const result = run(['trades:BTC-USD', '--token', 'bad']);
    const conn = await server.connections.next();
    expect(conn.path).toBe('/v1/ws?token=bad');
    conn.ws.close(4003, 'token invalid');
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toContain('the feed closed the connection for good: 4003 token invalid');
  });

  test('no feed at the URL: exit 1 at the first failure', async () => {
    const url = server.url;
    await server.close();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const code = await main(['subscribe', 'trades:BTC-USD', '--url', url], {
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(1);
    expect(err).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:\d+\/v1\/ws: .*ECONNREFUSED/);
    server = await ScriptedServer.start();
  });
});
