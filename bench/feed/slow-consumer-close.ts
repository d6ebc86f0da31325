/**
 * `node --import tsx bench/feed/slow-consumer-close.ts [--rate N] [--json-frames] [--resume]`: how long a client
 * that stops reading keeps its connection (PROTOCOL.md §7). The real server (`startFeedServer`, default gateway
 * options: 4 MiB queue bound, 5 s close grace, 15 s pings) and one real `ws` client subscribed to every channel of
 * every default instrument; after 2 s of reading, the client pauses its socket. Printed, from the pause: when the
 * server decided to close it (4008, or the ping timeout), when the server's side of the connection ended, the
 * bytes the server had written to it, and what the client saw once it read again. With `--resume` the client
 * reads again as soon as the server has decided (a client that was only briefly stalled). Figures, not assertions.
 */
import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startFeedServer } from '../../feed-server/src/http/index.ts';
import { encodeRequest, encodeRequestJson } from '../../feed-server/src/protocol/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    'json-frames': { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
  },
});
const rate = Number(values.rate);
const json = values['json-frames'];
const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const channels = instruments.flatMap((i) => [
  `trades:${i.symbol}`,
  `ticker:${i.symbol}`,
  `book:${i.symbol}:full`,
  `book:${i.symbol}:50`,
  `book:${i.symbol}:10`,
  `candles:${i.symbol}:1s`,
]);

const server = await startFeedServer({
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  instruments,
  rate,
  log: () => {},
});
const ws = new WebSocket(server.wsUrl, json ? 'tickwire.v1.json' : 'tickwire.v1', {
  perMessageDeflate: !json,
});
let clientBytes = 0;
ws.on('message', (data: Buffer) => {
  clientBytes += data.length;
});
const clientClosed = new Promise<{ code: number; reason: string; atMs: number }>((resolve) =>
  ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), atMs: performance.now() })),
);
ws.on('error', () => {});
await new Promise<void>((resolve) => ws.once('open', () => resolve()));
const subscribe = { op: 'subscribe', id: 1, channels } as const;
ws.send(json ? encodeRequestJson(subscribe) : encodeRequest(subscribe));
await sleep(2000);

const gateway = server.gateway;
const raw = (ws as unknown as { _socket: Socket })._socket;
const wireAtPause = gateway.stats.wireBytes;
const clientBytesAtPause = clientBytes;
const pausedAt = performance.now();
raw.pause();
process.stderr.write(`paused at ${rate} commands/s, ${json ? 'JSON' : 'MessagePack + deflate'}\n`);

let decidedMs: number | undefined;
let decidedBy = '';
let wireAtDecision = 0;
let serverEndedMs = -1;
while (serverEndedMs < 0) {
  await sleep(10);
  const now = performance.now() - pausedAt;
  if (decidedMs === undefined && gateway.stats.slowConsumerCloses > 0) {
    decidedMs = now;
    decidedBy = '4008';
    wireAtDecision = gateway.stats.wireBytes - wireAtPause;
    if (values.resume) raw.resume();
  }
  if (gateway.connections === 0) {
    serverEndedMs = now;
    if (decidedMs === undefined) {
      decidedMs = now;
      decidedBy = 'ping timeout';
      wireAtDecision = gateway.stats.wireBytes - wireAtPause;
    }
  }
}
raw.resume();
const seen = await clientClosed;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const report = {
  rate,
  encoding: json ? 'json' : 'msgpack+deflate',
  resumedAtDecision: values.resume,
  decidedBy,
  decidedAfterMs: Math.round(decidedMs ?? serverEndedMs),
  serverEndedAfterMs: Math.round(serverEndedMs),
  wireBytesUntilDecision: mib(wireAtDecision),
  clientReadAfterPause: mib(clientBytes - clientBytesAtPause),
  clientSaw: { code: seen.code, reason: seen.reason },
  clientClosedAfterMs: Math.round(seen.atMs - pausedAt),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
await server.close();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
