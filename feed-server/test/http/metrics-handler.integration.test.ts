import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRestHandler, metricsHandler } from '../../src/http/index.ts';
import { FeedMetrics } from '../../src/server/feed-metrics.ts';
import { sampleMarket } from './market-fixture.ts';
import { serve, type TestServer, UNHANDLED_STATUS } from './serve.ts';

const metrics = new FeedMetrics({ defaultMetrics: false });
let server: TestServer;

beforeAll(async () => {
  const rest = createRestHandler(sampleMarket().query, {
    onErrorResponse: (code) => metrics.restError(code),
  });
  server = await serve(rest, metricsHandler(metrics));
});
afterAll(() => server.close());

test('GET /metrics: the Prometheus text of the instance, not cached; REST errors counted through the wiring', async () => {
  metrics.connectionOpened();
  metrics.framesOut(1, 4, 300);
  await (await fetch(`${server.url}/api/v1/trades/BTC-USD?limit=0`)).text();
  await (await fetch(`${server.url}/api/v1/ticker/NOPE`)).text();
  const res = await fetch(`${server.url}/metrics`);
  const text = await res.text();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  expect(text).toContain('\ntickwire_connections 1\n');
  expect(text).toContain('\ntickwire_messages_out_total 4\n');
  expect(text).toContain('\ntickwire_request_errors_total{transport="rest",code="BAD_LIMIT"} 1\n');
  expect(text).toContain('\ntickwire_request_errors_total{transport="rest",code="UNKNOWN_SYMBOL"} 1\n');
});

test('HEAD: headers without the body; a query string is the same path', async () => {
  const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  expect((await fetch(`${server.url}/metrics?x=1`)).status).toBe(200);
});

test('other methods are 405 with Allow; other paths are not handled', async () => {
  const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
  await post.text();
  for (const path of ['/metricsx', '/metrics/', '/api/metrics']) {
    const res = await fetch(server.url + path);
    await res.text();
    expect(res.status, path).not.toBe(200);
  }
  const other = await fetch(`${server.url}/metricsx`);
  await other.text();
  expect(other.status).toBe(UNHANDLED_STATUS);
});

test('a failing collection is 500, reported to onError; a custom path', async () => {
  const failures: unknown[] = [];
  const boom = new Error('collector failed');
  const s = await serve(
    metricsHandler(
      { contentType: 'text/plain', metrics: () => Promise.reject(boom) },
      { path: '/internal/metrics', onError: (e) => failures.push(e) },
    ),
  );
  try {
    const res = await fetch(`${s.url}/internal/metrics`);
    expect(res.status).toBe(500);
    await res.text();
    expect(failures).toEqual([boom]);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(UNHANDLED_STATUS);
  } finally {
    await s.close();
  }
});
