import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { resimulate, SessionReader } from '../../replay/src/index.ts';
import { type ServeRun, serveInProcess } from './serve-in-process.ts';

// Issue 12: `tickwire serve` restarted on the same data directory continues the history it recorded. The
// first run starts BTC-USD at 50,000.00 (an instruments file), far from the simulator's default (65,000.00),
// so prices that started over would show as a jump of thousands of dollars across the restart.

const dataDir = mkdtempSync(join(tmpdir(), 'tickwire-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const BTC = { symbol: 'BTC-USD', tickSize: '0.01', lotSize: '0.00001', minSize: '0.0001' };
const COMMON = ['--port', '0', '--data-dir', dataDir, '--rate', '500', '--web-dir', join(dataDir, 'no-web')];

interface RestBar {
  startUs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | string;
  trades: number;
  closed: boolean;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const candles = async (run: ServeRun) =>
  (await getJson<{ candles: RestBar[] }>(`${run.url}/api/v1/candles/BTC-USD?interval=1s&limit=1000`)).candles;
const trades = async (run: ServeRun) =>
  (
    await getJson<{ trades: { tsUs: number; price: number }[] }>(
      `${run.url}/api/v1/trades/BTC-USD?limit=1000`,
    )
  ).trades;

/** Polls until `check` holds; the test's own timeout bounds it (no time threshold here). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

/** The session's state at its last record, read the way `tickwire replay` reads it. */
function recordedEnd(dir: string) {
  const reader = SessionReader.open(dir);
  try {
    const state = reader.stateAt(reader.lastSeq);
    return {
      metadata: reader.metadata,
      endUs: reader.endUs,
      bars: state.candles('BTC-USD', '1s', 1000) ?? [],
      trades: [...(state.trades('BTC-USD', 1000) ?? [])],
    };
  } finally {
    reader.close();
  }
}

test('a restart on the same data directory continues the candles and the prices of the last session', async () => {
  const config = join(dataDir, 'btc-at-50000.json');
  writeFileSync(config, JSON.stringify({ instruments: [{ ...BTC, initialPrice: '50000.00' }] }));

  const first = await serveInProcess([...COMMON, '--instruments', config]);
  await until(async () => (await candles(first)).filter((b) => b.trades > 0).length >= 4);
  expect(await first.stop()).toBe(0);
  const one = recordedEnd(first.dir);
  const last = one.trades.at(-1);
  expect(last).toBeDefined();
  const lastPrice = (last as { price: number }).price;
  // The simulator's normal step: the largest move between two consecutive trades of the first run (which also
  // started from an empty book).
  let step = 0;
  for (let i = 1; i < one.trades.length; i++) {
    step = Math.max(step, Math.abs((one.trades[i]?.price ?? 0) - (one.trades[i - 1]?.price ?? 0)));
  }

  const second = await serveInProcess([...COMMON, '--symbols', 'BTC-USD']);
  try {
    expect(second.dir).not.toBe(first.dir);
    expect(second.stdout()).toContain(`Continuing ${first.dir}`);
    await until(async () => (await trades(second)).length >= 5);

    // REST candles cover both sessions: every 1s bar the first run recorded, as recorded and closed (the one
    // it left forming too, when the second run's first trade falls in a later second), then the second run's.
    const bars = await candles(second);
    const byStart = new Map(bars.map((b) => [b.startUs, b]));
    const newTrades = await trades(second);
    const firstNewBarUs = Math.floor((newTrades[0]?.tsUs ?? 0) / 1_000_000) * 1_000_000;
    // A forming bar without trades was never published and is not carried over.
    const recorded = one.bars.filter((b) => b.closed || b.tradeCount > 0);
    const interrupted = recorded.at(-1);
    expect(recorded.filter((b) => b.tradeCount > 0).length).toBeGreaterThanOrEqual(4);
    for (const r of recorded) {
      const shown = byStart.get(r.startUs);
      if (r === interrupted && r.startUs === firstNewBarUs) {
        // Back within the same second: the bar's interval holds both runs' trades, and goes on.
        console.log('restart: back within the interrupted 1s bar, which continues');
        expect(shown).toMatchObject({ open: r.open, closed: false });
        expect(shown?.trades).toBeGreaterThan(r.tradeCount);
        continue;
      }
      expect(shown, `bar ${r.startUs}`).toEqual(
        expect.objectContaining({
          open: r.open,
          high: r.high,
          low: r.low,
          close: r.close,
          volume: Number(r.volume),
          trades: r.tradeCount,
          closed: true,
        }),
      );
    }
    // Nothing was made up for the time the server was down: no bar between the two runs' own bars, and the
    // new run's first bar opens at its first trade.
    const lastRecordedUs = interrupted?.startUs ?? 0;
    expect(bars.filter((b) => b.startUs > lastRecordedUs && b.startUs < firstNewBarUs)).toEqual([]);
    expect(byStart.get(firstNewBarUs)?.trades).toBeGreaterThan(0);
    if (firstNewBarUs > lastRecordedUs) expect(byStart.get(firstNewBarUs)?.open).toBe(newTrades[0]?.price);

    // The first new trades continue from the last recorded price, within the simulator's normal step.
    const firstNew = newTrades[0]?.price ?? 0;
    console.log(
      `restart: last recorded ${lastPrice / 100}, first new ${firstNew / 100}, largest step of the first run ${step / 100}`,
    );
    expect(Math.abs(firstNew - lastPrice)).toBeLessThanOrEqual(step);
  } finally {
    expect(await second.stop()).toBe(0);
  }

  // The new session is a new sequence space that says what it continues and where its prices came from, and
  // it re-simulates identically from its recording.
  const reader = SessionReader.open(second.dir);
  try {
    const meta = reader.metadata;
    expect(meta.session).not.toBe(one.metadata.session);
    expect(meta.continues).toEqual({
      dir: first.dir.split('/').at(-1),
      session: one.metadata.session,
      endUs: one.endUs,
    });
    expect(meta.initialPrices).toEqual({ 'BTC-USD': lastPrice });
    expect(resimulate(reader).divergence).toBeNull();
  } finally {
    reader.close();
  }
}, 120_000);
