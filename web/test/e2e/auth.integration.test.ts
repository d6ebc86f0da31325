import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningFeedServer, startFeedServer, staticFiles } from '../../../feed-server/src/http/index.ts';
import { mintToken } from '../../../feed-server/src/server/index.ts';
import { DEFAULT_INSTRUMENT_SPECS, defineInstrument } from '../../../matching/src/index.ts';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { artifact, browserUnavailable, launchBrowser } from './browser.ts';

/*
 * The page in real headless Chromium against a server started with an auth secret (PROTOCOL.md §15), every
 * door locked: opened as /?token=TOKEN, it must pass the token to the WebSocket (live data) and to its REST
 * requests (the chart's history), and show both. Waits are generous; nothing here measures speed.
 */

const skipReason = browserUnavailable();
if (skipReason !== null) console.log(`browser tests skipped: ${skipReason}`);

const SECRET = 'e2e-auth-test-secret-0123456789';
const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const WAIT_MS = 30_000;
const MIN_HISTORY_BARS = 3;

let server: RunningFeedServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleProblems: string[] = [];
/** The page's requests under /api/: path, the Authorization header it sent, the status it got. */
const restCalls: { path: string; authorization: string | undefined; status: number; body: unknown }[] = [];

/** Waits until `expression` (evaluated in the page; the page's CSP forbids waitForFunction's eval) is truthy. */
async function until(expression: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${WAIT_MS} ms: ${expression}`);
    await page.waitForTimeout(50);
  }
}

async function text(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

/** Waits until the text of `selector` differs from `before`. */
async function changes(selector: string, before: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while ((await text(selector)) === before) {
    if (Date.now() > deadline) throw new Error(`${selector} stayed "${before}" for ${WAIT_MS} ms`);
    await page.waitForTimeout(50);
  }
}

describe.skipIf(skipReason !== null)('the web client against a server with an auth secret', () => {
  beforeAll(async () => {
    await ensureWebBuild();
    server = await startFeedServer({
      host: '127.0.0.1',
      port: 0,
      seed: 9,
      instruments: DEFAULT_INSTRUMENT_SPECS.map(defineInstrument),
      rate: 400,
      authSecret: SECRET,
      routes: [staticFiles({ root: WEB_DIST })],
      log: () => {},
    });
    // History to load: wait (for the event, not for a time) until REST has closed 1 s bars to give.
    const token = mintToken(SECRET, { subject: 'e2e-setup', ttlSeconds: 600 });
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const res = await fetch(`${server.url}/api/v1/candles/BTC-USD?interval=1s`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { candles } = (await res.json()) as { candles: { closed: boolean }[] };
      if (candles.filter((c) => c.closed).length >= MIN_HISTORY_BARS) break;
      if (Date.now() > deadline) throw new Error('the server made no 1 s bars');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`uncaught: ${e.message}`));
    page.on('response', async (res) => {
      const url = new URL(res.url());
      if (!url.pathname.startsWith('/api/')) return;
      const body: unknown = await res.json().catch(() => null);
      restCalls.push({
        path: url.pathname + url.search,
        authorization: res.request().headers().authorization,
        status: res.status(),
        body,
      });
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page loads without a token; its REST and WebSocket then need one', async () => {
    const noToken = await fetch(`${server.url}/api/v1/candles/BTC-USD?interval=1s`);
    expect(noToken.status).toBe(401);
    const pageRes = await fetch(`${server.url}/`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toMatch(/^text\/html/);
  });

  test('opened as /?token=…: history bars from REST, then live data over the WebSocket', async () => {
    const token = mintToken(SECRET, { subject: 'e2e-page', ttlSeconds: 600 });
    await page.goto(`${server.url}/?token=${token}`);
    // Live: the WebSocket accepted the token (without it the server closes with 4001 before `welcome`).
    await until("document.querySelector('#status')?.dataset.state === 'live'");
    // History: the page's candles request carried the token and was answered with bars…
    await until("Number(document.querySelector('#chart')?.dataset.bars ?? 0) >= 1");
    const deadline = Date.now() + WAIT_MS;
    while (!restCalls.some((c) => c.path.startsWith('/api/v1/candles/BTC-USD'))) {
      if (Date.now() > deadline) throw new Error('the page requested no candles over REST');
      await page.waitForTimeout(50);
    }
    const history = restCalls.find((c) => c.path.startsWith('/api/v1/candles/BTC-USD'));
    if (history === undefined) throw new Error('unreachable: the loop above waited for it');
    expect(history.authorization).toBe(`Bearer ${token}`);
    expect(history.status).toBe(200);
    const restBars = (history.body as { candles: unknown[] }).candles.length;
    expect(restBars).toBeGreaterThanOrEqual(MIN_HISTORY_BARS);
    // …and the chart shows them all.
    await until(`Number(document.querySelector('#chart')?.dataset.bars ?? 0) >= ${restBars}`);
    // Live data keeps coming: the ticker's last price and the chart's legend move.
    const last = await text('#t-last');
    expect(last).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    await changes('#t-last', last);
    const legend = await text('#legend');
    await changes('#legend', legend);
    expect(await text('#s-label')).toBe('Live');
    await page.screenshot({ path: artifact('auth-01-live-with-token.png') });
    // No REST request of the page was refused, and the page reported no problem.
    expect(restCalls.filter((c) => c.status !== 200)).toEqual([]);
    expect(consoleProblems).toEqual([]);
  }, 120_000);

  test('switching the interval keeps the token: the new history request carries it too', async () => {
    const token = new URL(page.url()).searchParams.get('token');
    await page.check('#interval-1m');
    await page.waitForURL(/interval=1m/);
    expect(new URL(page.url()).searchParams.get('token')).toBe(token);
    const deadline = Date.now() + WAIT_MS;
    while (!restCalls.some((c) => c.path.includes('interval=1m'))) {
      if (Date.now() > deadline) throw new Error('no 1m history request');
      await page.waitForTimeout(50);
    }
    const call = restCalls.find((c) => c.path.includes('interval=1m'));
    expect([call?.status, call?.authorization]).toEqual([200, `Bearer ${token}`]);
    expect(consoleProblems).toEqual([]);
  }, 60_000);
});
