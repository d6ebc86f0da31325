import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { staticFiles } from '../../../feed-server/src/http/index.ts';
import { importLobster, type RunningReplayServer, startReplayServer } from '../../../replay/src/index.ts';
import { AMZN_DAY } from '../../../test-support/samples.ts';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { artifact, browserUnavailable, launchBrowser } from './browser.ts';

/*
 * The real AMZN day (the LOBSTER sample committed in replay/samples) imported and replayed into the page in real
 * headless Chromium: the replay bar appears, plays at 1000×, seeks, and the chart, ticker and book follow. The
 * browser runs in Tokyo, so local time (22:30 at the open) and the exchange's (09:30 New York) differ.
 */

const skipReason = browserUnavailable();

const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

let server: RunningReplayServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

async function until(expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await page.waitForTimeout(25);
  }
}

const text = async (selector: string): Promise<string> =>
  (await page.locator(selector).first().textContent()) ?? '';

describe.skipIf(skipReason !== null)('replaying the AMZN day in the web client', () => {
  beforeAll(async () => {
    await ensureWebBuild();
    const out = join(mkdtempSync(join(tmpdir(), 'tickwire-amzn-')), 'amzn');
    await importLobster({
      messageFile: AMZN_DAY.messageFile,
      orderbookFile: AMZN_DAY.orderbookFile,
      symbol: AMZN_DAY.symbol,
      date: AMZN_DAY.date,
      out,
    });
    server = await startReplayServer({
      host: '127.0.0.1',
      port: 0,
      session: out,
      paused: true,
      routes: [staticFiles({ root: WEB_DIST })],
      log: () => {},
    });
    browser = await launchBrowser({ timezoneId: 'Asia/Tokyo', colorScheme: 'dark' });
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the replay bar plays the day at 1000× and seeks; chart, ticker and book follow', async () => {
    await page.goto(`${server.url}/?symbol=AMZN&interval=1m`);
    await until("document.querySelector('#replay')?.hidden === false", 20_000);
    await until("document.querySelector('#r-play')?.disabled === false", 20_000);
    // Paused at the open (09:30 New York, 22:30 in Tokyo): local time first, then the exchange's.
    await until("(document.querySelector('#r-clock')?.textContent ?? '').startsWith('22:30')", 20_000);
    await until(
      "document.querySelector('#tz option[value=exchange]')?.title === 'Exchange (New York)'",
      20_000,
    );
    await page.selectOption('#tz', 'exchange');
    await until("(document.querySelector('#r-clock')?.textContent ?? '').startsWith('09:30')", 20_000);
    expect(new URL(page.url()).searchParams.get('tz')).toBe('exchange');
    expect(await text('#r-play')).toBe('Play');
    await page.selectOption('#r-speed', '1000');
    await page.click('#r-play');
    await until("document.querySelector('#r-play')?.textContent === 'Pause'", 20_000);
    await until("Number(document.querySelector('#chart')?.dataset.bars ?? 0) >= 5", 20_000);
    expect(await text('#t-last')).toMatch(/^22\d\.\d{4}$/); // the import's tick: 0.0001
    // The tape reads exchange time too: on New York's morning, not in Tokyo's late evening.
    expect(await text('#tape tr:first-child td.time')).toMatch(/^(09|1[0-5]):/);
    await page.screenshot({ path: artifact('08-replay-amzn-playing.png') });
    // Seek to three quarters of the day: the clock jumps past 14:00.
    await page.evaluate(`(() => {
      const s = document.querySelector('#r-seek');
      s.value = '750';
      s.dispatchEvent(new Event('change'));
    })()`);
    await until("(document.querySelector('#r-clock')?.textContent ?? '') >= '14'", 10_000);
    await until("Number(document.querySelector('#chart')?.dataset.bars ?? 0) >= 200", 20_000);
    await page.click('#r-play');
    await until("document.querySelector('#r-play')?.textContent === 'Play'", 20_000);
    await page.screenshot({ path: artifact('09-replay-amzn-seeked.png') });
    expect(await page.locator('#bids tr').count()).toBeGreaterThan(4);
    expect(await text('#s-label')).toBe('Replay');
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
