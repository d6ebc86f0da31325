import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { AMZN_DAY } from '../../../test-support/samples.ts';
import {
  type ImportResult,
  importLobster,
  RECORD_TYPES,
  type ReplayState,
  SessionReader,
} from '../../src/index.ts';

/*
 * The real AMZN day (57,515 LOBSTER events, committed gzipped in replay/samples) imported and checked against an
 * independent reading of the raw files written here, not with the importer's code.
 */
const MESSAGES = AMZN_DAY.messageFile;
const ORDERBOOK = AMZN_DAY.orderbookFile;
/** 2012-06-21 00:00 in New York (EDT, UTC−4), µs. */
const MIDNIGHT_US = Date.UTC(2012, 5, 21, 4) * 1000;

interface Raw {
  tsUs: number;
  type: number;
  id: number;
  size: number;
  price: number;
  dir: number;
}

const rows = (file: string): string[][] =>
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));

const messages: Raw[] = rows(MESSAGES).map(([t, type, id, size, price, dir]) => {
  const [s, frac = ''] = (t as string).split('.');
  return {
    tsUs: MIDNIGHT_US + Number(s) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6)),
    type: Number(type),
    id: Number(id),
    size: Number(size),
    price: Number(price),
    dir: Number(dir),
  };
});
const level1 = rows(ORDERBOOK).map((r) => r.map(Number) as [number, number, number, number]);

/** The state after each source row of a session, handed to `each` in row order. */
function eachRow(dir: string, each: (state: ReplayState, row: number) => void): ReplayState {
  const reader = SessionReader.open(dir);
  const state = reader.stateAt(1);
  let row = -1;
  const c = reader.log.cursor(2);
  while (c.next()) {
    if (c.type === RECORD_TYPES.SOURCE || c.type === RECORD_TYPES.TICK) {
      if (row >= 0) each(state, row);
      row++;
    }
    state.apply(c.seq, c.type, c.payload);
  }
  reader.close();
  return state;
}

let plain: ImportResult;
let reconciled: ImportResult;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'tickwire-lobster-'));
  plain = await importLobster({
    messageFile: MESSAGES,
    symbol: 'AMZN',
    date: '2012-06-21',
    out: join(base, 'plain'),
  });
  reconciled = await importLobster({
    messageFile: MESSAGES,
    orderbookFile: ORDERBOOK,
    symbol: 'AMZN',
    date: '2012-06-21',
    out: join(base, 'reconciled'),
  });
}, 60_000);

describe('the AMZN LOBSTER day, imported', () => {
  test('every row imports; trades, volume and 1-minute candles agree with the raw file', () => {
    expect(plain.imported).toBe(57_515);
    expect(plain.badRows).toEqual([]);
    const trades = messages.filter((m) => m.type === 4 || m.type === 5);
    const reader = SessionReader.open(plain.dir);
    const state = reader.stateAt(reader.lastSeq);
    const ticker = state.ticker('AMZN');
    expect(ticker?.tradeCount24h).toBe(trades.length);
    expect(ticker?.volume24h).toBe(BigInt(trades.reduce((n, t) => n + t.size, 0)));
    expect(ticker?.last).toBe(trades.at(-1)?.price);
    // 1-minute bars from the raw trades: open, high, low, close, volume, count per minute with trades.
    const bars = new Map<number, { o: number; h: number; l: number; c: number; v: number; n: number }>();
    for (const t of trades) {
      const minute = Math.floor(t.tsUs / 60e6) * 60e6;
      const b = bars.get(minute);
      if (b === undefined)
        bars.set(minute, { o: t.price, h: t.price, l: t.price, c: t.price, v: t.size, n: 1 });
      else
        Object.assign(b, {
          h: Math.max(b.h, t.price),
          l: Math.min(b.l, t.price),
          c: t.price,
          v: b.v + t.size,
          n: b.n + 1,
        });
    }
    const candles = state.candles('AMZN', '1m', 1000) ?? [];
    const withTrades = candles.filter((c) => c.tradeCount > 0);
    expect(withTrades.length).toBe(bars.size);
    for (const c of withTrades) {
      const b = bars.get(c.startUs);
      expect(b, new Date(c.startUs / 1000).toISOString()).toBeDefined();
      expect([c.open, c.high, c.low, c.close, Number(c.volume), c.tradeCount]).toEqual([
        b?.o,
        b?.h,
        b?.l,
        b?.c,
        b?.v,
        b?.n,
      ]);
    }
    // The session spans the trading day, 09:30 to 16:00 New York time, and every minute has its closed bar.
    const closed = candles.filter((c) => c.closed);
    expect(closed.length).toBe(390);
    expect(closed[0]?.startUs).toBe(MIDNIGHT_US + 9.5 * 3600e6);
    expect(closed.at(-1)?.startUs).toBe(MIDNIGHT_US + 16 * 3600e6 - 60e6);
    expect(closed.filter((c) => c.tradeCount === 0).every((c) => c.volume === 0n)).toBe(true);
    reader.close();
  }, 60_000);

  test('top of book equals the orderbook file on every row whose book the file shows', () => {
    // Independently: a level-1 LOBSTER file records every event of an order while its price is the best of its
    // side. So where the file's best price P has been the best continuously since every order resting at P was
    // submitted, the file has shown all that happened to them: their remaining sizes are known exactly, and when
    // they add up to the file's size there, the importer must show exactly that level.
    const orders = new Map<number, { dir: number; price: number; left: number; row: number }>();
    const atPrice = new Map<string, Set<number>>();
    const key = (dir: number, price: number): string => `${dir}:${price}`;
    const streak: Record<number, { price: number; since: number }> = {
      1: { price: Number.NaN, since: 0 },
      [-1]: { price: Number.NaN, since: 0 },
    };
    const sideKnown: [boolean, boolean][] = [];
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as Raw;
      if (m.type === 1) {
        orders.set(m.id, { dir: m.dir, price: m.price, left: m.size, row: i });
        const k = key(m.dir, m.price);
        if (!atPrice.has(k)) atPrice.set(k, new Set());
        atPrice.get(k)?.add(m.id);
      } else if (m.type >= 2 && m.type <= 4) {
        const o = orders.get(m.id);
        if (o !== undefined) {
          o.left -= m.type === 3 ? o.left : Math.min(m.size, o.left);
          if (o.left <= 0) {
            orders.delete(m.id);
            atPrice.get(key(o.dir, o.price))?.delete(m.id);
          }
        }
      }
      const [askP, askS, bidP, bidS] = level1[i] as [number, number, number, number];
      const known = (dir: number, price: number, size: number): boolean => {
        const s = streak[dir] as { price: number; since: number };
        if (s.price !== price) {
          s.price = price;
          s.since = i;
        }
        if (size <= 0) return false;
        let sum = 0;
        for (const id of atPrice.get(key(dir, price)) ?? []) {
          const o = orders.get(id) as { left: number; row: number };
          if (o.row < s.since) return false;
          sum += o.left;
        }
        return sum === size;
      };
      sideKnown.push([known(-1, askP, askS), known(1, bidP, bidS)]);
    }
    let checked = 0;
    eachRow(plain.dir, (state, row) => {
      const flags = sideKnown[row];
      if (flags === undefined) return;
      const book = state.book('AMZN', 10);
      const [askP, askS, bidP, bidS] = level1[row] as [number, number, number, number];
      if (flags[0]) {
        expect(book?.asks[0]?.slice(0, 2), `row ${row + 1} ask`).toEqual([askP, askS]);
        checked++;
      }
      if (flags[1]) {
        expect(book?.bids[0]?.slice(0, 2), `row ${row + 1} bid`).toEqual([bidP, bidS]);
        checked++;
      }
    });
    // About one side-row in ten meets that strict test (11,833 of 115,030); every one of them agrees.
    expect(checked).toBeGreaterThan(10_000);
    // With the orderbook file, level 1 agrees on every row.
    let rowsChecked = 0;
    eachRow(reconciled.dir, (state, row) => {
      const l1 = level1[row];
      if (l1 === undefined) return;
      const [askP, askS, bidP, bidS] = l1;
      const book = state.book('AMZN', 10);
      if (askS > 0) expect(book?.asks[0]?.slice(0, 2), `row ${row + 1} ask`).toEqual([askP, askS]);
      if (bidS > 0) expect(book?.bids[0]?.slice(0, 2), `row ${row + 1} bid`).toEqual([bidP, bidS]);
      rowsChecked++;
    });
    expect(rowsChecked).toBe(57_515);
  }, 120_000);
});
