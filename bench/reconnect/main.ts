/**
 * `node --import tsx bench/reconnect/main.ts`: how long clients take to come back after a server restart, for
 * main's reconnect backoff (500 ms to 30 s) and issue 12's (SDK 250 ms to 10 s, page 250 ms to 2 s). For each
 * outage length, one server with N clients of each kind is stopped, kept down for the outage and started again
 * on the same port; each client's time from the new server listening to its `live` status is reported
 * (median, p90, max). Prints figures; asserts nothing.
 */
import type { BackoffOptions } from 'tickwire/client';
import { FeedClient } from 'tickwire/client/node';
import { type RunningFeedServer, startFeedServer } from '../../feed-server/src/http/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../matching/src/index.ts';

// 3 × CLIENTS connections from one address: within the default limit of 100 per IP.
const CLIENTS = Number(process.env.CLIENTS ?? 30);
const OUTAGES_MS = (process.env.OUTAGES_MS ?? '1000,3000,6000').split(',').map(Number);
const CONFIGS: readonly { name: string; reconnect: BackoffOptions }[] = [
  { name: 'main (500 ms–30 s)', reconnect: { minDelayMs: 500, maxDelayMs: 30_000 } },
  { name: 'SDK now (250 ms–10 s)', reconnect: { minDelayMs: 250, maxDelayMs: 10_000 } },
  { name: 'page now (250 ms–2 s)', reconnect: { minDelayMs: 250, maxDelayMs: 2_000 } },
];
const instruments = DEFAULT_INSTRUMENT_SPECS.slice(0, 1).map(defineInstrument);
const start = (port: number): Promise<RunningFeedServer> =>
  startFeedServer({ host: '127.0.0.1', port, seed: 1, instruments, rate: 50, log: () => {} });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

for (const outageMs of OUTAGES_MS) {
  let server = await start(0);
  const port = server.port;
  const clients = CONFIGS.map((c) =>
    Array.from({ length: CLIENTS }, () => {
      const client = new FeedClient({
        url: server.wsUrl,
        reconnect: c.reconnect,
        firstConnectTimeoutMs: null,
      });
      const lives: number[] = [];
      client.on('status', (e) => {
        if (e.status === 'live') lives.push(Date.now());
      });
      // The client connects once something is subscribed.
      client.subscribe(['ticker:BTC-USD']).catch(() => {});
      return { client, lives };
    }),
  );
  while (clients.flat().some((c) => c.lives.length < 1)) await sleep(10);
  await server.close();
  await sleep(outageMs);
  server = await start(port);
  const listening = Date.now();
  while (clients.flat().some((c) => c.lives.length < 2)) await sleep(10);
  for (const [i, c] of CONFIGS.entries()) {
    const t = (clients[i] ?? []).map((x) => (x.lives[1] ?? 0) - listening).sort((a, b) => a - b);
    console.log(
      `outage ${outageMs} ms, ${c.name}: back after the server listened: median ${pct(t, 0.5)} ms, p90 ${pct(t, 0.9)} ms, max ${t.at(-1)} ms`,
    );
  }
  for (const c of clients.flat()) c.client.close();
  await server.close();
}
