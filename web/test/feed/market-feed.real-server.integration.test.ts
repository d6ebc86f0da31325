import { FeedClient } from 'tickwire/client/node';
import { afterEach, expect, test } from 'vitest';
import { type RunningFeedServer, startFeedServer } from '../../../feed-server/src/http/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { MarketFeed } from '../../src/feed/index.ts';
import { type ChartPoint, MarketState } from '../../src/model/index.ts';
import { FakeSeries } from '../model/fake-series.ts';

/* The page's feed layer against the real server: REST history and live bars merged, drawn frame by frame
 * into a series with lightweight-charts' rules, exact against the server's own bars, across a restart. */

const instruments = DEFAULT_INSTRUMENT_SPECS.map(defineInstrument);
const running: RunningFeedServer[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function server(port = 0, seed = 5): Promise<RunningFeedServer> {
  const s = await startFeedServer({ host: '127.0.0.1', port, seed, instruments, rate: 3000, log: () => {} });
  running.push(s);
  return s;
}

const waitFor = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function drawn(points: readonly ChartPoint[]): string[] {
  return points.map((p) =>
    p.kind === 'gap'
      ? `${p.startUs}:_`
      : `${p.startUs}:${p.bar.open}/${p.bar.high}/${p.bar.low}/${p.bar.close}/${p.bar.volume}`,
  );
}

test('history and live bars merge exactly; a server restart appends the new session after a hole', async () => {
  const first = await server();
  const client = new FeedClient({ url: first.wsUrl, reconnect: { minDelayMs: 20, maxDelayMs: 200 } });
  closers.push(() => client.close());
  const state = new MarketState();
  const problems: string[] = [];
  const feed = new MarketFeed({
    client,
    state,
    warn: (m) => problems.push(m),
    fail: (e) => problems.push(`BUG ${String(e)}`),
  });
  closers.push(() => feed.stop());
  // Frames: the model's patches applied to a series with the chart library's rules, 60 times a second.
  const series = new FakeSeries();
  const frames = setInterval(() => {
    try {
      if (state.chart !== null) series.apply(state.chart.takePatch());
    } catch (e) {
      problems.push(`CHART ${String(e)}`);
    }
  }, 16);
  closers.push(() => clearInterval(frames));

  await feed.start();
  feed.select({ symbol: 'BTC-USD', interval: '1s' });
  await waitFor(
    () => (state.chart?.size ?? 0) >= 4 && state.ticker !== null && state.book !== null,
    10_000,
    'bars',
  );
  await new Promise((r) => setTimeout(r, 1500));

  const chart = state.chart;
  if (chart === null) throw new Error('no chart');
  expect(chart.holes()).toEqual([]);
  const rest = await client.rest.candles('BTC-USD', '1s', { limit: 1000 });
  const closed = rest.filter((b) => b.closed);
  expect(closed.length).toBeGreaterThan(2);
  for (const b of closed) expect(chart.at(b.startUs)?.bar).toEqual(b);
  expect(state.tape.size).toBeGreaterThan(0);

  // Restart on the same port, with another seed: a new session whose prices start over.
  const port = first.port;
  await first.close();
  running.splice(0);
  // Down for over two seconds: at least one whole 1 s interval has no server at all.
  await new Promise((r) => setTimeout(r, 2200));
  await server(port, 6);
  await waitFor(
    () => feed.epoch === 2 && (chart.latest?.epoch ?? 0) === 2,
    10_000,
    'bars of the new session',
  );
  await waitFor(() => chart.bars().filter((e) => e.epoch === 2).length >= 3, 10_000, 'more new bars');
  await new Promise((r) => setTimeout(r, 100));

  const epochs = chart.bars().map((e) => e.epoch);
  expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
  // The outage is an empty slot, not a flat bar.
  const points = chart.points();
  const firstNew = points.findIndex((p) => p.kind === 'bar' && p.epoch === 2);
  expect(points.slice(0, firstNew).some((p) => p.kind === 'gap')).toBe(true);
  series.apply(chart.takePatch()); // the frame that would draw what arrived since the last one
  expect(drawn(series.points)).toEqual(drawn(chart.points()));
  expect(state.connection.linkState).toBe('live');
  expect(problems.filter((p) => p.startsWith('BUG') || p.startsWith('CHART'))).toEqual([]);
}, 40_000);
