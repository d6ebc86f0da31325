import fc from 'fast-check';
import { pack } from 'msgpackr';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { type RunningFeedServer, startFeedServer } from '../../src/http/feed-server.ts';
import {
  DEFAULT_LIMITS,
  decodeRequest,
  ProtocolError,
  type ServerMessage,
} from '../../src/protocol/index.ts';
import { RawFeedClient } from '../support/raw-feed-client.ts';

/*
 * Throws thousands of malformed frames at one real server (PROTOCOL.md §9, §10): every frame is either answered
 * (error, ack or pong) with the connection left open, or the connection is closed with the code the protocol
 * names — never silence, never a crash, and the server's state shrinks back when the clients go.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
let server: RunningFeedServer;

beforeAll(async () => {
  server = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    seed: 3,
    instruments: DEFAULT_INSTRUMENT_SPECS.map(defineInstrument),
    rate: 500,
    // The request rate limit has its own test; here every request must reach the decoder.
    gateway: { limits: { ...DEFAULT_LIMITS, requestsPerSecond: 1e6, requestBurst: 1e6 } },
    log: () => {},
  });
});

afterAll(async () => {
  await server.close();
});

type Expected = { readonly close: number } | { readonly error: string } | { readonly answered: true };

/** What PROTOCOL.md says the server does with one client frame on `tickwire.v1`. */
function expected(frame: Uint8Array): Expected {
  try {
    decodeRequest(frame);
    return { answered: true };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return error.closeCode !== null ? { close: error.closeCode } : { error: error.code };
  }
}

const request = fc.record(
  {
    op: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping'), fc.string({ maxLength: 12 })),
    // The top 2^20 ids are the test's own pings (below): a fuzzed ping with one of them would answer for it.
    id: fc.oneof(
      fc.integer({ min: 0, max: 2 ** 31 - 1 - 2 ** 20 }),
      fc.double(),
      fc.string({ maxLength: 3 }),
      fc.constant(null),
    ),
    channels: fc.oneof(
      fc.array(
        fc.oneof(
          fc.constantFrom(
            'trades:BTC-USD',
            'book:ETH-USD:50',
            'ticker:AMZN@250ms',
            'candles:BTC-USD:1m',
            'instruments',
          ),
          fc.string({ maxLength: 40 }),
        ),
        { maxLength: 60 },
      ),
      fc.anything({ maxDepth: 2 }),
    ),
    resume: fc.anything({ maxDepth: 3 }),
  },
  { requiredKeys: ['op'] },
);

const frames = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 4000, maxLength: 6000 }) },
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => new Uint8Array(pack(v))) },
  { weight: 4, arbitrary: request.map((r) => new Uint8Array(pack(r))) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(request, fc.uint8Array({ minLength: 1, maxLength: 8 }))
      .map(([r, tail]) => new Uint8Array(Buffer.concat([pack(r), tail]))),
  },
);

test(`${RUNS} hostile frames: each answered or closed with the protocol's code; the server stays up`, async () => {
  let client = await RawFeedClient.connect(server.wsUrl);
  let pingId = 2 ** 31 - 1;
  let closes = 0;
  let answers = 0;
  const pongOf = (id: number) => (ms: readonly ServerMessage[]) => ms.some((m) => m[0] === 7 && m[1] === id);

  await fc.assert(
    fc.asyncProperty(frames, async (frame) => {
      const want = expected(frame);
      const before = client.messages.length;
      client.ws.send(frame);
      if ('close' in want) {
        const { code } = await client.closed;
        expect(code).toBe(want.close);
        closes++;
        client = await RawFeedClient.connect(server.wsUrl);
        return;
      }
      // A ping after the frame: its pong proves the frame was processed, and what came before answers it.
      const id = pingId--;
      client.send({ op: 'ping', id });
      await client.until(pongOf(id));
      const answer = client.messages.slice(before).filter((m) => !(m[0] === 7 && m[1] === id));
      if ('error' in want) expect(answer.some((m) => m[0] === 2 && m[2] === want.error)).toBe(true);
      else expect(answer.some((m) => m[0] === 1 || m[0] === 2 || m[0] === 7)).toBe(true);
      answers++;
      // Keep the connection's subscriptions and queue from piling up across runs.
      if (client.messages.length > 5000) {
        client.ws.terminate();
        client = await RawFeedClient.connect(server.wsUrl);
      }
    }),
    { numRuns: RUNS },
  );
  client.ws.terminate();
  expect(closes).toBeGreaterThan(RUNS / 20);
  expect(answers).toBeGreaterThan(RUNS / 5);

  // Every connection the fuzz opened is gone again, and so are its subscriptions.
  const deadline = Date.now() + 20_000; // generous: a loaded machine closes them late, not never
  while (server.gateway.connections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(server.gateway.connections).toBe(0);
  expect(server.gateway.subscriptions).toBe(0);
  // Still serving.
  const after = await RawFeedClient.connect(server.wsUrl);
  after.subscribe(1, ['trades:BTC-USD']);
  await after.until((ms) => ms.some((m) => m[0] === 3));
  after.ws.terminate();
}, 120_000);
