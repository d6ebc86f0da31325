import { createServer } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import {
  type FeedServerOptions,
  type RunningFeedServer,
  startFeedServer,
} from '../../src/http/feed-server.ts';
import { mintToken } from '../../src/server/auth-token.ts';

/*
 * `metricsListen` (`--metrics-listen`): /metrics moved to its own address, served there without a token and
 * no longer on the feed's port, where the token would otherwise guard it.
 */

const SECRET = 'metrics-listener-test-secret-01';
const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const running: RunningFeedServer[] = [];

async function start(options: Partial<FeedServerOptions> = {}): Promise<RunningFeedServer> {
  const s = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    seed: 2,
    instruments,
    rate: 100,
    log: () => {},
    ...options,
  });
  running.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('metricsListen', () => {
  test('serves /metrics on its own address without a token, and not on the feed port', async () => {
    const s = await start({ authSecret: SECRET, metricsListen: { host: '127.0.0.1', port: 0 } });
    expect(s.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(s.metricsUrl).port).not.toBe(String(s.port));
    const scraped = await fetch(s.metricsUrl);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('tickwire_connections');
    expect((await fetch(new URL('/api/v1/instruments', s.metricsUrl))).status).toBe(404);
    // The feed's port: no /metrics there, token or not; REST still needs the token.
    const token = mintToken(SECRET, { subject: 'm', ttlSeconds: 60 });
    const onFeedPort = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(onFeedPort.status).toBe(404);
    expect((await fetch(`${s.url}/api/v1/instruments`)).status).toBe(401);
  });

  test('without it, /metrics is on the feed port (metricsUrl says so)', async () => {
    const s = await start();
    expect(s.metricsUrl).toBe(`${s.url}/metrics`);
    expect((await fetch(s.metricsUrl)).status).toBe(200);
  });

  test('close() closes the metrics listener too', async () => {
    const s = await start({ metricsListen: { host: '127.0.0.1', port: 0 } });
    expect((await fetch(s.metricsUrl)).status).toBe(200);
    await s.close();
    await expect(fetch(s.metricsUrl)).rejects.toThrow();
  });

  test('an address in use rejects the start with the listen error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(start({ metricsListen: { host: '127.0.0.1', port: taken } })).rejects.toMatchObject({
        code: 'EADDRINUSE',
        port: taken,
      });
    } finally {
      blocker.close();
    }
  });
});
